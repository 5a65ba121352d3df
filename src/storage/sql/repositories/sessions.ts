/**
 * SessionStore on the SQL store (the default without REDIS_URL). Lookups are one read by
 * the unique `token_hash`; ending is a guarded `UPDATE … WHERE ended_at IS NULL RETURNING`,
 * so each session is ended (and its end logged) by exactly one caller.
 */
import type { Selectable } from 'kysely';
import type { SessionEndReason, SessionStore, StoredSession } from '../../../domain/accounts/ports.ts';
import type { SqlStore } from '../database.ts';
import { prepared } from '../prepared.ts';
import { readCache } from '../read-cache.ts';
import type { AccountsTables } from '../tables/accounts.ts';

type Row = Selectable<AccountsTables['sessions']>;

function toSession(r: Row): StoredSession {
  return {
    id: r.id,
    tokenHash: r.token_hash,
    accountId: r.account_id,
    name: r.name,
    mustChangePin: r.must_change_pin === 1,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
    ip: r.ip,
    userAgent: r.user_agent,
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    endReason: r.end_reason as SessionEndReason | null,
  };
}

export function sqlSessionStore({ db, changes }: SqlStore): SessionStore {
  // The hot path (every authenticated request): compiled once, run with the token hash, and on
  // SQLite through a never-stale cache (storage/sql/read-cache.ts) that any write to sessions
  // empties — a sign-out, from this process or another, is seen by the next request.
  const byTokenQuery = prepared((slot) => db.selectFrom('sessions').selectAll().where('token_hash', '=', slot('tokenHash')));
  const byToken = readCache<string, StoredSession>(changes, ['sessions']);
  return {
    async create(s) {
      await db
        .insertInto('sessions')
        .values({
          id: s.id,
          token_hash: s.tokenHash,
          account_id: s.accountId,
          name: s.name,
          must_change_pin: s.mustChangePin ? 1 : 0,
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
          ip: s.ip,
          user_agent: s.userAgent,
          ended_at: null,
          end_reason: null,
        })
        .execute();
    },
    findByTokenHash(tokenHash) {
      return byToken.get(tokenHash, async () => {
        const { rows } = await db.executeQuery(byTokenQuery({ tokenHash }));
        return rows[0] ? toSession(rows[0]) : null;
      });
    },
    async touch(id, atMs) {
      await db.updateTable('sessions').set({ last_seen_at: atMs }).where('id', '=', id).where('ended_at', 'is', null).where('last_seen_at', '<', atMs).execute();
    },
    async end(id, reason, atMs) {
      const r = await db.updateTable('sessions').set({ ended_at: atMs, end_reason: reason }).where('id', '=', id).where('ended_at', 'is', null).returningAll().executeTakeFirst();
      return r ? toSession(r) : null;
    },
    async endAllForAccount(accountId, reason, atMs, exceptId) {
      let q = db.updateTable('sessions').set({ ended_at: atMs, end_reason: reason }).where('account_id', '=', accountId).where('ended_at', 'is', null);
      if (exceptId) q = q.where('id', '!=', exceptId);
      return (await q.returningAll().execute()).map(toSession);
    },
    async listLive(accountId) {
      const rows = await db.selectFrom('sessions').selectAll().where('account_id', '=', accountId).where('ended_at', 'is', null).orderBy('last_seen_at', 'desc').orderBy('id').execute();
      return rows.map(toSession);
    },
    async sweep(nowMs, idleMs, purgeBeforeMs) {
      const idle = await db
        .updateTable('sessions')
        .set({ ended_at: nowMs, end_reason: 'idle' })
        .where('ended_at', 'is', null)
        .where('last_seen_at', '<=', nowMs - idleMs)
        .where('expires_at', '>', nowMs)
        .returningAll()
        .execute();
      const expired = await db
        .updateTable('sessions')
        .set({ ended_at: nowMs, end_reason: 'expired' })
        .where('ended_at', 'is', null)
        .where('expires_at', '<=', nowMs)
        .returningAll()
        .execute();
      await db.deleteFrom('sessions').where('ended_at', '<', purgeBeforeMs).execute();
      return [...idle, ...expired].map(toSession);
    },
    async deleteAllForAccount(accountId) {
      await db.deleteFrom('sessions').where('account_id', '=', accountId).execute();
    },
  };
}
