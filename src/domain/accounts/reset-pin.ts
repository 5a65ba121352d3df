/**
 * resetPin ("Forgot PIN"): an OTP to the registered mobile, then a new PIN. It works while
 * the account is locked (that is when people need it) and clears the lock. Every session
 * ends and the citizen is told by SMS; they then sign in with the new PIN.
 */
import { ACTIVITY_TYPES } from '../activity/ports.ts';
import type { AccountsDeps } from './deps.ts';
import { assertAcceptablePin, isPinFormat, pinFormatError } from './pin-policy.ts';
import type { RequestMeta } from './ports.ts';
import { citizenActor } from './sessions.ts';
import { accountForVerifiedMobile } from './sign-in.ts';
import { pinChangedText } from './sms-texts.ts';
import { checkChallenge, consumeVerifiedOtp } from './verify-otp.ts';

export interface ResetPinInput {
  challengeId: string;
  otp?: string;
  newPin: unknown;
  meta: RequestMeta;
}

export async function resetPin(deps: AccountsDeps, input: ResetPinInput): Promise<{ accountId: string; sessionsEnded: number }> {
  if (!isPinFormat(input.newPin)) throw pinFormatError('new_pin');
  const challenge = await checkChallenge(deps, { challengeId: input.challengeId, code: input.otp, purpose: 'reset_pin' });
  const account = await accountForVerifiedMobile(deps, challenge.mobile, input.newPin);
  assertAcceptablePin(input.newPin, { dob: account.dob, mobile: account.mobile }, 'new_pin');
  const pinHash = await deps.pinHasher.hash(input.newPin);
  await consumeVerifiedOtp(deps, challenge);
  const now = deps.clock.now();
  await deps.accounts.setPin(account.id, pinHash, now);
  const ended = await deps.sessions.endAllForAccount(account.id, 'pin_reset', now.getTime());
  await deps.activity.append({
    accountId: account.id,
    type: ACTIVITY_TYPES.pinReset,
    actor: citizenActor(account.id, account.name),
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    details: { sessions_ended: ended.length },
  });
  await deps.sms.send(account.mobile, pinChangedText(deps.policy.serviceName, input.meta.lang ?? 'en', 'reset')).catch(() => {});
  return { accountId: account.id, sessionsEnded: ended.length };
}
