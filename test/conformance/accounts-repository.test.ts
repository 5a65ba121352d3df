/**
 * The AccountRepository contract on both dialects: unique numbers, PIN tries that never
 * exceed the limit under concurrency, one lock per exhaustion, and erasure to a stub.
 */
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import type { AccountRepository, NewAccount } from '../../src/domain/accounts/ports.ts';
import { sqlAccounts } from '../../src/storage/sql/repositories/accounts.ts';
import { describeEachDialect } from '../support/sql.ts';

const NOW = new Date('2026-03-01T10:00:00.000Z');

function newAccount(over: Partial<NewAccount> = {}): NewAccount {
  return {
    mobile: `+9197${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`,
    name: 'Asha Devi',
    dob: '1990-04-12',
    gender: 'F',
    email: null,
    pinHash: 'hash',
    mustChangePin: false,
    ...over,
  };
}

describeEachDialect('AccountRepository (SQL)', (get) => {
  const repo = (): AccountRepository => sqlAccounts(get());

  it('creates accounts with unique mobiles: of two racing creates one wins', async () => {
    const a = newAccount();
    const results = await Promise.allSettled([repo().create(a, NOW), repo().create(a, NOW)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'account_exists' });
    const found = await repo().findByMobile(a.mobile);
    expect(found).toMatchObject({ mobile: a.mobile, name: 'Asha Devi', status: 'active', failedPins: 0 });
    expect(await repo().findById(found!.id)).toEqual(found);
  });

  it('50 concurrent PIN tries reserve at most 5, then one lock', async () => {
    const acc = await repo().create(newAccount(), NOW);
    const tries = await Promise.all(Array.from({ length: 50 }, () => repo().reservePinAttempt(acc.id, NOW, 5)));
    expect(tries.filter((t) => t.reserved)).toHaveLength(5);
    const locks = await Promise.all(Array.from({ length: 10 }, () => repo().lockIfExhausted(acc.id, NOW, 5, (n) => 900_000 * 2 ** n)));
    expect(locks.filter((l) => l !== null)).toEqual(['2026-03-01T10:15:00.000Z']);
    expect(await repo().reservePinAttempt(acc.id, new Date('2026-03-01T10:14:59.000Z'), 5)).toEqual({ reserved: false, lockedUntil: '2026-03-01T10:15:00.000Z' });
    // After the lock: 5 more tries, and the next lock is twice as long.
    const later = new Date('2026-03-01T10:15:00.000Z');
    for (let i = 0; i < 5; i++) expect((await repo().reservePinAttempt(acc.id, later, 5)).reserved).toBe(true);
    expect(await repo().lockIfExhausted(acc.id, later, 5, (n) => 900_000 * 2 ** n)).toBe('2026-03-01T10:45:00.000Z');
  });

  it('a right PIN resets failures and the back-off; setPin clears a lock', async () => {
    const acc = await repo().create(newAccount(), NOW);
    await repo().reservePinAttempt(acc.id, NOW, 5);
    await repo().pinSucceeded(acc.id);
    expect(await repo().findById(acc.id)).toMatchObject({ failedPins: 0, lockouts: 0 });
    for (let i = 0; i < 5; i++) await repo().reservePinAttempt(acc.id, NOW, 5);
    await repo().lockIfExhausted(acc.id, NOW, 5, () => 60_000);
    await repo().setPin(acc.id, 'new-hash', NOW);
    expect(await repo().findById(acc.id)).toMatchObject({ pinHash: 'new-hash', lockedUntil: null, failedPins: 0, mustChangePin: false });
  });

  it('refuses a mobile already taken and marks deletion once', async () => {
    const a = await repo().create(newAccount(), NOW);
    const b = await repo().create(newAccount(), NOW);
    await expect(repo().setMobile(b.id, a.mobile, NOW)).rejects.toMatchObject({ code: 'mobile_taken' });
    const marks = await Promise.all([repo().markDeleting(a.id, NOW), repo().markDeleting(a.id, NOW)]);
    expect(marks.filter(Boolean)).toHaveLength(1);
    expect((await repo().listDeleting(100)).map((x) => x.id)).toContain(a.id);
    expect(await repo().reservePinAttempt(a.id, NOW, 5)).toMatchObject({ reserved: false });
    await repo().removeWithTombstone({ accountId: a.id, createdAt: a.createdAt, deletedAt: NOW.toISOString(), activityCount: 3, activityHead: 'abc' });
    await repo().removeWithTombstone({ accountId: a.id, createdAt: a.createdAt, deletedAt: NOW.toISOString(), activityCount: 3, activityHead: 'abc' });
    expect(await repo().findById(a.id)).toBeNull();
    expect(await repo().findTombstone(a.id)).toEqual({ accountId: a.id, createdAt: a.createdAt, deletedAt: NOW.toISOString(), activityCount: 3, activityHead: 'abc' });
  });
});
