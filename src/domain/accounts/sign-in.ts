/**
 * signIn: the two factors — an OTP to the mobile, then the security PIN.
 *
 * Up to the OTP nothing depends on whether the number has a locker. After a right code,
 * an unknown number is told so (only the phone's holder gets this far), after the same
 * argon2id work a known number costs. The PIN goes through checkPin (lockout, SMS). The
 * challenge stays verified after a wrong PIN, so the citizen retries the PIN without a new
 * SMS; it is spent when the sign-in succeeds.
 */
import { ACTIVITY_TYPES } from '../activity/ports.ts';
import { AppError } from '../errors.ts';
import { checkPin } from './check-pin.ts';
import type { AccountsDeps } from './deps.ts';
import { maskMobile } from './mobile.ts';
import { isPinFormat, pinFormatError } from './pin-policy.ts';
import type { Account, RequestMeta } from './ports.ts';
import { citizenActor, startSession, type StartedSession } from './sessions.ts';
import { checkChallenge, consumeVerifiedOtp } from './verify-otp.ts';

export interface SignInInput {
  challengeId: string;
  otp?: string;
  pin: unknown;
  meta: RequestMeta;
}

export function accountNotFound(mobile: string): AppError {
  return new AppError('not_found', 'account_not_found', `There is no locker for ${maskMobile(mobile)}. Sign up to create one.`);
}

/** Finds the active account for a verified number, or spends a PIN check's worth of time and says there is none. */
export async function accountForVerifiedMobile(deps: Pick<AccountsDeps, 'accounts' | 'pinHasher'>, mobile: string, pin: string | null): Promise<Account> {
  const account = await deps.accounts.findByMobile(mobile);
  if (!account || account.status !== 'active') {
    await deps.pinHasher.verifyDummy(pin ?? '000000');
    throw accountNotFound(mobile);
  }
  return account;
}

export async function signIn(deps: AccountsDeps, input: SignInInput): Promise<{ account: Account; session: StartedSession }> {
  if (!isPinFormat(input.pin)) throw pinFormatError();
  const challenge = await checkChallenge(deps, { challengeId: input.challengeId, code: input.otp, purpose: 'login' });
  const account = await accountForVerifiedMobile(deps, challenge.mobile, input.pin);
  await checkPin(deps, account, input.pin, input.meta);
  await consumeVerifiedOtp(deps, challenge);
  const session = await startSession(deps, account, input.meta);
  await deps.activity.append({
    accountId: account.id,
    type: ACTIVITY_TYPES.signedIn,
    actor: citizenActor(account.id, account.name),
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    subject: { kind: 'session', id: session.sessionId, name: null },
  });
  return { account, session };
}
