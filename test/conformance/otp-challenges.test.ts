/**
 * The OtpChallengeStore contract on both dialects — above all its named atomic operations:
 * `consumeOtpAttempt` never hands out more tries than allowed, however many race, and
 * `consumeOtp` lets exactly one of many concurrent uses win.
 */
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import type { NewOtpChallenge, OtpChallengeStore } from '../../src/domain/accounts/ports.ts';
import { sqlOtpChallenges } from '../../src/storage/sql/repositories/otp-challenges.ts';
import { describeEachDialect } from '../support/sql.ts';

const T0 = 1_800_000_000_000;

function challenge(over: Partial<NewOtpChallenge> = {}): NewOtpChallenge {
  return {
    id: crypto.randomUUID(),
    purpose: 'login',
    mobile: `+9198${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`,
    accountId: null,
    codeHash: 'h',
    createdAt: T0,
    expiresAt: T0 + 600_000,
    resendAt: T0 + 30_000,
    maxAttempts: 3,
    ...over,
  };
}

describeEachDialect('OtpChallengeStore (SQL)', (get) => {
  const store = (): OtpChallengeStore => sqlOtpChallenges(get());

  it('50 concurrent consumeOtpAttempt calls get at most 3 tries', async () => {
    const c = challenge();
    await store().issue(c);
    const results = await Promise.all(Array.from({ length: 50 }, () => store().consumeOtpAttempt(c.id, T0 + 1)));
    const granted = results.filter((r) => r !== null);
    expect(granted).toHaveLength(3);
    expect(granted.map((r) => r!.attempts).sort()).toEqual([1, 2, 3]);
    expect(await store().consumeOtpAttempt(c.id, T0 + 2)).toBeNull();
  });

  it('a verified try is given back, so only wrong tries count', async () => {
    const c = challenge();
    await store().issue(c);
    await store().consumeOtpAttempt(c.id, T0 + 1);
    await store().consumeOtpAttempt(c.id, T0 + 1);
    await store().markVerified(c.id, T0 + 1);
    const after = await store().get(c.id);
    expect(after).toMatchObject({ attempts: 1, verifiedAt: T0 + 1 });
  });

  it('records wrong tries apart from tries in flight', async () => {
    const c = challenge();
    await store().issue(c);
    await store().consumeOtpAttempt(c.id, T0 + 1);
    expect(await store().recordWrongAttempt(c.id)).toBe(1);
    await store().consumeOtpAttempt(c.id, T0 + 1);
    await store().consumeOtpAttempt(c.id, T0 + 1);
    // All three tries are taken, but only one is known to be wrong: the others are still being checked.
    expect(await store().consumeOtpAttempt(c.id, T0 + 1)).toBeNull();
    expect(await store().get(c.id)).toMatchObject({ attempts: 3, wrongAttempts: 1 });
  });

  it('refuses tries after expiry, after consumption and once superseded', async () => {
    const expired = challenge();
    await store().issue(expired);
    expect(await store().consumeOtpAttempt(expired.id, T0 + 600_000)).toBeNull();
    expect(await store().consumeOtpAttempt(expired.id, T0 + 599_999)).not.toBeNull();

    const old = challenge();
    await store().issue(old);
    const fresh = challenge({ mobile: old.mobile, createdAt: T0 + 40_000, expiresAt: T0 + 640_000 });
    await store().issue(fresh);
    expect((await store().get(old.id))!.supersededAt).toBe(T0 + 40_000);
    expect(await store().consumeOtpAttempt(old.id, T0 + 41_000)).toBeNull();
    expect((await store().latestOpen(old.mobile, 'login'))!.id).toBe(fresh.id);
    // Another purpose for the same number is not superseded.
    const other = challenge({ mobile: old.mobile, purpose: 'reset_pin' });
    await store().issue(other);
    expect((await store().get(fresh.id))!.supersededAt).toBeNull();
  });

  it('consumeOtp: only verified challenges, exactly one of 20 concurrent uses wins', async () => {
    const c = challenge();
    await store().issue(c);
    expect(await store().consumeOtp(c.id, T0 + 1)).toBeNull(); // not verified yet
    await store().consumeOtpAttempt(c.id, T0 + 1);
    await store().markVerified(c.id, T0 + 1);
    const results = await Promise.all(Array.from({ length: 20 }, () => store().consumeOtp(c.id, T0 + 2)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await store().consumeOtpAttempt(c.id, T0 + 3)).toBeNull();
  });

  it('consumeOtp refuses an expired challenge even if verified', async () => {
    const c = challenge();
    await store().issue(c);
    await store().consumeOtpAttempt(c.id, T0 + 1);
    await store().markVerified(c.id, T0 + 1);
    expect(await store().consumeOtp(c.id, T0 + 600_000)).toBeNull();
  });

  it('sweeps expired challenges and deletes an account’s challenges', async () => {
    const c = challenge({ expiresAt: T0 - 1 });
    await store().issue(c);
    expect(await store().sweep(T0)).toBeGreaterThanOrEqual(1);
    expect(await store().get(c.id)).toBeNull();
    const acc = crypto.randomUUID();
    const d = challenge({ accountId: acc, purpose: 'delete_account' });
    await store().issue(d);
    await store().deleteForAccount(acc, '+910000000000');
    expect(await store().get(d.id)).toBeNull();
  });
});
