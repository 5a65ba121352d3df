/**
 * OtpChallengeStore on the SQL store. `consumeOtpAttempt` and `consumeOtp` are single
 * guarded UPDATE … RETURNING statements: the database decides the race, on both dialects.
 */
import type { Selectable } from 'kysely';
import type { OtpChallenge, OtpChallengeStore, OtpPurpose } from '../../../domain/accounts/ports.ts';
import type { SqlStore } from '../database.ts';
import type { AccountsTables } from '../tables/accounts.ts';

type Row = Selectable<AccountsTables['otp_challenges']>;

const n = (v: number | null) => (v === null ? null : Number(v));

function toChallenge(r: Row): OtpChallenge {
  return {
    id: r.id,
    purpose: r.purpose as OtpPurpose,
    mobile: r.mobile,
    accountId: r.account_id,
    codeHash: r.code_hash,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    resendAt: Number(r.resend_at),
    attempts: Number(r.attempts),
    wrongAttempts: Number(r.wrong_attempts),
    maxAttempts: Number(r.max_attempts),
    verifiedAt: n(r.verified_at),
    consumedAt: n(r.consumed_at),
    supersededAt: n(r.superseded_at),
  };
}

export function sqlOtpChallenges({ db }: SqlStore): OtpChallengeStore {
  return {
    async issue(c) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('otp_challenges')
          .set({ superseded_at: c.createdAt })
          .where('mobile', '=', c.mobile)
          .where('purpose', '=', c.purpose)
          .where('superseded_at', 'is', null)
          .where('consumed_at', 'is', null)
          .execute();
        await trx
          .insertInto('otp_challenges')
          .values({
            id: c.id,
            purpose: c.purpose,
            mobile: c.mobile,
            account_id: c.accountId,
            code_hash: c.codeHash,
            created_at: c.createdAt,
            expires_at: c.expiresAt,
            resend_at: c.resendAt,
            attempts: 0,
            wrong_attempts: 0,
            max_attempts: c.maxAttempts,
            verified_at: null,
            consumed_at: null,
            superseded_at: null,
          })
          .execute();
      });
    },
    async get(id) {
      const r = await db.selectFrom('otp_challenges').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toChallenge(r) : null;
    },
    async latestOpen(mobile, purpose) {
      const r = await db
        .selectFrom('otp_challenges')
        .selectAll()
        .where('mobile', '=', mobile)
        .where('purpose', '=', purpose)
        .where('superseded_at', 'is', null)
        .where('consumed_at', 'is', null)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? toChallenge(r) : null;
    },
    async consumeOtpAttempt(id, nowMs) {
      const r = await db
        .updateTable('otp_challenges')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .where('superseded_at', 'is', null)
        .where('expires_at', '>', nowMs)
        .where((eb) => eb('attempts', '<', eb.ref('max_attempts')))
        .returningAll()
        .executeTakeFirst();
      return r ? toChallenge(r) : null;
    },
    async markVerified(id, nowMs) {
      await db
        .updateTable('otp_challenges')
        .set((eb) => ({ attempts: eb('attempts', '-', 1), verified_at: eb.fn.coalesce('verified_at', eb.val(nowMs)) }))
        .where('id', '=', id)
        .execute();
    },
    async recordWrongAttempt(id) {
      const r = await db
        .updateTable('otp_challenges')
        .set((eb) => ({ wrong_attempts: eb('wrong_attempts', '+', 1) }))
        .where('id', '=', id)
        .returning(['wrong_attempts'])
        .executeTakeFirst();
      return r ? Number(r.wrong_attempts) : Number.MAX_SAFE_INTEGER;
    },
    async consumeOtp(id, nowMs) {
      const r = await db
        .updateTable('otp_challenges')
        .set({ consumed_at: nowMs })
        .where('id', '=', id)
        .where('verified_at', 'is not', null)
        .where('consumed_at', 'is', null)
        .where('superseded_at', 'is', null)
        .where('expires_at', '>', nowMs)
        .returningAll()
        .executeTakeFirst();
      return r ? toChallenge(r) : null;
    },
    async delete(id) {
      await db.deleteFrom('otp_challenges').where('id', '=', id).execute();
    },
    async deleteForAccount(accountId, mobile) {
      await db.deleteFrom('otp_challenges').where((eb) => eb.or([eb('account_id', '=', accountId), eb('mobile', '=', mobile)])).execute();
    },
    async sweep(beforeMs) {
      const r = await db.deleteFrom('otp_challenges').where('expires_at', '<', beforeMs).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
