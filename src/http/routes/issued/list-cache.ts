/**
 * The rendered Issued list (`GET /api/v1/issued`) per citizen, with its ETag.
 *
 * The app and the dashboard ask for the list far more often than it changes. An entry
 * holds the serialised body for one version of the citizen's list (IssuedDocumentStore
 * .listVersion, bumped in the same transaction as every change the list shows, by any
 * process), so a request costs one indexed read instead of reading and rendering every
 * row. Issuer display names come from the registry: an entry is dropped at once when this
 * process changes the registry and otherwise lives at most `namesTtlMs`, so a rename made
 * by another process shows within that time.
 *
 * Bounded by the bytes it holds (least recently used out first). The ETag is a digest of
 * the body, so it is the same in every process and a conditional request
 * (If-None-Match) gets 304 without the body — what a phone on a slow network wants.
 */
import crypto from 'node:crypto';

export interface RenderedList {
  /** UTF-8 bytes, encoded once: each response then writes them as they are. */
  body: Buffer;
  etag: string;
}

interface Entry extends RenderedList {
  version: number;
  registryChanges: number;
  at: number;
  bytes: number;
}

export class IssuedListCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes = 16 * 1024 * 1024,
    private readonly namesTtlMs = 60_000,
  ) {}

  /** The rendered list for `accountId` at this list version and registry state, or null. */
  get(accountId: string, version: number, registryChanges: number, nowMs: number): RenderedList | null {
    const e = this.entries.get(accountId);
    if (!e) return null;
    if (e.version !== version || e.registryChanges !== registryChanges || nowMs - e.at > this.namesTtlMs) {
      this.drop(accountId, e);
      return null;
    }
    // Most recently used last.
    this.entries.delete(accountId);
    this.entries.set(accountId, e);
    return e;
  }

  /**
   * Keeps `body` as the list at `version`. The caller must have read `version` before
   * reading the rows: a change in between then leaves a newer body under an older
   * version, which the next request's version read replaces — never the reverse.
   */
  set(accountId: string, version: number, registryChanges: number, nowMs: number, json: string): RenderedList {
    const body = Buffer.from(json, 'utf8');
    const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const bytes = body.length + 200;
    const old = this.entries.get(accountId);
    if (old) this.drop(accountId, old);
    if (bytes <= this.maxBytes) {
      while (this.bytes + bytes > this.maxBytes) {
        const [id, oldest] = this.entries.entries().next().value!;
        this.drop(id, oldest);
      }
      this.entries.set(accountId, { body, etag, version, registryChanges, at: nowMs, bytes });
      this.bytes += bytes;
    }
    return { body, etag };
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private drop(accountId: string, e: Entry): void {
    this.entries.delete(accountId);
    this.bytes -= e.bytes;
  }
}
