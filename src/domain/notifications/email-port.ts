/**
 * Sending email: the one port every module uses (share-by-email, notifications to a citizen
 * when a requester reads a document, operator alerts). Implementations live in
 * `integrations/email/`: SMTP when `SMTP_URL` is set; outside production without it, a
 * development sender that keeps the message in the dev outbox (/dev/outbox); in production
 * without it, a sender that fails loudly.
 *
 * Safety is part of the contract, checked by `checkEmailMessage` before any implementation
 * touches the message: no CR/LF (or any control character) in the subject, the recipient
 * or attachment names, so header injection is impossible whatever the caller passes; one
 * plain address as the recipient; bodies are plain text, with an optional HTML alternative
 * that must be built with the escaping `html` templates (web/html.ts, checked at run time
 * by the senders).
 */
import { AppError, invalid, type ErrorKind } from '../errors.ts';

export interface EmailAttachment {
  /** Shown to the recipient; no path separators or control characters. */
  filename: string;
  content: Buffer;
  /** `type/subtype`, e.g. `application/pdf`. */
  contentType: string;
}

/** HTML produced by the `html` tagged template of web/html.ts (a `SafeHtml`). */
export interface EmailHtml {
  readonly value: string;
}

export interface EmailMessage {
  /** One address, `local@domain`; no display name. */
  to: string;
  subject: string;
  /** The plain-text body, always sent (and the only body mail clients without HTML show). */
  text: string;
  /** Optional HTML alternative of the same content. */
  html?: EmailHtml;
  attachments?: EmailAttachment[];
}

export interface SentEmail {
  /** The Message-ID header of what was sent (or recorded). */
  messageId: string;
  /** Where it went: `smtp` (accepted by the mail server) or `dev-outbox` (recorded, not sent). */
  via: 'smtp' | 'dev-outbox';
}

export interface EmailSender {
  /** `smtp`, `dev-outbox` or `disabled` (production without SMTP_URL). */
  readonly kind: 'smtp' | 'dev-outbox' | 'disabled';
  /**
   * Delivers one message. Resolves once the mail server accepted it for delivery (SMTP) or it
   * was recorded (dev outbox). Never resolves on failure: throws `EmailError` with a stable
   * code (see EMAIL_ERROR_CODES), or `AppError('invalid', 'invalid_email', …)` for a message
   * that breaks the safety rules above. Concurrent sends are independent.
   */
  send(message: EmailMessage): Promise<SentEmail>;
  /** Releases connections (SMTP pool); sending after close fails. */
  close(): Promise<void>;
}

/** Stable codes of delivery failures, with the kind (HTTP status family) each maps to. */
export const EMAIL_ERROR_CODES = {
  /** Production without SMTP_URL. */
  email_not_configured: 'unavailable',
  /** The mail server cannot be reached: connection refused, DNS, reset. Retry later. */
  email_unavailable: 'unavailable',
  /** It did not connect, greet or answer in SMTP_TIMEOUT_SECONDS. Retry later. */
  email_timeout: 'timeout',
  /** The server refused our credentials (SMTP_URL user/password). An operator must act. */
  email_auth_failed: 'upstream',
  /** TLS (smtps or STARTTLS) failed: certificate or protocol. An operator must act. */
  email_tls_failed: 'upstream',
  /** The server refused the sender, the recipient or the message (details.permanent says whether retrying can help). */
  email_rejected: 'upstream',
  /** Anything else the SMTP exchange reported. */
  email_failed: 'upstream',
} as const satisfies Record<string, ErrorKind>;

export type EmailErrorCode = keyof typeof EMAIL_ERROR_CODES;

export class EmailError extends AppError {
  constructor(
    readonly emailCode: EmailErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(EMAIL_ERROR_CODES[emailCode], emailCode, message, details);
    this.name = 'EmailError';
  }
}

const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
// C0 and C1 controls, DEL, and the Unicode line/paragraph separators some clients fold on.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export const EMAIL_LIMITS = {
  subjectChars: 250,
  textBytes: 1024 * 1024,
  htmlBytes: 2 * 1024 * 1024,
  attachments: 10,
  attachmentBytes: 15 * 1024 * 1024,
} as const;

/** True for one plain address `local@domain` (no display name, no comments, no control characters). */
export function isEmailAddress(s: string): boolean {
  return typeof s === 'string' && s.length <= 254 && ADDRESS.test(s) && !s.includes('..') && !s.startsWith('.') && !s.split('@')[0]!.endsWith('.');
}

/**
 * Throws `invalid_email` unless the message is safe to hand to any sender. Callers usually
 * validate user input earlier with their own codes; this is the last line, so a header can
 * never be injected through any path.
 */
export function checkEmailMessage(m: EmailMessage): void {
  const bad = (what: string) => invalid('invalid_email', `The email cannot be sent: ${what}.`);
  if (!m || typeof m !== 'object') throw bad('no message');
  if (typeof m.to !== 'string' || !isEmailAddress(m.to)) throw bad('the recipient must be one email address like name@example.in');
  if (typeof m.subject !== 'string' || m.subject.trim() === '') throw bad('the subject is empty');
  if (CONTROL.test(m.subject)) throw bad('the subject contains a line break or control character');
  if ([...m.subject].length > EMAIL_LIMITS.subjectChars) throw bad(`the subject is longer than ${EMAIL_LIMITS.subjectChars} characters`);
  if (typeof m.text !== 'string') throw bad('the text body is missing');
  if (Buffer.byteLength(m.text) > EMAIL_LIMITS.textBytes) throw bad('the text body is too large');
  if (m.html !== undefined) {
    if (!m.html || typeof m.html.value !== 'string') throw bad('the HTML body must be built with the html template');
    if (Buffer.byteLength(m.html.value) > EMAIL_LIMITS.htmlBytes) throw bad('the HTML body is too large');
  }
  const attachments = m.attachments ?? [];
  if (!Array.isArray(attachments) || attachments.length > EMAIL_LIMITS.attachments) throw bad(`at most ${EMAIL_LIMITS.attachments} attachments`);
  let total = 0;
  for (const a of attachments) {
    if (typeof a.filename !== 'string' || a.filename.trim() === '' || a.filename.length > 200 || CONTROL.test(a.filename) || /[\\/]/.test(a.filename)) {
      throw bad('an attachment name is empty, too long, or contains a path separator or control character');
    }
    if (typeof a.contentType !== 'string' || !CONTENT_TYPE.test(a.contentType)) throw bad('an attachment has no valid content type');
    if (!Buffer.isBuffer(a.content)) throw bad('an attachment has no content');
    total += a.content.length;
  }
  if (total > EMAIL_LIMITS.attachmentBytes) throw bad('the attachments are too large');
}
