/**
 * What the account use cases work with. Each use case takes `Pick<AccountsDeps, …>` of only
 * what it touches; the accounts module builds one `AccountsDeps` from `AppDeps`.
 */
import type { EmailVerificationDeps } from './email-verification.ts';
import type { Config } from '../../config/index.ts';
import type { ActivityLog } from '../activity/ports.ts';
import type { Clock } from '../clock.ts';
import type { CounterStore } from '../limits/ports.ts';
import type { SmsSender } from '../sms/ports.ts';
import type { AccountErasers, AccountRepository, OtpChallengeStore, PinHasher, SessionStore } from './ports.ts';

export interface AccountPolicy {
  otpTtlMs: number;
  otpResendMs: number;
  /** Wrong tries per OTP challenge. */
  otpMaxAttempts: number;
  otpMaxPerMobileHour: number;
  otpMaxPerIpHour: number;
  authMaxPerIpHour: number;
  pinMaxFailures: number;
  pinLockoutMs: number;
  sessionIdleMs: number;
  sessionMaxMs: number;
  /** How often a session's last-seen time is written (the hot path reads, it does not write). */
  sessionTouchMs: number;
  /** How long ended sessions are remembered (to answer `session_expired`). */
  sessionRetentionMs: number;
  /** Host name for the WebOTP line (`@host #123456`) at the end of OTP messages. */
  webOtpHost: string | null;
  serviceName: string;
}

export function accountPolicy(config: Config): AccountPolicy {
  const idleMs = config.sessionIdleSeconds * 1000;
  let host: string | null = null;
  try {
    host = new URL(config.publicUrl).hostname || null;
  } catch {
    host = null;
  }
  return {
    otpTtlMs: config.otpTtlSeconds * 1000,
    otpResendMs: config.otpResendSeconds * 1000,
    otpMaxAttempts: 3,
    otpMaxPerMobileHour: config.otpMaxPerMobileHour,
    otpMaxPerIpHour: config.otpMaxPerIpHour,
    authMaxPerIpHour: config.authMaxPerIpHour,
    pinMaxFailures: config.pinMaxFailures,
    pinLockoutMs: config.pinLockoutMinutes * 60_000,
    sessionIdleMs: idleMs,
    sessionMaxMs: config.sessionMaxSeconds * 1000,
    sessionTouchMs: Math.min(60_000, Math.floor(idleMs / 4)),
    sessionRetentionMs: 24 * 3600_000,
    webOtpHost: host,
    serviceName: 'OpenLocker',
  };
}

export interface AccountsDeps {
  accounts: AccountRepository;
  otps: OtpChallengeStore;
  sessions: SessionStore;
  pinHasher: PinHasher;
  sms: SmsSender;
  activity: ActivityLog;
  counters: CounterStore;
  clock: Clock;
  /** HMAC key for OTP hashes. */
  otpKey: Buffer;
  policy: AccountPolicy;
  erasers: AccountErasers;
  /** Sending and checking email confirmation links (email-verification.ts). */
  emailVerification: Pick<EmailVerificationDeps, 'mailer' | 'emailKey' | 'publicUrl' | 'composeEmail'>;
}
