/**
 * Confirming a citizen's email address. When an address is set (profile page or
 * `PATCH /api/v1/me`) the locker emails a link `/profile/email/verify?token=…`; opening it
 * — signed in or not, on any device — marks that address verified.
 *
 * The token is stateless and self-authenticating: `v1.<payload>.<mac>` where the payload
 * is `{a: accountId, e: email, x: expiry epoch s}` (base64url JSON) and the MAC is
 * HMAC-SHA256 under a key derived from the master key. Nothing to store or sweep; a token
 * is bound to the address it was sent to, so after a change of address an old link no
 * longer verifies anything (the account's current email must equal the token's). Links
 * last 24 hours; sends are limited per account (5 an hour) so the feature cannot be used
 * to flood someone's mailbox.
 */
import crypto from 'node:crypto';
import type { EmailMessage, EmailSender } from '../notifications/email-port.ts';
import { ACTIVITY_TYPES } from '../activity/ports.ts';
import type { ActivityLog } from '../activity/ports.ts';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import type { CounterStore } from '../limits/ports.ts';
import type { Account, AccountRepository, RequestMeta } from './ports.ts';
import { citizenActor } from './sessions.ts';
import type { AccountsDeps } from './deps.ts';

export const EMAIL_LINK_TTL_SECONDS = 24 * 3600;
const SENDS_PER_HOUR = 5;

export interface EmailVerificationDeps {
  accounts: AccountRepository;
  activity: ActivityLog;
  clock: Clock;
  counters: CounterStore;
  mailer: EmailSender;
  /** HMAC key for the links (masterKey.derive('email-verification')). */
  emailKey: Buffer;
  /** Base URL the links point to (PUBLIC_URL). */
  publicUrl: string;
  /** The message (subject, text, HTML) for a link: web/email/verify-email.ts. */
  composeEmail(input: { name: string; url: string; lang: 'en' | 'hi' }): Omit<EmailMessage, 'to'>;
}

interface TokenPayload {
  a: string;
  e: string;
  x: number;
}

function mac(key: Buffer, payload: string): string {
  return crypto.createHmac('sha256', key).update(`email-verification:${payload}`).digest('base64url');
}

export function emailVerificationToken(key: Buffer, p: { accountId: string; email: string; expiresAt: Date }): string {
  const payload = Buffer.from(JSON.stringify({ a: p.accountId, e: p.email, x: Math.floor(p.expiresAt.getTime() / 1000) } satisfies TokenPayload)).toString('base64url');
  return `v1.${payload}.${mac(key, payload)}`;
}

const badLink = () => new AppError('invalid', 'invalid_link', 'This confirmation link is not valid. Open the latest email we sent, or send a new link from your profile.');

/** The token's payload if its MAC is ours and it has not expired; throws a clear error otherwise. */
export function readEmailVerificationToken(key: Buffer, token: unknown, now: Date): { accountId: string; email: string } {
  if (typeof token !== 'string' || token.length > 1024) throw badLink();
  const [version, payload, given, extra] = token.split('.');
  if (version !== 'v1' || !payload || !given || extra !== undefined) throw badLink();
  const want = Buffer.from(mac(key, payload));
  const got = Buffer.from(given);
  if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) throw badLink();
  let p: TokenPayload;
  try {
    p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenPayload;
  } catch {
    throw badLink();
  }
  if (typeof p.a !== 'string' || typeof p.e !== 'string' || !Number.isSafeInteger(p.x)) throw badLink();
  if (p.x * 1000 <= now.getTime()) {
    throw new AppError('gone', 'link_expired', 'This confirmation link has expired. Send a new one from your profile.');
  }
  return { accountId: p.a, email: p.e };
}

/**
 * Emails a confirmation link for the account's current address. Does nothing when there is
 * no address or it is already verified. Throws `rate_limited` after 5 sends in an hour, and
 * the sender's own error (e.g. `email_unavailable`) if the mail server refuses.
 */
export async function sendEmailVerification(deps: EmailVerificationDeps, account: Account, lang: 'en' | 'hi' = 'en'): Promise<'sent' | 'nothing_to_verify'> {
  if (!account.email || account.emailVerified) return 'nothing_to_verify';
  const now = deps.clock.now();
  const hit = await deps.counters.hit(`email-verification:${account.id}`, 3600_000, now.getTime());
  if (hit.count > SENDS_PER_HOUR) {
    const retryAfter = Math.max(1, Math.ceil(hit.resetInMs / 1000));
    throw new AppError('rate_limited', 'too_many_emails', 'We have sent several confirmation emails in the last hour. Please check your inbox (and spam folder), or try again later.', { retry_after: retryAfter });
  }
  const token = emailVerificationToken(deps.emailKey, { accountId: account.id, email: account.email, expiresAt: new Date(now.getTime() + EMAIL_LINK_TTL_SECONDS * 1000) });
  const url = `${deps.publicUrl.replace(/\/+$/, '')}/profile/email/verify?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({ to: account.email, ...deps.composeEmail({ name: account.name, url, lang }) });
  return 'sent';
}

/** Opens a confirmation link: marks the address verified if it is still the account's address. */
export async function confirmEmail(deps: Pick<EmailVerificationDeps, 'accounts' | 'activity' | 'clock' | 'emailKey'>, input: { token: unknown; meta: RequestMeta }): Promise<{ email: string }> {
  const now = deps.clock.now();
  const { accountId, email } = readEmailVerificationToken(deps.emailKey, input.token, now);
  const account = await deps.accounts.findById(accountId);
  if (!account || account.status !== 'active' || account.email !== email) {
    throw new AppError('gone', 'link_outdated', 'This link was for an address that is no longer on the locker. Send a new link from your profile.');
  }
  if (!account.emailVerified) {
    await deps.accounts.markEmailVerified(account.id, email, now);
    await deps.activity.append({
      accountId: account.id,
      type: ACTIVITY_TYPES.emailVerified,
      actor: citizenActor(account.id, account.name),
      ip: input.meta.ip,
      userAgent: input.meta.userAgent,
      details: {},
    });
  }
  return { email };
}

/** Sends a link for the account's current address (see sendEmailVerification), looking the account up first. */
export async function requestEmailVerification(
  deps: Pick<AccountsDeps, 'accounts' | 'activity' | 'clock' | 'counters' | 'emailVerification'>,
  accountId: string,
  lang: 'en' | 'hi' = 'en',
): Promise<'sent' | 'nothing_to_verify'> {
  const account = await deps.accounts.findById(accountId);
  if (!account || account.status !== 'active') throw new AppError('not_found', 'not_found', 'The account was not found.');
  return sendEmailVerification({ ...deps, ...deps.emailVerification }, account, lang);
}
