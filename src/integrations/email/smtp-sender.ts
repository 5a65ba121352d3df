/**
 * EmailSender over SMTP (nodemailer). `smtp://user:pass@host:587` speaks plain SMTP and
 * upgrades with STARTTLS whenever the server offers it (`?require_tls=true` refuses to send
 * without it); `smtps://…:465` is TLS from the first byte. Certificates are verified. Every
 * wait (connect, greeting, each command) is bounded by SMTP_TIMEOUT_SECONDS, and every failure
 * becomes an `EmailError` with a stable code — a send never "succeeds" unless the server
 * accepted the message. Credentials never appear in errors or logs: the server is named by
 * host and port only.
 */
import type { ConnectionOptions } from 'node:tls';
import nodemailer from 'nodemailer';
import { checkEmailMessage, EmailError, type EmailMessage, type EmailSender, type SentEmail } from '../../domain/notifications/email-port.ts';
import { SafeHtml } from '../../web/html.ts';

export interface SmtpSenderOptions {
  /** SMTP_URL: smtp:// or smtps://, optional user:password, optional ?require_tls=true. */
  url: string;
  /** MAIL_FROM. */
  from: string;
  timeoutMs: number;
  /** Extra TLS options (a private CA for an internal relay; tests). */
  tls?: ConnectionOptions;
}

export interface SmtpEndpoint {
  host: string;
  port: number;
  secure: boolean;
  requireTls: boolean;
  user?: string;
  pass?: string;
}

/** Parses SMTP_URL (already checked for the scheme by the config schema). */
export function parseSmtpUrl(url: string): SmtpEndpoint {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new Error('SMTP_URL needs a host');
  return {
    host,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    requireTls: ['1', 'true', 'yes'].includes((u.searchParams.get('require_tls') ?? '').toLowerCase()),
    ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { pass: decodeURIComponent(u.password) } : {}),
  };
}

export function smtpEmailSender(options: SmtpSenderOptions): EmailSender {
  const ep = parseSmtpUrl(options.url);
  const where = `${ep.host}:${ep.port}`;
  const transport = nodemailer.createTransport({
    host: ep.host,
    port: ep.port,
    secure: ep.secure,
    requireTLS: ep.requireTls,
    ...(ep.user !== undefined ? { auth: { user: ep.user, pass: ep.pass ?? '' } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    dnsTimeout: options.timeoutMs,
    // Only buffers we were given go into a message: never a file path or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    tls: { minVersion: 'TLSv1.2', ...(options.tls ?? {}) },
    logger: false,
    debug: false,
  });
  let closed = false;

  return {
    kind: 'smtp',
    async send(message: EmailMessage): Promise<SentEmail> {
      if (closed) throw new EmailError('email_unavailable', 'The email sender has been closed.');
      checkEmailMessage(message);
      if (message.html !== undefined && !(message.html instanceof SafeHtml)) {
        throw new EmailError('email_failed', 'The HTML body was not built with the html template; refusing to send unescaped HTML.');
      }
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html.value } : {}),
          attachments: (message.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        if (info.rejected?.length) {
          throw new EmailError('email_rejected', `The mail server at ${where} refused the recipient.`, { permanent: true });
        }
        return { messageId: info.messageId, via: 'smtp' };
      } catch (err) {
        if (err instanceof EmailError) throw err;
        throw describeSmtpFailure(err, where);
      }
    },
    async close() {
      closed = true;
      transport.close();
    },
  };
}

interface NodemailerFailure {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  permanent?: boolean;
  response?: string;
  message?: string;
}

/** Maps a nodemailer error to an EmailError with a stable code and an actionable sentence. */
export function describeSmtpFailure(err: unknown, where: string): EmailError {
  const e = (err ?? {}) as NodemailerFailure;
  const orig = e.originalCode ?? '';
  const reply = e.responseCode ? ` (server said ${e.responseCode}${e.response ? ` ${oneLine(e.response)}` : ''})` : '';
  switch (e.code) {
    case 'EAUTH':
      return new EmailError('email_auth_failed', `The mail server at ${where} refused the SMTP credentials${reply}. Check the user and password in SMTP_URL.`);
    case 'ETIMEDOUT':
      return new EmailError('email_timeout', `The mail server at ${where} did not answer in time. Email will work again once it does.`);
    case 'ETLS':
      return new EmailError('email_tls_failed', `TLS with the mail server at ${where} failed: ${oneLine(e.message ?? '')}.`);
    case 'EDNS':
      return new EmailError('email_unavailable', `The mail server host in SMTP_URL (${where}) does not resolve.`);
    case 'ECONNECTION':
    case 'ESOCKET': {
      if (orig === 'ECONNREFUSED') return new EmailError('email_unavailable', `Cannot reach the mail server at ${where}: the connection was refused.`);
      if (/certificate|self[- ]signed|tls|ssl/i.test(e.message ?? '') || orig.startsWith('ERR_TLS') || orig.includes('CERT')) {
        return new EmailError('email_tls_failed', `TLS with the mail server at ${where} failed: ${oneLine(e.message ?? '')}.`);
      }
      return new EmailError('email_unavailable', `The connection to the mail server at ${where} failed${orig ? ` (${orig})` : ''}.`);
    }
    case 'EENVELOPE':
    case 'EMESSAGE':
      return new EmailError('email_rejected', `The mail server at ${where} refused the message${reply}.`, { permanent: e.permanent ?? true });
    default:
      if (e.responseCode) {
        return new EmailError(e.responseCode >= 500 ? 'email_rejected' : 'email_failed', `The mail server at ${where} refused the message${reply}.`, {
          permanent: e.permanent ?? e.responseCode >= 500,
        });
      }
      return new EmailError('email_failed', `Sending email through ${where} failed${e.code ? ` (${e.code})` : ''}.`);
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 200);
}
