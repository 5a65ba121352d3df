/**
 * signUp: creates a locker for the mobile number a verified OTP proved, and signs in.
 *
 * Order matters: the details are checked first (a typo costs no OTP try), then the code;
 * only after the code is right may we say the number already has a locker (its owner is
 * asking). The PIN is hashed before the challenge is spent, so a failure there never
 * burns the code; the challenge is spent before the account is created, so one code makes
 * at most one account. Two sign-ups racing for one number: the unique index lets one win.
 */
import { ACTIVITY_TYPES } from '../activity/ports.ts';
import { AppError } from '../errors.ts';
import type { AccountsDeps } from './deps.ts';
import { assertAcceptablePin } from './pin-policy.ts';
import type { Account, Gender, RequestMeta } from './ports.ts';
import { normaliseDob, normaliseEmail, normaliseGender, normaliseName } from './profile-rules.ts';
import { citizenActor, startSession, type StartedSession } from './sessions.ts';
import { challengeNotFound, checkChallenge, consumeVerifiedOtp } from './verify-otp.ts';

export interface SignUpInput {
  challengeId: string;
  /** The code from the SMS; omitted only by flows that verified it in an earlier step. */
  otp?: string;
  name: unknown;
  dob: unknown;
  gender: unknown;
  email?: unknown;
  pin: unknown;
  meta: RequestMeta;
}

export interface SignedUp {
  account: Account;
  session: StartedSession;
}

export function accountExists(): AppError {
  return new AppError('conflict', 'account_exists', 'This mobile number already has a locker. Sign in instead, or use "Forgot PIN".');
}

export async function signUp(deps: AccountsDeps, input: SignUpInput): Promise<SignedUp> {
  const pending = await deps.otps.get(input.challengeId);
  if (!pending || pending.purpose !== 'signup') throw challengeNotFound();
  const details = {
    name: normaliseName(input.name),
    dob: normaliseDob(input.dob, deps.clock.now()),
    gender: normaliseGender(input.gender) as Gender,
    email: normaliseEmail(input.email),
  };
  assertAcceptablePin(input.pin, { dob: details.dob, mobile: pending.mobile });

  const challenge = await checkChallenge(deps, { challengeId: input.challengeId, code: input.otp, purpose: 'signup' });
  if (await deps.accounts.findByMobile(challenge.mobile)) throw accountExists();
  const pinHash = await deps.pinHasher.hash(input.pin);
  await consumeVerifiedOtp(deps, challenge);
  const account = await deps.accounts.create({ mobile: challenge.mobile, ...details, pinHash, mustChangePin: false }, deps.clock.now());
  const session = await startSession(deps, account, input.meta);
  await deps.activity.append({
    accountId: account.id,
    type: ACTIVITY_TYPES.signedUp,
    actor: citizenActor(account.id, account.name),
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    subject: { kind: 'session', id: session.sessionId, name: null },
  });
  return { account, session };
}
