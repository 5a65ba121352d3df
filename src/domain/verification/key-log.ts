/**
 * The key log's hash chain. Each entry names the hash of the one before; an entry's hash
 * is SHA-256 over its canonical JSON. A verifier that kept an earlier head can check that
 * the log it fetches now extends it (append-only), and a broken link anywhere is visible.
 */
import crypto from 'node:crypto';
import { canonicalJson } from '../../crypto/canonical-json.ts';
import type { KeyLogEntry, KeyLogRecord } from './ports.ts';

export const GENESIS_HASH = '0'.repeat(64);

export function keyLogHash(entry: KeyLogEntry): string {
  return crypto.createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

export type ChainCheck = { ok: true; head: string; length: number } | { ok: false; brokenAt: number; reason: string };

/** Checks that `records` form one unbroken chain from the genesis (or from `from`). */
export function checkKeyLogChain(records: KeyLogRecord[], from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainCheck {
  let prev = from.hash;
  let seq = from.seq;
  for (const r of records) {
    if (r.entry.seq !== seq + 1) return { ok: false, brokenAt: r.entry.seq, reason: `entry ${r.entry.seq} follows ${seq}` };
    if (r.entry.prev !== prev) return { ok: false, brokenAt: r.entry.seq, reason: `entry ${r.entry.seq} does not name the hash of entry ${seq}` };
    const h = keyLogHash(r.entry);
    if (h !== r.hash) return { ok: false, brokenAt: r.entry.seq, reason: `entry ${r.entry.seq} does not match its hash` };
    prev = h;
    seq = r.entry.seq;
  }
  return { ok: true, head: prev, length: seq };
}
