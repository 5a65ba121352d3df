/**
 * What the accounts routes share: the use-case dependencies built from AppDeps, the
 * request's metadata for the activity log and SMS language, and the session cookie.
 */
import { verifyEmailMessage } from '../../../web/email/verify-email.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accountPolicy, type AccountsDeps } from '../../../domain/accounts/deps.ts';
import type { RequestMeta } from '../../../domain/accounts/ports.ts';
import type { AppDeps } from '../../../deps.ts';
import { sqlAccounts } from '../../../storage/sql/repositories/accounts.ts';
import { sqlOtpChallenges } from '../../../storage/sql/repositories/otp-challenges.ts';
import { negotiateLang } from '../../../web/i18n/index.ts';
import { SESSION_COOKIE } from '../../plugins/authenticate.ts';

export function accountsDeps(deps: AppDeps): AccountsDeps {
  return {
    accounts: sqlAccounts(deps.sql),
    otps: sqlOtpChallenges(deps.sql),
    sessions: deps.sessions,
    pinHasher: deps.pinHasher,
    sms: deps.sms,
    activity: deps.activity,
    counters: deps.counters,
    clock: deps.clock,
    otpKey: deps.masterKey.derive('otp-codes'),
    policy: accountPolicy(deps.config),
    erasers: deps.accountErasers,
    emailVerification: { mailer: deps.email, emailKey: deps.masterKey.derive('email-verification'), publicUrl: deps.config.publicUrl, composeEmail: verifyEmailMessage },
  };
}

export function requestMeta(req: FastifyRequest): RequestMeta {
  const ua = req.headers['user-agent'];
  return {
    ip: req.ip,
    userAgent: typeof ua === 'string' ? ua : null,
    lang: negotiateLang(req.cookies?.lang, req.headers['accept-language']),
  };
}

export interface CookieSettings {
  secure: boolean;
  maxAgeSeconds: number;
}

export function setSessionCookie(reply: FastifyReply, token: string, s: CookieSettings): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: s.secure, maxAge: s.maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply, s: Pick<CookieSettings, 'secure'>): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: s.secure });
}
