/**
 * The activity chain's hash: HMAC-SHA256, keyed by a key derived from the master key, over
 * a fixed-order JSON array of every stored field of the entry and the previous entry's hash.
 * The details are hashed as the exact JSON text stored (canonical: keys sorted), so the
 * check never depends on how a database hands JSON back.
 */
import crypto from 'node:crypto';
import { AppError } from '../errors.ts';
import { ACTIVITY_TYPE_PATTERN, type ActivityEntry, type NewActivityEvent } from './ports.ts';

const VERSION = 'ol-activity-v1';
export const MAX_DETAILS_BYTES = 2048;

/** The `prevHash` of an account's first entry. */
export function genesisHash(key: Buffer, accountId: string): string {
  return crypto.createHmac('sha256', key).update(`${VERSION}:genesis:${accountId}`).digest('hex');
}

/** JSON with object keys sorted at every level, so equal objects give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export type HashedFields = Omit<ActivityEntry, 'hash' | 'details'> & { detailsJson: string };

export function entryHash(key: Buffer, e: HashedFields): string {
  return chainHash(key, e, e.seq, e.prevHash, e.detailsJson);
}

/** entryHash with the chain's own fields given apart (appending builds no entry object first). */
export function chainHash(key: Buffer, e: Omit<HashedFields, 'seq' | 'prevHash' | 'detailsJson'>, seq: number, prevHash: string, detailsJson: string): string {
  const fields = [
    VERSION,
    e.accountId,
    seq,
    e.type,
    e.at,
    e.actor.kind,
    e.actor.id,
    e.actor.name,
    e.ip,
    e.userAgent,
    e.subject?.kind ?? null,
    e.subject?.id ?? null,
    e.subject?.name ?? null,
    detailsJson,
    prevHash,
  ];
  return crypto.createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex');
}

/** Checks an event before it is appended; returns its canonical details text. */
export function validateEvent(e: NewActivityEvent): string {
  if (!ACTIVITY_TYPE_PATTERN.test(e.type)) {
    throw new AppError('invalid', 'invalid_activity_type', `Activity type "${e.type.slice(0, 64)}" must be snake_case.`);
  }
  if (!e.accountId) throw new AppError('invalid', 'invalid_activity', 'An activity entry needs an account id.');
  const detailsJson = canonicalJson(e.details ?? {});
  if (Buffer.byteLength(detailsJson) > MAX_DETAILS_BYTES) {
    throw new AppError('invalid', 'invalid_activity', `Activity details must be at most ${MAX_DETAILS_BYTES} bytes of JSON.`);
  }
  return detailsJson;
}

/** Trims free text from requests (user agents can be long) before it is stored. */
export function clip(s: string | null | undefined, max: number): string | null {
  if (s === null || s === undefined) return null;
  return s.length > max ? s.slice(0, max) : s;
}
