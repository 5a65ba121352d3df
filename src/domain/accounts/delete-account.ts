/**
 * Deleting a locker: an OTP to its mobile, then erasure of everything about the citizen.
 *
 * 1. The account is marked `deleting` (no sign-in from here on) and every session ends.
 * 2. Each registered AccountDataEraser runs (uploads, issued URIs, shares, consents… —
 *    whatever later modules own), then the accounts module's own data: OTP challenges,
 *    sessions, the activity log.
 * 3. The account row is replaced by an anonymised stub (id, created/deleted times, the
 *    activity count and final chain hash): no name, number, email or addresses remain.
 *
 * If any step fails the account stays `deleting` and `finishAccountErasure` is run again
 * by the sweeper until it completes; erasers are idempotent, so repeating is safe.
 */
import { AppError, notFound } from '../errors.ts';
import type { AccountsDeps } from './deps.ts';
import type { RequestMeta } from './ports.ts';
import { requestOtp, type IssuedOtp } from './request-otp.ts';
import { deletedText } from './sms-texts.ts';
import { consumeVerifiedOtp, verifyOtp } from './verify-otp.ts';

export async function requestDeletionOtp(deps: AccountsDeps, input: { accountId: string; meta: RequestMeta }): Promise<IssuedOtp> {
  const account = await deps.accounts.findById(input.accountId);
  if (!account || account.status !== 'active') throw notFound('The account');
  return requestOtp(deps, { mobile: account.mobile, purpose: 'delete_account', accountId: account.id, meta: input.meta });
}

export async function deleteAccount(deps: AccountsDeps, input: { accountId: string; challengeId: string; otp: string; meta: RequestMeta }): Promise<void> {
  const account = await deps.accounts.findById(input.accountId);
  if (!account || account.status !== 'active') throw notFound('The account');
  const challenge = await verifyOtp(deps, { challengeId: input.challengeId, code: input.otp, purpose: 'delete_account', accountId: account.id });
  await consumeVerifiedOtp(deps, challenge);
  const now = deps.clock.now();
  if (!(await deps.accounts.markDeleting(account.id, now))) return; // a concurrent request is already erasing it
  await deps.sessions.endAllForAccount(account.id, 'account_deleted', now.getTime());
  await deps.sms.send(account.mobile, deletedText(deps.policy.serviceName, input.meta.lang ?? 'en')).catch(() => {});
  await finishAccountErasure(deps, account.id);
}

export async function finishAccountErasure(deps: Pick<AccountsDeps, 'accounts' | 'erasers' | 'otps' | 'sessions' | 'activity' | 'clock'>, accountId: string): Promise<void> {
  const account = await deps.accounts.findById(accountId);
  if (!account) return;
  if (account.status !== 'deleting') throw new AppError('conflict', 'account_not_deleting', 'Erasure was not started for this account.');
  const failed: string[] = [];
  for (const eraser of deps.erasers.list()) {
    try {
      await eraser.erase(accountId);
    } catch {
      failed.push(eraser.name);
    }
  }
  if (failed.length > 0) {
    throw new AppError('unavailable', 'deletion_pending', 'Your locker is being deleted; some data is still being removed and will be gone shortly.', { pending: failed });
  }
  await deps.otps.deleteForAccount(accountId, account.mobile);
  await deps.sessions.deleteAllForAccount(accountId);
  const log = await deps.activity.erase(accountId);
  await deps.accounts.removeWithTombstone({
    accountId,
    createdAt: account.createdAt,
    deletedAt: deps.clock.now().toISOString(),
    activityCount: log.count,
    activityHead: log.head,
  });
}
