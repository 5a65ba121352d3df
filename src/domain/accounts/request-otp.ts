/**
 * requestOtp: sends a fresh 6-digit code by SMS and returns the challenge that will check it.
 *
 * Enumeration: nothing here looks the number up. A sign-in to an unknown number, or a
 * sign-up to a registered one, sends a code and answers exactly as any other request; only
 * someone holding the phone learns, after entering the code, whether a locker exists.
 *
 * Limits, in order: the client IP's hourly cap, the resend cooldown of this number and
 * purpose (the new code supersedes the old one), the number's hourly cap (all purposes),
 * and a counter that lets one request per cooldown window through when several race.
 */
import crypto from 'node:crypto';
import { AppError } from '../errors.ts';
import type { CounterStore } from '../limits/ports.ts';
import type { AccountsDeps } from './deps.ts';
import { normaliseMobile } from './mobile.ts';
import { generateOtp, hashOtp } from './otp-codes.ts';
import type { OtpPurpose, RequestMeta } from './ports.ts';
import { otpText } from './sms-texts.ts';

const HOUR = 3600_000;

export interface OtpRequest {
  /** As typed (normalised here). */
  mobile: string;
  purpose: OtpPurpose;
  /** Set for purposes that belong to a signed-in account (change mobile, delete). */
  accountId?: string | null;
  meta: RequestMeta;
}

export interface IssuedOtp {
  challengeId: string;
  mobile: string;
  /** Seconds until the code stops working. */
  expiresIn: number;
  /** Seconds until a new code may be requested. */
  resendAfter: number;
}

export async function capHit(counters: CounterStore, key: string, max: number, windowMs: number, nowMs: number, error: (retryAfter: number) => AppError): Promise<void> {
  const hit = await counters.hit(key, windowMs, nowMs);
  if (hit.count > max) throw error(Math.max(1, Math.ceil(hit.resetInMs / 1000)));
}

export function resendTooSoon(retryAfter: number): AppError {
  return new AppError('rate_limited', 'otp_resend_too_soon', `Please wait ${retryAfter} seconds before asking for a new code.`, { retry_after: retryAfter });
}

export async function requestOtp(deps: Pick<AccountsDeps, 'otps' | 'sms' | 'counters' | 'clock' | 'otpKey' | 'policy'>, req: OtpRequest): Promise<IssuedOtp> {
  const { policy } = deps;
  const mobile = normaliseMobile(req.mobile);
  const now = deps.clock.now().getTime();

  await capHit(deps.counters, `otp-ip:${req.meta.ip}`, policy.otpMaxPerIpHour, HOUR, now, (retryAfter) =>
    new AppError('rate_limited', 'otp_limit_reached', `Too many codes were requested from your network. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, { retry_after: retryAfter }),
  );
  const open = await deps.otps.latestOpen(mobile, req.purpose);
  if (open && open.resendAt > now) throw resendTooSoon(Math.ceil((open.resendAt - now) / 1000));
  await capHit(deps.counters, `otp-mobile:${mobile}`, policy.otpMaxPerMobileHour, HOUR, now, (retryAfter) =>
    new AppError('rate_limited', 'otp_limit_reached', `Too many codes were sent to this number. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, { retry_after: retryAfter }),
  );
  const raceKey = `otp-issue:${req.purpose}:${mobile}`;
  await capHit(deps.counters, raceKey, 1, policy.otpResendMs, now, resendTooSoon);

  const challengeId = crypto.randomUUID();
  const code = generateOtp();
  await deps.otps.issue({
    id: challengeId,
    purpose: req.purpose,
    mobile,
    accountId: req.accountId ?? null,
    codeHash: hashOtp(deps.otpKey, challengeId, code),
    createdAt: now,
    expiresAt: now + policy.otpTtlMs,
    resendAt: now + policy.otpResendMs,
    maxAttempts: policy.otpMaxAttempts,
  });
  try {
    await deps.sms.send(mobile, otpText(policy.serviceName, req.meta.lang ?? 'en', req.purpose, code, Math.round(policy.otpTtlMs / 60_000), policy.webOtpHost));
  } catch (err) {
    // Not sent: forget the challenge and the cooldown, so the citizen can simply try again.
    await deps.otps.delete(challengeId).catch(() => {});
    await deps.counters.reset(raceKey).catch(() => {});
    throw err;
  }
  return { challengeId, mobile, expiresIn: Math.round(policy.otpTtlMs / 1000), resendAfter: Math.round(policy.otpResendMs / 1000) };
}
