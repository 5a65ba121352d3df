/**
 * Issuer keys, trust anchors and the key log in SQL (SQLite and PostgreSQL alike).
 *
 * Concurrency: every change runs in one transaction with its key-log append. The log's
 * `seq` is the primary key and `prev_hash` is unique, so two writers that read the same
 * head cannot both append: the loser's transaction fails and is retried from the start
 * (re-reading everything), up to a bound. Rotation is a compare-and-swap on
 * `issuer_key_current`, so two rotations from the same key yield one new key, not two.
 */
import type { JWK } from 'jose';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { GENESIS_HASH, keyLogHash } from '../../../domain/verification/key-log.ts';
import {
  KeyDirectoryUnavailable,
  type IssuerKey,
  type IssuerKeyStore,
  type KeyLogEntry,
  type NewIssuerKey,
  type TrustAnchor,
} from '../../../domain/verification/ports.ts';
import type { SqlStore } from '../database.ts';
import { prepared } from '../prepared.ts';
import type { Database } from '../schema.ts';

type KeyRow = Selectable<Database['issuer_keys']>;
type AnchorRow = Selectable<Database['trust_anchors']>;
type Db = Kysely<Database> | Transaction<Database>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

function toKey(r: KeyRow): IssuerKey {
  return {
    kid: r.kid,
    issuerId: r.issuer_id,
    issuerName: r.issuer_name,
    kind: r.kind,
    alg: r.alg,
    publicJwk: JSON.parse(r.public_jwk) as JWK,
    did: r.did,
    certificate: r.certificate_der ? Buffer.from(r.certificate_der, 'base64') : null,
    chain: (JSON.parse(r.chain_der) as string[]).map((c) => Buffer.from(c, 'base64')),
    certSha256: r.cert_sha256,
    origin: r.origin,
    validFrom: new Date(r.valid_from),
    validUntil: date(r.valid_until),
    revokedAt: date(r.revoked_at),
    revocationReason: r.revocation_reason,
  };
}

function toAnchor(r: AnchorRow): TrustAnchor {
  return { id: r.id, name: r.name, certificate: Buffer.from(r.certificate_der, 'base64'), certSha256: r.cert_sha256, sandbox: r.sandbox === 1, wrappedPrivateKey: r.private_key };
}

function keyRow(k: NewIssuerKey, at: Date): Database['issuer_keys'] {
  return {
    kid: k.kid,
    issuer_id: k.issuerId,
    issuer_name: k.issuerName,
    kind: k.kind,
    alg: k.alg,
    public_jwk: JSON.stringify(k.publicJwk),
    did: k.did,
    certificate_der: k.certificate ? k.certificate.toString('base64') : null,
    chain_der: JSON.stringify(k.chain.map((c) => c.toString('base64'))),
    cert_sha256: k.certSha256,
    private_key: k.wrappedPrivateKey,
    origin: k.origin,
    valid_from: k.validFrom.toISOString(),
    valid_until: iso(k.validUntil),
    revoked_at: null,
    revocation_reason: null,
    created_at: at.toISOString(),
  };
}

function addedEntry(k: NewIssuerKey): Omit<KeyLogEntry, 'v' | 'seq' | 'prev' | 'at'> {
  return {
    event: 'key_added',
    issuer: k.issuerId,
    issuer_name: k.issuerName,
    kid: k.kid,
    kind: k.kind,
    alg: k.alg,
    jwk: k.publicJwk,
    did: k.did,
    ...(k.certificate ? { x5c: [k.certificate, ...k.chain].map((c) => c.toString('base64')) } : {}),
    origin: k.origin,
    valid_from: k.validFrom.toISOString(),
    valid_until: iso(k.validUntil),
  };
}

async function appendLog(trx: Db, partial: Omit<KeyLogEntry, 'v' | 'seq' | 'prev' | 'at'>, at: Date): Promise<void> {
  const head = await trx.selectFrom('key_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const entry: KeyLogEntry = { v: 1, seq: Number(head?.seq ?? 0) + 1, prev: head?.hash ?? GENESIS_HASH, at: at.toISOString(), ...partial };
  await trx
    .insertInto('key_log')
    .values({ seq: entry.seq, prev_hash: entry.prev, hash: keyLogHash(entry), entry: JSON.stringify(entry), issuer_id: entry.issuer, kid: entry.kid, event: entry.event, created_at: entry.at })
    .execute();
}

/** Unique violations, serialization failures and SQLite busy: another writer got there first. */
function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return ['23505', '40001', '40P01'].includes(e?.code ?? '') || /SQLITE_(BUSY|CONSTRAINT_(PRIMARYKEY|UNIQUE))/.test(e?.code ?? '') || /UNIQUE constraint failed/.test(e?.message ?? '');
}

async function withRetry<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i + 1 >= attempts || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (i + 1)));
    }
  }
}

async function read<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new KeyDirectoryUnavailable(err);
  }
}

/** How long a process trusts its cached keys before asking whether the key log moved. */
export const KEY_CACHE_REVALIDATE_MS = 1000;
const KEY_CACHE_MAX = 1000;

/**
 * Keys by kid for the verifier's hot path (every QR check), shared by every store on the
 * same database. Every change to a key (added, retired, revoked) appends to `key_log` in
 * the same transaction, so the log's head `seq` versions the whole directory: the cache
 * is emptied when this process changes a key, and at most every KEY_CACHE_REVALIDATE_MS
 * it reads the head and empties itself if another process (the `keys` CLI, another
 * server) moved it. A revocation is therefore seen at once here and within a second
 * everywhere else. Unknown kids are remembered too (bounded), so random kids cannot make
 * every request query; a failed read caches nothing and forces the next revalidation.
 */
interface KeyCache {
  keys: Map<string, IssuerKey | null>;
  head: number | null;
  checkedAt: number;
  /** Bumped whenever the cache is emptied: a read that started before must not refill it. */
  generation: number;
}
const keyCaches = new WeakMap<object, KeyCache>();

function keyCacheFor(db: object): KeyCache {
  let c = keyCaches.get(db);
  if (!c) keyCaches.set(db, (c = { keys: new Map(), head: null, checkedAt: -Infinity, generation: 0 }));
  return c;
}

function forget(c: KeyCache): void {
  c.keys.clear();
  c.checkedAt = -Infinity;
  c.generation++;
}

export function sqlIssuerKeyStore({ db, caps }: SqlStore, options: { revalidateMs?: number } = {}): IssuerKeyStore {
  const revalidateMs = options.revalidateMs ?? KEY_CACHE_REVALIDATE_MS;
  const byKid = prepared((slot) => db.selectFrom('issuer_keys').selectAll().where('kid', '=', slot('kid')));
  const head = db.selectFrom('key_log').select((eb) => eb.fn.max('seq').as('seq')).compile();
  const cache = keyCacheFor(db);
  const one = (q: Promise<KeyRow | undefined>) => read(async () => {
    const r = await q;
    return r ? toKey(r) : null;
  });
  /** Runs a change to the directory, then empties the cache (also when the change failed half-way). */
  const changing = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } finally {
      forget(cache);
    }
  };
  return {
    findByKid: (kid) =>
      read(async () => {
        const now = performance.now();
        if (now - cache.checkedAt > revalidateMs) {
          try {
            const seq = (await db.executeQuery<{ seq: number | string | null }>(head)).rows[0]?.seq ?? null;
            const current = seq === null ? null : Number(seq);
            if (current !== cache.head) forget(cache);
            cache.head = current;
            cache.checkedAt = now;
          } catch (err) {
            forget(cache);
            throw err;
          }
        }
        const hit = cache.keys.get(kid);
        if (hit !== undefined) return hit;
        const generation = cache.generation;
        const row = (await db.executeQuery(byKid({ kid }))).rows[0];
        const key = row ? Object.freeze(toKey(row)) : null;
        if (cache.generation === generation) {
          if (cache.keys.size >= KEY_CACHE_MAX) cache.keys.delete(cache.keys.keys().next().value!);
          cache.keys.set(kid, key);
        }
        return key;
      }),
    findByCertificate: (sha) => one(db.selectFrom('issuer_keys').selectAll().where('cert_sha256', '=', sha.toLowerCase()).executeTakeFirst()),
    findByDid: (did) => one(db.selectFrom('issuer_keys').selectAll().where('did', '=', did).orderBy('created_at', 'desc').executeTakeFirst()),

    async listForIssuer(issuerId) {
      const rows = await db.selectFrom('issuer_keys').selectAll().where('issuer_id', '=', issuerId).orderBy('created_at').orderBy('kid').execute();
      return rows.map(toKey);
    },

    async listIssuers() {
      const rows = await db.selectFrom('issuer_keys').select('issuer_id').distinct().orderBy('issuer_id').execute();
      return rows.map((r) => r.issuer_id);
    },

    async currentSigningKey(issuerId, kind) {
      const row = await db
        .selectFrom('issuer_key_current as c')
        .innerJoin('issuer_keys as k', 'k.kid', 'c.kid')
        .selectAll('k')
        .where('c.issuer_id', '=', issuerId)
        .where('c.kind', '=', kind)
        .executeTakeFirst();
      if (!row || !row.private_key || row.revoked_at) return null;
      return { key: toKey(row), wrappedPrivateKey: row.private_key };
    },

    addCurrentKey: (key, expected, at) =>
      changing(() => withRetry(() =>
        db.transaction().execute(async (trx) => {
          const cur = await caps
            .forUpdate(trx.selectFrom('issuer_key_current').select('kid').where('issuer_id', '=', key.issuerId).where('kind', '=', key.kind))
            .executeTakeFirst();
          if ((cur?.kid ?? null) !== expected) return 'conflict' as const;
          if (cur) {
            const swapped = await trx
              .updateTable('issuer_key_current')
              .set({ kid: key.kid, updated_at: at.toISOString() })
              .where('issuer_id', '=', key.issuerId)
              .where('kind', '=', key.kind)
              .where('kid', '=', cur.kid)
              .executeTakeFirst();
            if (Number(swapped.numUpdatedRows) !== 1) return 'conflict' as const;
            await trx.updateTable('issuer_keys').set({ valid_until: at.toISOString(), private_key: null }).where('kid', '=', cur.kid).execute();
            await appendLog(trx, { event: 'key_retired', issuer: key.issuerId, kid: cur.kid, valid_until: at.toISOString() }, at);
          } else {
            await trx.insertInto('issuer_key_current').values({ issuer_id: key.issuerId, kind: key.kind, kid: key.kid, updated_at: at.toISOString() }).execute();
          }
          await trx.insertInto('issuer_keys').values(keyRow(key, at)).execute();
          await appendLog(trx, addedEntry(key), at);
          return 'added' as const;
        }),
      )),

    registerKey: (key, at) =>
      changing(() => withRetry(() =>
        db.transaction().execute(async (trx) => {
          let q = trx.selectFrom('issuer_keys').select('kid').where('kid', '=', key.kid);
          if (key.certSha256) q = q.union(trx.selectFrom('issuer_keys').select('kid').where('cert_sha256', '=', key.certSha256));
          if (await q.executeTakeFirst()) return 'exists' as const;
          await trx.insertInto('issuer_keys').values(keyRow({ ...key, wrappedPrivateKey: null }, at)).execute();
          await appendLog(trx, addedEntry(key), at);
          return 'added' as const;
        }),
      )),

    revokeKey: (kid, reason, at) =>
      changing(() => withRetry(() =>
        db.transaction().execute(async (trx) => {
          const row = await caps.forUpdate(trx.selectFrom('issuer_keys').select(['issuer_id', 'revoked_at']).where('kid', '=', kid)).executeTakeFirst();
          if (!row) return false;
          if (row.revoked_at) return true;
          await trx.updateTable('issuer_keys').set({ revoked_at: at.toISOString(), revocation_reason: reason, private_key: null }).where('kid', '=', kid).execute();
          await trx.deleteFrom('issuer_key_current').where('kid', '=', kid).execute();
          await appendLog(trx, { event: 'key_revoked', issuer: row.issuer_id, kid, revoked_at: at.toISOString(), reason }, at);
          return true;
        }),
      )),

    async getAnchor(id) {
      const r = await db.selectFrom('trust_anchors').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toAnchor(r) : null;
    },

    ensureAnchor: (anchor, at) =>
      withRetry(() =>
        db.transaction().execute(async (trx) => {
          const existing = await trx.selectFrom('trust_anchors').selectAll().where('id', '=', anchor.id).executeTakeFirst();
          if (existing) return toAnchor(existing);
          await trx
            .insertInto('trust_anchors')
            .values({ id: anchor.id, name: anchor.name, certificate_der: anchor.certificate.toString('base64'), cert_sha256: anchor.certSha256, private_key: anchor.wrappedPrivateKey, sandbox: anchor.sandbox ? 1 : 0, created_at: at.toISOString() })
            .execute();
          await appendLog(trx, { event: 'anchor_added', issuer: anchor.sandbox ? 'sandbox' : anchor.name, kid: anchor.id, kind: 'anchor', x5c: [anchor.certificate.toString('base64')] }, at);
          return anchor;
        }),
      ),

    async listAnchors() {
      const rows = await db.selectFrom('trust_anchors').selectAll().orderBy('created_at').execute();
      return rows.map(toAnchor);
    },

    async readLog(afterSeq, limit) {
      const rows = await db.selectFrom('key_log').select(['entry', 'hash']).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
      return rows.map((r) => ({ entry: JSON.parse(r.entry) as KeyLogEntry, hash: r.hash }));
    },
  };
}
