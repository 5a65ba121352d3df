/**
 * verifyOtp and consumeVerifiedOtp: the two steps every OTP-protected action takes.
 *
 * 1. verifyOtp reserves one of the challenge's tries (`consumeOtpAttempt`, atomic) before
 *    comparing the code, so parallel guesses can never exceed the limit; a right code gives
 *    its try back and marks the challenge verified. Only wrong codes use up tries.
 * 2. consumeVerifiedOtp spends the verified challenge (`consumeOtp`, atomic) at the moment
 *    the action happens; of two concurrent uses, one wins and the other gets `otp_used`.
 *
 * A challenge answers only for its own purpose (and account, when it has one); anything
 * else is `otp_challenge_not_found`, as is an unknown id.
 */
import { AppError } from '../errors.ts';
import type { AccountsDeps } from './deps.ts';
import { otpMatches } from './otp-codes.ts';
import type { OtpChallenge, OtpPurpose } from './ports.ts';

type Deps = Pick<AccountsDeps, 'otps' | 'clock' | 'otpKey'>;

export function challengeNotFound(): AppError {
  return new AppError('not_found', 'otp_challenge_not_found', 'This code request is unknown or belongs to another step. Ask for a new code.', { field: 'otp' });
}

/** Why a challenge can no longer be used, as the error the client sees. */
export function closedChallengeError(c: OtpChallenge, nowMs: number): AppError {
  if (c.consumedAt !== null) return new AppError('gone', 'otp_used', 'This code has already been used. Ask for a new code.', { field: 'otp' });
  if (c.supersededAt !== null) return new AppError('gone', 'otp_superseded', 'A newer code was sent to your mobile. Enter the latest code.', { field: 'otp' });
  if (c.expiresAt <= nowMs) return new AppError('gone', 'otp_expired', 'This code has expired. Ask for a new code.', { field: 'otp', resend: true });
  return new AppError('gone', 'otp_attempts_exceeded', 'Too many wrong codes. Ask for a new code.', { field: 'otp', tries_left: 0, resend: true });
}

export interface VerifyInput {
  challengeId: string;
  code: string;
  purpose: OtpPurpose;
  /** Required owner for account-bound purposes. */
  accountId?: string;
}

async function load(deps: Deps, input: Omit<VerifyInput, 'code'>): Promise<OtpChallenge> {
  const c = await deps.otps.get(input.challengeId);
  if (!c || c.purpose !== input.purpose || (c.accountId ?? undefined) !== input.accountId) throw challengeNotFound();
  return c;
}

/** How long a try waits for a slot held by concurrent checks of the same challenge. */
const BUSY_RETRIES = 100;
const BUSY_WAIT_MS = 10;

export async function verifyOtp(deps: Deps, input: VerifyInput): Promise<OtpChallenge> {
  if (!/^[0-9]{6}$/.test(input.code)) {
    throw new AppError('invalid', 'otp_format', 'The code is the 6 digits in the SMS we sent.', { field: 'otp' });
  }
  const c = await load(deps, input);
  let reserved: OtpChallenge | null = null;
  for (let i = 0; !reserved; i++) {
    const now = deps.clock.now().getTime();
    reserved = await deps.otps.consumeOtpAttempt(c.id, now);
    if (reserved) break;
    const current = (await deps.otps.get(c.id)) ?? c;
    // Closed for good (used, replaced, expired, or out of wrong tries) — or only busy: every
    // try is being checked by a concurrent request, so wait for one to come back.
    if (current.consumedAt !== null || current.supersededAt !== null || current.expiresAt <= now || current.wrongAttempts >= current.maxAttempts) {
      throw closedChallengeError(current, now);
    }
    if (i >= BUSY_RETRIES) throw new AppError('rate_limited', 'otp_busy', 'This code is being checked by another request. Try again in a moment.', { retry_after: 1 });
    await new Promise((r) => setTimeout(r, BUSY_WAIT_MS));
  }
  const now = deps.clock.now().getTime();
  if (otpMatches(deps.otpKey, c.id, input.code, reserved.codeHash)) {
    await deps.otps.markVerified(c.id, now);
    return { ...reserved, attempts: reserved.attempts - 1, verifiedAt: reserved.verifiedAt ?? now };
  }
  const wrong = await deps.otps.recordWrongAttempt(c.id);
  const triesLeft = Math.max(0, reserved.maxAttempts - wrong);
  throw new AppError(
    'unauthenticated',
    'otp_incorrect',
    triesLeft > 0
      ? `That code is not right. You have ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left.`
      : 'That code is not right, and no tries are left. Ask for a new code.',
    { field: 'otp', tries_left: triesLeft, ...(triesLeft === 0 ? { resend: true } : {}) },
  );
}

/** For a step after an earlier, separate verification (the web's multi-page flows). */
export async function requireVerified(deps: Deps, input: Omit<VerifyInput, 'code'>): Promise<OtpChallenge> {
  const c = await load(deps, input);
  const now = deps.clock.now().getTime();
  if (c.consumedAt !== null || c.supersededAt !== null || c.expiresAt <= now) throw closedChallengeError(c, now);
  if (c.verifiedAt === null) throw challengeNotFound();
  return c;
}

/** Either checks `code` now, or (web flows) requires an earlier verification. */
export function checkChallenge(deps: Deps, input: Omit<VerifyInput, 'code'> & { code?: string | undefined }): Promise<OtpChallenge> {
  return input.code === undefined ? requireVerified(deps, input) : verifyOtp(deps, { ...input, code: input.code });
}

export async function consumeVerifiedOtp(deps: Deps, c: OtpChallenge): Promise<OtpChallenge> {
  const now = deps.clock.now().getTime();
  const used = await deps.otps.consumeOtp(c.id, now);
  if (!used) throw closedChallengeError((await deps.otps.get(c.id)) ?? { ...c, consumedAt: now }, now);
  return used;
}
