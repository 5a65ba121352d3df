/** ShareRepo on the SQL store (contract and race rules: domain/sharing/ports.ts). */
import { sql as raw, type Selectable } from 'kysely';
import type { DocumentSourceKind } from '../../../domain/documents/sources.ts';
import type { Share, ShareOpenAttempt, ShareRepo } from '../../../domain/sharing/ports.ts';
import type { SqlStore } from '../database.ts';
import { sharedGroupCommit } from '../group-commit.ts';
import { prepared } from '../prepared.ts';
import type { Database } from '../schema.ts';

type Row = Selectable<Database['shares']>;

const toShare = (r: Row): Share => ({
  id: r.id,
  accountId: r.account_id,
  source: r.source as DocumentSourceKind,
  ref: r.ref,
  docName: r.doc_name,
  sharerName: r.sharer_name,
  recipientEmail: r.recipient_email,
  hasAccessCode: r.access_code_hash !== null,
  maxViews: r.max_views === null ? null : Number(r.max_views),
  views: Number(r.views),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastOpenedAt: r.last_opened_at,
});

export function sqlShares(store: SqlStore): ShareRepo {
  const { db } = store;
  // A view counted and its open recorded together, atomically per open (the guarded UPDATE
  // refuses a revoked, expired or used-up link); opens of one turn share the store's
  // group-commit transaction with the activity entries and counters of that turn.
  // The statements of an open are compiled once (storage/sql/prepared.ts): it is a hot path.
  // Both counts apply the same guards; the share is found by id, or by token hash for a link
  // without an access code (a coded link is counted by id once its code is checked).
  type Slot = (name: 'now') => never;
  const count = (slot: Slot) => db.updateTable('shares').set({ views: raw`views + 1`, last_opened_at: slot('now') });
  const underGuards = (slot: Slot, q: ReturnType<typeof count>) =>
    q
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', slot('now'))
      .where((eb) => eb.or([eb('max_views', 'is', null), eb('views', '<', eb.ref('max_views'))]))
      .returningAll();
  const countView = prepared((slot) => underGuards(slot, count(slot).where('id', '=', slot('id'))));
  const countViewByToken = prepared((slot) => underGuards(slot, count(slot).where('token_hash', '=', slot('hash')).where('access_code_hash', 'is', null)));
  const recordOpen = prepared((slot) => db.insertInto('share_opens').values({ share_id: slot('id'), account_id: slot('accountId'), at: slot('now'), notified_at: null }));
  const byToken = prepared((slot) => db.selectFrom('shares').selectAll().where('token_hash', '=', slot('hash')));
  const consume = sharedGroupCommit(db, async (items: Array<{ id: string; now: string }>, trx) => {
    const out: Array<Share | null> = [];
    for (const { id, now } of items) {
      const r = (await trx.executeQuery(countView({ id, now }))).rows[0];
      if (r) await trx.executeQuery(recordOpen({ id, accountId: r.account_id, now }));
      out.push(r ? toShare(r) : null);
    }
    return out;
  });
  const openByToken = sharedGroupCommit(db, async (items: Array<{ hash: string; now: string }>, trx) => {
    const out: ShareOpenAttempt[] = [];
    for (const { hash, now } of items) {
      const r = (await trx.executeQuery(countViewByToken({ hash, now }))).rows[0];
      if (r) {
        await trx.executeQuery(recordOpen({ id: r.id, accountId: r.account_id, now }));
        out.push({ counted: toShare(r) });
        continue;
      }
      // Not counted: what is stored, read in the same transaction, says why.
      const stored = (await trx.executeQuery(byToken({ hash }))).rows[0];
      out.push({ stored: stored ? { ...toShare(stored), accessCodeHash: stored.access_code_hash } : null });
    }
    return out;
  });
  const one = async (accountId: string, id: string) => {
    const r = await db.selectFrom('shares').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return r ? toShare(r) : null;
  };
  return {
    async insert(s) {
      await db
        .insertInto('shares')
        .values({
          id: s.id,
          account_id: s.accountId,
          token_hash: s.tokenHash,
          source: s.source,
          ref: s.ref,
          doc_name: s.docName,
          sharer_name: s.sharerName,
          recipient_email: s.recipientEmail,
          access_code_hash: s.accessCodeHash,
          max_views: s.maxViews,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
          revoked_at: null,
          last_opened_at: null,
        })
        .execute();
    },

    async byTokenHash(hash) {
      const r = (await db.executeQuery(byToken({ hash }))).rows[0];
      return r ? { ...toShare(r), accessCodeHash: r.access_code_hash } : null;
    },

    get: one,

    async list(accountId) {
      return (await db.selectFrom('shares').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').orderBy('id').execute()).map(toShare);
    },

    async countActive(accountId, now) {
      const r = await db
        .selectFrom('shares')
        .select(db.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .where((eb) => eb.or([eb('max_views', 'is', null), eb('views', '<', eb.ref('max_views'))]))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    async setExpiry(accountId, id, expiresAt) {
      await db.updateTable('shares').set({ expires_at: expiresAt }).where('account_id', '=', accountId).where('id', '=', id).where('revoked_at', 'is', null).execute();
      return one(accountId, id);
    },

    async revoke(accountId, id, at) {
      await db.updateTable('shares').set({ revoked_at: at }).where('account_id', '=', accountId).where('id', '=', id).where('revoked_at', 'is', null).execute();
      return one(accountId, id);
    },

    consumeShareUse: (id, now) => consume({ id, now }),
    openByTokenHash: (hash, now) => openByToken({ hash, now }),

    async claimOpens(before, now, limit) {
      const due = await db.selectFrom('share_opens').select('account_id').distinct().where('notified_at', 'is', null).where('at', '<=', before).limit(limit).execute();
      const out = [];
      for (const { account_id } of due) {
        const rows = await db
          .updateTable('share_opens')
          .set({ notified_at: now })
          .where('account_id', '=', account_id)
          .where('notified_at', 'is', null)
          .returning(['share_id', 'at'])
          .execute();
        if (rows.length) out.push({ accountId: account_id, opens: rows.map((r) => ({ shareId: r.share_id, at: r.at })) });
      }
      return out;
    },

    async revokeForDocument(accountId, source, ref, at) {
      const r = await db.updateTable('shares').set({ revoked_at: at }).where('account_id', '=', accountId).where('source', '=', source).where('ref', '=', ref).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async pruneOpens(before) {
      const r = await db.deleteFrom('share_opens').where('notified_at', 'is not', null).where('notified_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async eraseAccount(accountId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('share_opens').where('account_id', '=', accountId).execute();
        await trx.deleteFrom('shares').where('account_id', '=', accountId).execute();
      });
    },

    async unclaim(accountId, at) {
      await db.updateTable('share_opens').set({ notified_at: null }).where('account_id', '=', accountId).where('notified_at', '=', at).execute();
    },
  };
}
