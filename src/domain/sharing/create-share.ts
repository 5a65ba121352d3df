/**
 * Sharing a document by email. Authorisation: the document must be found through its
 * source *for this account* (sources answer only for the owner), so sharing another
 * citizen's document fails exactly like sharing one that does not exist.
 *
 * The email carries the link only. An access code, when set, is chosen by the citizen and
 * never sent by us: the page and API tell them to pass it on by another channel (a call, a
 * message), so someone reading the recipient's mailbox does not also get the code.
 */
import crypto from 'node:crypto';
import type { Actor } from '../activity/ports.ts';
import type { DocumentSourceKind } from '../documents/sources.ts';
import { AppError, invalid } from '../errors.ts';
import { SHARE_ACTIVITY, type Share, type ShareDeps } from './ports.ts';

export interface CreateShareInput {
  accountId: string;
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
  source: DocumentSourceKind;
  ref: string;
  email: unknown;
  expiresInDays?: unknown;
  accessCode?: unknown;
  maxViews?: unknown;
}

const EMAIL = /^[^\s@<>()\[\],;:"\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function checkEmail(v: unknown): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!EMAIL.test(s) || s.length > 254) throw invalid('invalid_email', 'Enter the email address of the person to share with, like name@example.com.', { field: 'email' });
  return s;
}

export function checkExpiryDays(v: unknown, policy: ShareDeps['policy']): number {
  if (v === undefined || v === null || v === '') return policy.defaultExpiryDays;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > policy.maxExpiryDays) throw invalid('invalid_expiry', `The link can last from 1 to ${policy.maxExpiryDays} days.`, { field: 'expires_in_days' });
  return n;
}

function checkMaxViews(v: unknown): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw invalid('invalid_max_views', 'The view limit must be a whole number from 1 to 1000.', { field: 'max_views' });
  return n;
}

function checkCode(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || !/^[A-Za-z0-9]{4,32}$/.test(v)) throw invalid('invalid_access_code', 'The access code must be 4 to 32 letters or digits.', { field: 'access_code' });
  return v;
}

export const tokenHash = (token: string) => crypto.hash('sha256', token, 'hex');
export const codeHash = (key: Buffer, shareId: string, code: string) => crypto.createHmac('sha256', key).update(`${shareId}:${code}`).digest('hex');

export async function createShare(deps: ShareDeps, input: CreateShareInput): Promise<{ share: Share; url: string }> {
  const email = checkEmail(input.email);
  const days = checkExpiryDays(input.expiresInDays, deps.policy);
  const maxViews = checkMaxViews(input.maxViews);
  const code = checkCode(input.accessCode);
  const source = deps.documents.get(input.source);
  const doc = source && typeof input.ref === 'string' && input.ref.length <= 300 ? await source.get(input.accountId, input.ref) : null;
  if (!doc || doc.type !== 'file') throw new AppError('not_found', 'not_found', 'The document was not found.');
  const account = await deps.accounts.findById(input.accountId);
  if (!account) throw new AppError('not_found', 'not_found', 'The account was not found.');

  const now = deps.clock.now();
  const id = crypto.randomUUID();
  const token = crypto.randomBytes(32).toString('base64url');
  const share: Share = {
    id,
    accountId: input.accountId,
    source: input.source,
    ref: doc.ref,
    docName: doc.name,
    sharerName: account.name,
    recipientEmail: email,
    hasAccessCode: code !== null,
    maxViews,
    views: 0,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString(),
    revokedAt: null,
    lastOpenedAt: null,
  };
  await deps.shares.insert({ ...share, tokenHash: tokenHash(token), accessCodeHash: code ? codeHash(deps.codeKey, id, code) : null });
  const url = `${deps.policy.publicUrl}/s/${token}`;
  // India Standard Time, as every page shows times (a recipient in India reads UTC as wrong).
  const until = new Date(Date.parse(share.expiresAt) + 5.5 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') + ' IST';
  try {
    await deps.email.send({
      to: email,
      // The recipient's language is unknown: English, then Hindi (as government notices do).
      subject: `${account.name.slice(0, 80)} shared a document with you on ${deps.policy.serviceName} / आपके साथ एक दस्तावेज़ साझा किया गया`,
      text:
        `${account.name} shared "${doc.name}" with you through ${deps.policy.serviceName}.\n\n` +
        `Open it here (the link works until ${until}${maxViews ? `, for ${maxViews} view${maxViews > 1 ? 's' : ''}` : ''}):\n${url}\n\n` +
        (code ? `You will need an access code. ${account.name} will give it to you separately; it is not in this email.\n\n` : '') +
        `If you did not expect this, you can ignore this email.\n\n` +
        `— हिन्दी —\n\n` +
        `${account.name} ने ${deps.policy.serviceName} के ज़रिए आपके साथ "${doc.name}" साझा किया है।\n\n` +
        `इसे यहाँ खोलें (लिंक ${until} तक काम करेगा${maxViews ? `, ${maxViews} बार देखने के लिए` : ''}):\n${url}\n\n` +
        (code ? `इसे खोलने के लिए एक एक्सेस कोड चाहिए। ${account.name} यह कोड आपको अलग से देंगे; यह इस ईमेल में नहीं है।\n\n` : '') +
        `अगर आपको इसकी उम्मीद नहीं थी, तो इस ईमेल को अनदेखा कर दें।`,
    });
  } catch (err) {
    // Nobody got the link: do not leave a live share behind.
    await deps.shares.revoke(input.accountId, id, deps.clock.now().toISOString());
    throw new AppError('upstream', 'email_failed', 'The email could not be sent, so the document was not shared. Check the address and try again later.', { cause: (err as Error).name });
  }
  await deps.activity.append({
    accountId: input.accountId,
    type: SHARE_ACTIVITY.created,
    actor: input.actor,
    ip: input.ip,
    userAgent: input.userAgent,
    subject: { kind: 'share', id, name: doc.name },
    details: { source: input.source, ref: doc.ref, recipient: email, expires_at: share.expiresAt, ...(maxViews ? { max_views: maxViews } : {}), access_code: code !== null },
  });
  return { share, url };
}
