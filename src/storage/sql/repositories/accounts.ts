/**
 * AccountRepository on the SQL store. The PIN-attempt methods are single guarded UPDATEs
 * (`… WHERE failed_pins < max … RETURNING`), so concurrent tries serialise on the row
 * (PostgreSQL) or the database (SQLite) and never exceed the limit.
 */
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Account, AccountRepository, AccountTombstone, Gender } from '../../../domain/accounts/ports.ts';
import { AppError } from '../../../domain/errors.ts';
import type { SqlStore } from '../database.ts';
import type { AccountsTables } from '../tables/accounts.ts';

type Row = Selectable<AccountsTables['accounts']>;

function toAccount(r: Row): Account {
  return {
    id: r.id,
    mobile: r.mobile,
    name: r.name,
    dob: r.dob,
    gender: r.gender as Gender,
    email: r.email,
    emailVerified: r.email_verified === 1,
    pinHash: r.pin_hash,
    mustChangePin: r.must_change_pin === 1,
    aadhaarLinked: r.aadhaar_linked === 1,
    failedPins: Number(r.failed_pins),
    lockouts: Number(r.lockouts),
    lockedUntil: r.locked_until,
    status: r.status as Account['status'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Unique-constraint violations on both dialects (SQLite SQLITE_CONSTRAINT_UNIQUE, PostgreSQL 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function sqlAccounts({ db }: SqlStore): AccountRepository {
  const byId = (id: string) => db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return {
    async create(a, now) {
      const at = now.toISOString();
      const row: Row = {
        id: a.id ?? crypto.randomUUID(),
        mobile: a.mobile,
        name: a.name,
        dob: a.dob,
        gender: a.gender,
        email: a.email,
        email_verified: 0,
        pin_hash: a.pinHash,
        must_change_pin: a.mustChangePin ? 1 : 0,
        aadhaar_linked: 0,
        failed_pins: 0,
        lockouts: 0,
        locked_until: null,
        status: 'active',
        created_at: at,
        updated_at: at,
      };
      try {
        await db.insertInto('accounts').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'account_exists', 'This mobile number already has a locker. Sign in instead, or use "Forgot PIN".');
        throw err;
      }
      return toAccount(row);
    },
    async findById(id) {
      const r = await byId(id);
      return r ? toAccount(r) : null;
    },
    async findByMobile(mobile) {
      const r = await db.selectFrom('accounts').selectAll().where('mobile', '=', mobile).executeTakeFirst();
      return r ? toAccount(r) : null;
    },
    async reservePinAttempt(id, now, maxFailures) {
      const at = now.toISOString();
      const r = await db
        .updateTable('accounts')
        .set((eb) => ({ failed_pins: eb('failed_pins', '+', 1) }))
        .where('id', '=', id)
        .where('status', '=', 'active')
        .where('failed_pins', '<', maxFailures)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
        .returning(['failed_pins'])
        .executeTakeFirst();
      if (r) return { reserved: true, failedPins: Number(r.failed_pins) };
      const cur = await byId(id);
      return { reserved: false, lockedUntil: cur?.locked_until && cur.locked_until > at ? cur.locked_until : null };
    },
    async pinSucceeded(id) {
      await db.updateTable('accounts').set({ failed_pins: 0, lockouts: 0, locked_until: null }).where('id', '=', id).execute();
    },
    async lockIfExhausted(id, now, maxFailures, lockFor) {
      const cur = await byId(id);
      if (!cur || cur.failed_pins < maxFailures) return null;
      const lockouts = Number(cur.lockouts);
      const until = new Date(now.getTime() + lockFor(lockouts)).toISOString();
      // Guarded by the values just read: of concurrent callers, only the first update matches.
      const r = await db
        .updateTable('accounts')
        .set({ locked_until: until, lockouts: lockouts + 1, failed_pins: 0, updated_at: now.toISOString() })
        .where('id', '=', id)
        .where('failed_pins', '>=', maxFailures)
        .where('lockouts', '=', lockouts)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1 ? until : null;
    },
    async unlock(id, now) {
      await db.updateTable('accounts').set({ failed_pins: 0, lockouts: 0, locked_until: null, updated_at: now.toISOString() }).where('id', '=', id).execute();
    },
    async setPin(id, pinHash, now) {
      await db
        .updateTable('accounts')
        .set({ pin_hash: pinHash, must_change_pin: 0, failed_pins: 0, lockouts: 0, locked_until: null, updated_at: now.toISOString() })
        .where('id', '=', id)
        .execute();
    },
    async setEmail(id, email, now) {
      await db.updateTable('accounts').set({ email, email_verified: 0, updated_at: now.toISOString() }).where('id', '=', id).execute();
    },
    async markEmailVerified(id, email, now) {
      const r = await db.updateTable('accounts').set({ email_verified: 1, updated_at: now.toISOString() }).where('id', '=', id).where('email', '=', email).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async setMobile(id, mobile, now) {
      try {
        await db.updateTable('accounts').set({ mobile, updated_at: now.toISOString() }).where('id', '=', id).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'mobile_taken', 'That number already belongs to another locker.', { field: 'new_mobile' });
        throw err;
      }
    },
    async setAadhaarLinked(id, linked, now) {
      await db.updateTable('accounts').set({ aadhaar_linked: linked ? 1 : 0, updated_at: now.toISOString() }).where('id', '=', id).execute();
    },
    async markDeleting(id, now) {
      const r = await db.updateTable('accounts').set({ status: 'deleting', updated_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async listDeleting(limit) {
      const rows = await db.selectFrom('accounts').selectAll().where('status', '=', 'deleting').limit(limit).execute();
      return rows.map(toAccount);
    },
    async removeWithTombstone(stub: AccountTombstone) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('deleted_accounts')
          .values({ account_id: stub.accountId, created_at: stub.createdAt, deleted_at: stub.deletedAt, activity_count: stub.activityCount, activity_head: stub.activityHead })
          .onConflict((oc) => oc.column('account_id').doNothing())
          .execute();
        await trx.deleteFrom('accounts').where('id', '=', stub.accountId).execute();
      });
    },
    async findTombstone(accountId) {
      const r = await db.selectFrom('deleted_accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
      return r ? { accountId: r.account_id, createdAt: r.created_at, deletedAt: r.deleted_at, activityCount: Number(r.activity_count), activityHead: r.activity_head } : null;
    },
  };
}
