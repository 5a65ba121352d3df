/**
 * The offline verifier's key directory: the key log fetched from a locker
 * (`https://…/keys/log`, following its pages) or read from a saved file, its hash chain
 * checked, then replayed. Fetched lazily, on the first lookup: if the log cannot be
 * reached or its chain is broken, lookups throw `KeyDirectoryUnavailable` and the
 * verification answers "undetermined".
 */
import fs from 'node:fs/promises';
import { checkKeyLogChain, directoryFromKeyLog } from '../domain/verification/key-log.ts';
import { KeyDirectoryUnavailable, type KeyDirectory, type KeyLogEntry, type KeyLogRecord } from '../domain/verification/ports.ts';

type Page = { entries: Array<KeyLogEntry & { hash: string }>; more?: boolean };

function toRecords(page: Page): KeyLogRecord[] {
  if (!page || !Array.isArray(page.entries)) throw new Error('the key log is not in the expected format');
  return page.entries.map(({ hash, ...entry }) => ({ entry: entry as KeyLogEntry, hash }));
}

export async function fetchKeyLog(source: string, timeoutMs = 10_000): Promise<KeyLogRecord[]> {
  if (!/^https?:\/\//.test(source)) {
    // A saved page of GET /keys/log, or the JSON lines `openlocker keys log` prints.
    const text = (await fs.readFile(source, 'utf8')).trim();
    if (text.startsWith('{"entries"') || text.startsWith('{\n')) return toRecords(JSON.parse(text) as Page);
    return toRecords({ entries: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as KeyLogEntry & { hash: string }) });
  }
  const out: KeyLogRecord[] = [];
  for (let page = 0; page < 10_000; page++) {
    const u = new URL(source);
    u.searchParams.set('after', String(out.length ? out[out.length - 1]!.entry.seq : 0));
    u.searchParams.set('limit', '1000');
    const res = await fetch(u, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${u.origin}${u.pathname} answered ${res.status}`);
    const body = (await res.json()) as Page;
    out.push(...toRecords(body));
    if (!body.more) return out;
  }
  throw new Error('the key log has too many pages');
}

export function keyLogDirectory(source: string, timeoutMs?: number): KeyDirectory {
  let loaded: Promise<KeyDirectory> | undefined;
  const load = () =>
    (loaded ??= (async () => {
      let records: KeyLogRecord[];
      try {
        records = await fetchKeyLog(source, timeoutMs);
      } catch (err) {
        throw new KeyDirectoryUnavailable(err);
      }
      const chain = checkKeyLogChain(records);
      if (!chain.ok) throw new KeyDirectoryUnavailable(new Error(`the key log's hash chain is broken: ${chain.reason}`));
      return directoryFromKeyLog(records);
    })());
  return {
    findByKid: async (kid) => (await load()).findByKid(kid),
    findByCertificate: async (sha) => (await load()).findByCertificate(sha),
    findByDid: async (did) => (await load()).findByDid(did),
  };
}
