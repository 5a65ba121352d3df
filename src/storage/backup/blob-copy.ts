/**
 * Copying blobs in and out of a backup, as their encrypted bytes (never decrypted to disk).
 * On the way out every blob is checked against its content: its bytes are decrypted in
 * memory as they stream past and the plaintext's keyed hash must equal the blob's key
 * (`VerifyTap`), so the backup never silently keeps a damaged blob; the SHA-256 of the stored
 * bytes goes to SHA256SUMS. On the way in, bytes are written through the target's raw object
 * store and published under their key only if their SHA-256 matches the backup's.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { finished, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MasterKey } from '../../crypto/master-key.ts';
import { contentAddress, legacyContentAddressHmac } from '../blob/encrypted-blob-store.ts';
import { DecryptStream } from '../blob/envelope.ts';
import { BlobNotFoundError, type RawObjectStore } from '../blob/types.ts';
import { BackupError, blobPath, streamToNewFile, type PhaseProgress } from './format.ts';

/**
 * Passes bytes through unchanged while hashing them (SHA-256) and, with a master key,
 * decrypting them in memory to check the content address. `result()` after the stream ends.
 */
export class VerifyTap extends Transform {
  private readonly sha = crypto.createHash('sha256');
  private bytes = 0;
  private plainBytes = 0;
  private readonly decrypt: DecryptStream | undefined;
  private readonly master: MasterKey | undefined;
  private readonly plainSha = crypto.createHash('sha256');
  private readonly legacyAddress: crypto.Hmac | undefined;
  private problem: string | undefined;

  constructor(master?: MasterKey) {
    super();
    if (master) {
      this.master = master;
      this.legacyAddress = legacyContentAddressHmac(master);
      this.decrypt = new DecryptStream(master);
      this.decrypt.on('data', (c: Buffer) => {
        this.plainSha.update(c);
        this.legacyAddress!.update(c);
        this.plainBytes += c.length;
      });
      this.decrypt.on('error', (err: Error) => {
        this.problem ??= err.message;
      });
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.sha.update(chunk);
    this.bytes += chunk.length;
    if (this.decrypt && !this.problem) this.decrypt.write(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (!this.decrypt || this.problem) return cb();
    finished(this.decrypt, () => cb());
    this.decrypt.end();
  }

  /** SHA-256 and size of the bytes; `contentOk` is undefined without a master key. */
  result(key: string): { sha256: string; bytes: number; plainBytes: number; contentOk: boolean | undefined; problem: string | undefined } {
    let contentOk: boolean | undefined;
    let problem = this.problem;
    if (this.master) {
      // Either naming scheme (see contentAddress) vouches for the content.
      contentOk = !problem && (contentAddress(this.master, this.plainSha.digest()) === key || this.legacyAddress!.digest('hex') === key);
      if (!contentOk && !problem) problem = 'decrypted content does not match the blob key';
    }
    return { sha256: this.sha.digest('hex'), bytes: this.bytes, plainBytes: this.plainBytes, contentOk, problem };
  }
}

const devNull = () => new Writable({ write: (_c, _e, cb) => cb() });

/** Runs `work` over `items` with at most `concurrency` at a time; the first error stops the rest. */
export async function forEachLimit<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

export interface BlobsOut {
  count: number;
  bytes: number;
  plainBytes: number;
  missing: string[];
  corrupt: string[];
  /** backup-relative path → SHA-256 */
  checksums: Map<string, string>;
}

/**
 * Copies `keys` from `raw` into `dir/blobs/…`, verifying each. A key that has vanished from
 * the store is reported in `missing` only if `mustExist` has it (a referenced blob); others
 * were deleted after being listed and are simply not part of the backup.
 */
export async function copyBlobsOut(raw: RawObjectStore, master: MasterKey, keys: string[], dir: string, mustExist: Set<string>, progress: PhaseProgress, concurrency = 4): Promise<BlobsOut> {
  const out: BlobsOut = { count: 0, bytes: 0, plainBytes: 0, missing: [], corrupt: [], checksums: new Map() };
  await forEachLimit(keys, concurrency, async (key) => {
    const rel = blobPath(key);
    const file = path.join(dir, rel);
    let source;
    try {
      source = await raw.read(key);
    } catch (err) {
      if (err instanceof BlobNotFoundError) {
        if (mustExist.has(key)) out.missing.push(key);
        progress.tick(1);
        return;
      }
      throw err;
    }
    await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tap = new VerifyTap(master);
    const tmp = `${file}.partial`;
    try {
      await streamToNewFile([source, tap], tmp);
    } catch (err) {
      if (err instanceof BlobNotFoundError || (err as NodeJS.ErrnoException)?.code === 'ENOENT') {
        if (mustExist.has(key)) out.missing.push(key);
        progress.tick(1);
        return;
      }
      throw err;
    }
    await fsp.rename(tmp, file);
    const r = tap.result(key);
    // A damaged blob is still copied (it is the only copy there is) but named in the manifest.
    if (!r.contentOk) out.corrupt.push(key);
    out.checksums.set(rel, r.sha256);
    out.count++;
    out.bytes += r.bytes;
    out.plainBytes += r.plainBytes;
    progress.tick(1, r.bytes);
  });
  out.missing.sort();
  out.corrupt.sort();
  return out;
}

/** Hashes (and with `master`, decrypts and checks) one blob file of a backup. */
export async function checkBlobFile(file: string, key: string, master: MasterKey | undefined) {
  const tap = new VerifyTap(master);
  await pipeline(fs.createReadStream(file), tap, devNull());
  return tap.result(key);
}

/** Writes blobs from a backup into `raw`, each published only if its SHA-256 matches. */
export async function copyBlobsIn(raw: RawObjectStore, dir: string, blobs: Array<{ key: string; sha256: string }>, progress: PhaseProgress, concurrency = 4): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  await forEachLimit(blobs, concurrency, async ({ key, sha256 }) => {
    const tap = new VerifyTap();
    const writer = await raw.createWriter();
    try {
      await pipeline(fs.createReadStream(path.join(dir, blobPath(key))), tap, writer.stream);
      const r = tap.result(key);
      if (r.sha256 !== sha256) throw new BackupError(`${blobPath(key)} changed since it was checked (SHA-256 mismatch); nothing was published under that key.`);
      await writer.commit(key);
      count++;
      bytes += r.bytes;
      progress.tick(1, r.bytes);
    } catch (err) {
      await writer.abort();
      throw err;
    }
  });
  return { count, bytes };
}
