/**
 * ConsentRepository, NoticeQueue and DeviceRequestStore on the SQL store. Revocation,
 * notice claims and device-code use are single guarded UPDATE … RETURNING statements:
 * the database decides every race, on both dialects.
 */
import type { Selectable } from 'kysely';
import type { Consent, ConsentAccess, ConsentDocument, ConsentFlow, RevokedBy } from '../../../domain/consent/model.ts';
import type { ConsentRepository, DeviceRequest, DeviceRequestStore, NoticeQueue } from '../../../domain/consent/ports.ts';
import { PARTNER_ACCESS_TYPES } from '../../../domain/consent/record-partner-access.ts';
import type { SqlStore } from '../database.ts';
import { powerOfTwoChunks, sharedGroupCommit } from '../group-commit.ts';
import { safeStamp } from '../read-cache.ts';
import { settleActivity } from './activity-log.ts';
import type { ConsentTables } from '../tables/consent.ts';

type Row = Selectable<ConsentTables['consents']>;

function toConsent(r: Row): Consent {
  return {
    id: r.id,
    accountId: r.account_id,
    partnerId: r.partner_id,
    grantId: r.grant_id,
    flow: r.flow as ConsentFlow,
    purpose: r.purpose,
    scopes: JSON.parse(r.scopes) as string[],
    documents: JSON.parse(r.documents) as ConsentDocument[],
    grantedAt: r.granted_at,
    validTill: r.valid_till,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by as RevokedBy | null,
    revokedReason: r.revoked_reason,
    referenceKey: r.reference_key,
    receipt: r.receipt,
    ip: r.ip,
    userAgent: r.user_agent,
  };
}

/** What an access record needs of an activity event (see recordPartnerAccess). */
const accessColumns = ['account_id', 'subject_id', 'actor_id', 'at', 'ip', 'details'] as const;

function toAccess(r: { account_id: string; subject_id: string | null; actor_id: string; at: string; ip: string | null; details: string }): ConsentAccess {
  const d = JSON.parse(r.details) as { action?: unknown; subject?: unknown };
  return {
    consentId: r.subject_id ?? '',
    accountId: r.account_id,
    partnerId: r.actor_id,
    at: r.at,
    action: typeof d.action === 'string' ? d.action : 'access',
    subject: typeof d.subject === 'string' ? d.subject : null,
    ip: r.ip,
  };
}

export function sqlConsents(store: SqlStore): ConsentRepository {
  const { db } = store;
  return {
    async create(c) {
      await db
        .insertInto('consents')
        .values({
          id: c.id,
          account_id: c.accountId,
          partner_id: c.partnerId,
          grant_id: c.grantId,
          flow: c.flow,
          purpose: c.purpose,
          scopes: JSON.stringify(c.scopes),
          documents: JSON.stringify(c.documents),
          granted_at: c.grantedAt,
          valid_till: c.validTill,
          revoked_at: c.revokedAt,
          revoked_by: c.revokedBy,
          revoked_reason: c.revokedReason,
          reference_key: c.referenceKey,
          receipt: c.receipt,
          ip: c.ip,
          user_agent: c.userAgent,
        })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('consents').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toConsent(r) : null;
    },
    async getByGrant(grantId) {
      const r = await db.selectFrom('consents').selectAll().where('grant_id', '=', grantId).executeTakeFirst();
      return r ? toConsent(r) : null;
    },
    async bindGrant(id, grantId) {
      await db.updateTable('consents').set({ grant_id: grantId }).where('id', '=', id).where('grant_id', 'is', null).execute();
    },
    async listForAccount(accountId, limit = 200) {
      const rows = await db.selectFrom('consents').selectAll().where('account_id', '=', accountId).orderBy('granted_at', 'desc').orderBy('id').limit(limit).execute();
      return rows.map(toConsent);
    },
    async revoke(id, by, reason, now, accountId) {
      let q = db
        .updateTable('consents')
        .set({ revoked_at: now.toISOString(), revoked_by: by, revoked_reason: reason })
        .where('id', '=', id)
        .where('revoked_at', 'is', null);
      if (accountId !== undefined) q = q.where('account_id', '=', accountId);
      const r = await q.returningAll().executeTakeFirst();
      return r ? toConsent(r) : null;
    },
    async revokeByGrant(grantId, by, reason, now) {
      const r = await db
        .updateTable('consents')
        .set({ revoked_at: now.toISOString(), revoked_by: by, revoked_reason: reason })
        .where('grant_id', '=', grantId)
        .where('revoked_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return r ? toConsent(r) : null;
    },
    async listUnrevokedForPartner(partnerId, limit = 1000) {
      const rows = await db.selectFrom('consents').selectAll().where('partner_id', '=', partnerId).where('revoked_at', 'is', null).orderBy('granted_at').limit(limit).execute();
      return rows.map(toConsent);
    },
    // Accesses live in the activity log (one record per access, see recordPartnerAccess).
    async listAccesses(accountId, consentId, limit = 100) {
      await settleActivity(store);
      const rows = await db
        .selectFrom('activity_events')
        .select(accessColumns)
        .where('account_id', '=', accountId)
        .where('subject_kind', '=', 'consent')
        .where('subject_id', '=', consentId)
        .where('type', 'in', PARTNER_ACCESS_TYPES)
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toAccess);
    },
    async accessesSince(accountId, partnerId, since, limit = 500) {
      await settleActivity(store);
      const rows = await db
        .selectFrom('activity_events')
        .select(accessColumns)
        .where('account_id', '=', accountId)
        .where('at', '>=', since)
        .where('actor_kind', '=', 'partner')
        .where('actor_id', '=', partnerId)
        .where('type', 'in', PARTNER_ACCESS_TYPES)
        .orderBy('at')
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toAccess);
    },
    async eraseAccount(accountId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('partner_notices').where('account_id', '=', accountId).execute();
        await trx.deleteFrom('consents').where('account_id', '=', accountId).execute();
      });
    },
  };
}

const NOTICE_TABLES = ['partner_notices'] as const;

export function sqlNoticeQueue({ db, changes }: SqlStore): NoticeQueue {
  type Bump = { accountId: string; partnerId: string; at: Date };
  // `pending` is a flag: the message is built from the access records since
  // `first_pending_at`, so a bump only writes when it starts a batch (pending 0 → 1; the
  // first bump of a pair, as if written one by one, sets first_pending_at). Every later bump
  // of the batch changes nothing and writes no page: this runs on every partner API call.
  // Group commit: one upsert per batch, in key order (two processes' batches cannot deadlock).
  const bump = sharedGroupCommit(db, async (batch: Bump[], q) => {
    const firsts = new Map<string, { account_id: string; partner_id: string; pending: number; first_pending_at: string; last_sent_at: null }>();
    for (const b of batch) {
      const k = `${b.accountId}\u0000${b.partnerId}`;
      if (!firsts.has(k)) firsts.set(k, { account_id: b.accountId, partner_id: b.partnerId, pending: 1, first_pending_at: b.at.toISOString(), last_sent_at: null });
    }
    const rows = [...firsts.keys()].sort().map((k) => firsts.get(k)!);
    for (const chunk of powerOfTwoChunks(rows)) {
      await q
        .insertInto('partner_notices')
        .values(chunk)
        .onConflict((oc) =>
          oc
            .columns(['account_id', 'partner_id'])
            .doUpdateSet((eb) => ({ pending: 1, first_pending_at: eb.fn.coalesce('partner_notices.first_pending_at', eb.ref('excluded.first_pending_at')) }))
            .where('partner_notices.pending', '=', 0),
        )
        .execute();
    }
    // What partner_notices looks like right after these rows were made pending (nothing
    // else runs on the connection until the commit).
    const after = changes ? safeStamp(changes, NOTICE_TABLES) : null;
    return batch.map(() => after);
  });
  // On SQLite, pairs this process made pending stay pending until partner_notices is
  // written again — here (the notifier clearing them) or through another connection — and
  // the change feed's stamp moves: until then their bump would change nothing and is
  // skipped, with no statement at all.
  let pendingAt: string | null = null;
  const pending = new Set<string>();
  return {
    async bump(accountId, partnerId, at) {
      const k = `${accountId}\u0000${partnerId}`;
      if (changes && pending.has(k) && safeStamp(changes, NOTICE_TABLES) === pendingAt) return;
      const after = await bump({ accountId, partnerId, at });
      if (after === null) return;
      if (after !== pendingAt) {
        pending.clear();
        pendingAt = after;
      }
      if (pending.size < 100_000) pending.add(k);
    },
    async claimDue(now, intervalMs, limit) {
      const cutoff = new Date(now.getTime() - intervalMs).toISOString();
      const due = await db
        .selectFrom('partner_notices')
        .select(['account_id', 'partner_id', 'pending', 'first_pending_at'])
        .where('pending', '>', 0)
        .where((eb) => eb.or([eb('last_sent_at', 'is', null), eb('last_sent_at', '<=', cutoff)]))
        .orderBy('first_pending_at')
        .limit(limit)
        .execute();
      const claimed: Array<{ accountId: string; partnerId: string; since: string; count: number }> = [];
      for (const d of due) {
        const r = await db
          .updateTable('partner_notices')
          .set({ pending: 0, first_pending_at: null, last_sent_at: now.toISOString() })
          .where('account_id', '=', d.account_id)
          .where('partner_id', '=', d.partner_id)
          .where('pending', '>', 0)
          .where((eb) => eb.or([eb('last_sent_at', 'is', null), eb('last_sent_at', '<=', cutoff)]))
          .returning(['account_id', 'partner_id'])
          .executeTakeFirst();
        // The batch starts at the first pending access read before the claim (an access
        // bumped in between is after it, so the message, built from the access records
        // since then, includes it too).
        if (r) claimed.push({ accountId: r.account_id, partnerId: r.partner_id, since: d.first_pending_at ?? cutoff, count: Number(d.pending) });
      }
      return claimed;
    },
    async release(n) {
      await db
        .updateTable('partner_notices')
        .set((eb) => ({ pending: 1, first_pending_at: eb.fn.coalesce('first_pending_at', eb.val(n.since)), last_sent_at: null }))
        .where('account_id', '=', n.accountId)
        .where('partner_id', '=', n.partnerId)
        .execute();
    },
  };
}

type DeviceRow = Selectable<ConsentTables['partner_device_requests']>;

function toDevice(r: DeviceRow): DeviceRequest {
  return {
    id: r.id,
    partnerId: r.partner_id,
    challengeId: r.challenge_id,
    purpose: r.purpose,
    scopes: JSON.parse(r.scopes) as string[],
    consentValidTill: r.consent_valid_till,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    consumedAt: r.consumed_at === null ? null : Number(r.consumed_at),
    ip: r.ip,
  };
}

export function sqlDeviceRequests({ db }: SqlStore): DeviceRequestStore {
  return {
    async create(r) {
      await db
        .insertInto('partner_device_requests')
        .values({
          id: r.id,
          partner_id: r.partnerId,
          challenge_id: r.challengeId,
          purpose: r.purpose,
          scopes: JSON.stringify(r.scopes),
          consent_valid_till: r.consentValidTill,
          created_at: r.createdAt,
          expires_at: r.expiresAt,
          consumed_at: null,
          ip: r.ip,
        })
        .execute();
    },
    async get(id) {
      const r = await db.selectFrom('partner_device_requests').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toDevice(r) : null;
    },
    async consume(id, nowMs) {
      const r = await db
        .updateTable('partner_device_requests')
        .set({ consumed_at: nowMs })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', nowMs)
        .returningAll()
        .executeTakeFirst();
      return r ? toDevice(r) : null;
    },
  };
}
