/**
 * The key log's hash chain. Each entry names the hash of the one before; an entry's hash
 * is SHA-256 over its canonical JSON. A verifier that kept an earlier head can check that
 * the log it fetches now extends it (append-only), and a broken link anywhere is visible.
 */
import crypto from 'node:crypto';
import { canonicalJson } from '../../crypto/canonical-json.ts';
import type { IssuerKey, KeyDirectory, KeyLogEntry, KeyLogRecord } from './ports.ts';

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

/**
 * A key directory rebuilt from key-log records (the offline verifier's view): replays
 * additions, retirements and revocations. The caller checks the chain first.
 */
export function directoryFromKeyLog(records: KeyLogRecord[]): KeyDirectory {
  const byKid = new Map<string, IssuerKey>();
  for (const { entry: e } of records) {
    if (e.event === 'key_added' && e.kind && e.kind !== 'anchor' && e.jwk && e.alg) {
      const certs = (e.x5c ?? []).map((c) => Buffer.from(c, 'base64'));
      byKid.set(e.kid, {
        kid: e.kid,
        issuerId: e.issuer,
        issuerName: e.issuer_name ?? e.issuer,
        kind: e.kind,
        alg: e.alg,
        publicJwk: e.jwk,
        did: e.did ?? null,
        certificate: certs[0] ?? null,
        chain: certs.slice(1),
        certSha256: certs[0] ? crypto.createHash('sha256').update(certs[0]).digest('hex') : null,
        origin: e.origin === 'registered' ? 'registered' : 'sandbox',
        validFrom: new Date(e.valid_from ?? e.at),
        validUntil: e.valid_until ? new Date(e.valid_until) : null,
        revokedAt: null,
        revocationReason: null,
      });
    }
    const k = byKid.get(e.kid);
    if (!k) continue;
    if (e.event === 'key_retired' && e.valid_until) k.validUntil = new Date(e.valid_until);
    if (e.event === 'key_revoked' && !k.revokedAt) {
      k.revokedAt = new Date(e.revoked_at ?? e.at);
      k.revocationReason = e.reason ?? null;
    }
  }
  const all = [...byKid.values()];
  return {
    findByKid: async (kid) => byKid.get(kid) ?? null,
    findByCertificate: async (sha) => all.find((k) => k.certSha256 === sha.toLowerCase()) ?? null,
    findByDid: async (did) => all.find((k) => k.did === did) ?? null,
  };
}
