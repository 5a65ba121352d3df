/**
 * Email outside production when no SMTP_URL is set: nothing leaves the machine. The message
 * is checked exactly as the SMTP sender checks it, recorded in the dev outbox (shown at
 * /dev/outbox, where people trying the locker and browser tests read links and codes), and
 * one log line says so — recipient and subject only, never the body, which may carry a
 * one-time code or a share link.
 *
 * `disabledEmailSender` is production without SMTP_URL: every send fails with
 * `email_not_configured` (the config also warns at start), so no email is silently lost.
 */
import crypto from 'node:crypto';
import type { Clock } from '../../domain/clock.ts';
import { checkEmailMessage, EmailError, type EmailMessage, type EmailSender, type SentEmail } from '../../domain/notifications/email-port.ts';
import type { DevOutbox } from '../../domain/outbox/ports.ts';
import { SafeHtml } from '../../web/html.ts';

export type EmailLog = (fields: Record<string, unknown>, message: string) => void;

export function devEmailSender(deps: { outbox: DevOutbox; clock: Clock; log?: EmailLog }): EmailSender {
  return {
    kind: 'dev-outbox',
    async send(message: EmailMessage): Promise<SentEmail> {
      checkEmailMessage(message);
      if (message.html !== undefined && !(message.html instanceof SafeHtml)) {
        throw new EmailError('email_failed', 'The HTML body was not built with the html template; refusing to send unescaped HTML.');
      }
      const attachments = message.attachments ?? [];
      const body = attachments.length
        ? `${message.text}\n\n[${attachments.length} attachment${attachments.length === 1 ? '' : 's'}: ${attachments.map((a) => `${a.filename} (${a.contentType}, ${a.content.length} bytes)`).join(', ')}]`
        : message.text;
      const recorded = await deps.outbox.record({ channel: 'email', to: message.to, subject: message.subject, body }, deps.clock.now());
      deps.log?.({ to: message.to, subject: message.subject, textBytes: Buffer.byteLength(message.text), attachments: attachments.length, outboxId: recorded.id }, 'email recorded in the dev outbox (not sent: SMTP_URL is unset)');
      return { messageId: `<${recorded.id}@dev-outbox.openlocker>`, via: 'dev-outbox' };
    },
    async close() {},
  };
}

export function disabledEmailSender(): EmailSender {
  return {
    kind: 'disabled',
    async send(message: EmailMessage): Promise<SentEmail> {
      checkEmailMessage(message);
      throw new EmailError('email_not_configured', 'Email is not configured on this locker: the operator must set SMTP_URL.', { id: crypto.randomUUID() });
    },
    async close() {},
  };
}
