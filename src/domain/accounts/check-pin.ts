/**
 * checkPin: the security PIN as a second factor, with the lockout that makes 6 digits safe.
 *
 * A try is reserved atomically before the (slow) argon2id check, so parallel guesses can
 * never exceed `pinMaxFailures`. A wrong PIN is logged; the one that reaches the limit
 * locks the account for `pinLockoutMs × 2^(earlier lockouts)` (at most 24 hours) and tells
 * the citizen by SMS. A right PIN resets failures and the back-off.
 */
import { ACTIVITY_TYPES } from '../activity/ports.ts';
import { AppError } from '../errors.ts';
import type { AccountsDeps } from './deps.ts';
import type { Account, RequestMeta } from './ports.ts';
import { citizenActor } from './sessions.ts';
import { lockoutText } from './sms-texts.ts';

const MAX_LOCK_MS = 24 * 3600_000;

export function lockedError(lockedUntil: string | null, nowMs: number): AppError {
  const retryAfter = lockedUntil ? Math.max(1, Math.ceil((new Date(lockedUntil).getTime() - nowMs) / 1000)) : 60;
  return new AppError(
    'rate_limited',
    'account_locked',
    lockedUntil
      ? `Your locker is locked after too many wrong PINs, until ${lockedUntil.replace('T', ' ').slice(0, 16)} UTC. You can set a new PIN with "Forgot PIN".`
      : 'Your locker is locked after too many wrong PINs. Try again later, or set a new PIN with "Forgot PIN".',
    { locked_until: lockedUntil, retry_after: retryAfter },
  );
}

export function lockDuration(baseMs: number, previousLockouts: number): number {
  return Math.min(MAX_LOCK_MS, baseMs * 2 ** Math.min(previousLockouts, 16));
}

export async function checkPin(
  deps: Pick<AccountsDeps, 'accounts' | 'pinHasher' | 'activity' | 'sms' | 'clock' | 'policy'>,
  account: Account,
  pin: string,
  meta: RequestMeta,
  field = 'pin',
): Promise<void> {
  const { policy } = deps;
  const now = deps.clock.now();
  const attempt = await deps.accounts.reservePinAttempt(account.id, now, policy.pinMaxFailures);
  if (!attempt.reserved) throw lockedError(attempt.lockedUntil, now.getTime());

  if (await deps.pinHasher.verify(account.pinHash, pin)) {
    await deps.accounts.pinSucceeded(account.id);
    return;
  }
  const actor = citizenActor(account.id, account.name);
  await deps.activity.append({
    accountId: account.id,
    type: ACTIVITY_TYPES.pinFailed,
    actor,
    ip: meta.ip,
    userAgent: meta.userAgent,
    details: { failures: attempt.failedPins, limit: policy.pinMaxFailures },
  });
  if (attempt.failedPins >= policy.pinMaxFailures) {
    const lockedUntil = await deps.accounts.lockIfExhausted(account.id, now, policy.pinMaxFailures, (n) => lockDuration(policy.pinLockoutMs, n));
    if (lockedUntil) {
      await deps.activity.append({
        accountId: account.id,
        type: ACTIVITY_TYPES.accountLocked,
        actor,
        ip: meta.ip,
        userAgent: meta.userAgent,
        details: { locked_until: lockedUntil, failures: policy.pinMaxFailures },
      });
      // The lock stands even if the SMS cannot be sent; the failure is logged by the sender.
      await deps.sms.send(account.mobile, lockoutText(policy.serviceName, meta.lang ?? 'en', lockedUntil, policy.pinMaxFailures)).catch(() => {});
    }
    throw lockedError(lockedUntil, now.getTime());
  }
  const triesLeft = policy.pinMaxFailures - attempt.failedPins;
  throw new AppError(
    'unauthenticated',
    'pin_incorrect',
    `That PIN is not right. ${triesLeft} ${triesLeft === 1 ? 'try is' : 'tries are'} left before your locker is locked for a while.`,
    { field, tries_left: triesLeft },
  );
}
