/**
 * Changing the locker's mobile number needs both numbers: a code to the current one (the
 * owner agrees) and a code to the new one (the new number is theirs). Whether the new
 * number already has a locker is said only after both codes are right. Other sessions end,
 * and the old number is told by SMS.
 */
import { ACTIVITY_TYPES } from '../activity/ports.ts';
import { AppError, notFound } from '../errors.ts';
import type { AccountsDeps } from './deps.ts';
import { maskMobile, normaliseMobile } from './mobile.ts';
import type { RequestMeta } from './ports.ts';
import { requestOtp, type IssuedOtp } from './request-otp.ts';
import { citizenActor } from './sessions.ts';
import { mobileChangedText } from './sms-texts.ts';
import { consumeVerifiedOtp, verifyOtp } from './verify-otp.ts';

export async function startMobileChange(
  deps: AccountsDeps,
  input: { accountId: string; newMobile: string; meta: RequestMeta },
): Promise<{ current: IssuedOtp; next: IssuedOtp }> {
  const account = await deps.accounts.findById(input.accountId);
  if (!account || account.status !== 'active') throw notFound('The account');
  const newMobile = normaliseMobile(input.newMobile);
  if (newMobile === account.mobile) {
    throw new AppError('invalid', 'mobile_unchanged', 'That is already your locker’s mobile number.', { field: 'new_mobile' });
  }
  const current = await requestOtp(deps, { mobile: account.mobile, purpose: 'change_mobile', accountId: account.id, meta: input.meta });
  const next = await requestOtp(deps, { mobile: newMobile, purpose: 'change_mobile_new', accountId: account.id, meta: input.meta });
  return { current, next };
}

export interface ConfirmMobileChange {
  accountId: string;
  sessionId: string;
  challengeId: string;
  otp: string;
  newChallengeId: string;
  newOtp: string;
  meta: RequestMeta;
}

export async function confirmMobileChange(deps: AccountsDeps, input: ConfirmMobileChange): Promise<{ mobile: string }> {
  const account = await deps.accounts.findById(input.accountId);
  if (!account || account.status !== 'active') throw notFound('The account');
  const current = await verifyOtp(deps, { challengeId: input.challengeId, code: input.otp, purpose: 'change_mobile', accountId: account.id });
  const next = await verifyOtp(deps, { challengeId: input.newChallengeId, code: input.newOtp, purpose: 'change_mobile_new', accountId: account.id });
  if (current.mobile !== account.mobile) throw new AppError('conflict', 'mobile_changed_meanwhile', 'Your mobile number changed meanwhile. Start again.');
  if (await deps.accounts.findByMobile(next.mobile)) {
    throw new AppError('conflict', 'mobile_taken', 'That number already belongs to another locker.', { field: 'new_mobile' });
  }
  await consumeVerifiedOtp(deps, current);
  await consumeVerifiedOtp(deps, next);
  const now = deps.clock.now();
  await deps.accounts.setMobile(account.id, next.mobile, now);
  const ended = await deps.sessions.endAllForAccount(account.id, 'mobile_changed', now.getTime(), input.sessionId);
  await deps.activity.append({
    accountId: account.id,
    type: ACTIVITY_TYPES.mobileChanged,
    actor: citizenActor(account.id, account.name),
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    details: { from: maskMobile(account.mobile), to: maskMobile(next.mobile), sessions_ended: ended.length },
  });
  await deps.sms.send(account.mobile, mobileChangedText(deps.policy.serviceName, input.meta.lang ?? 'en', maskMobile(next.mobile))).catch(() => {});
  return { mobile: next.mobile };
}
