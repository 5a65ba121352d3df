/**
 * Chooses the EmailSender from configuration: SMTP when SMTP_URL is set; otherwise the dev
 * outbox outside production, and a sender that refuses (email_not_configured) in production.
 */
import type { Config } from '../../config/index.ts';
import type { Clock } from '../../domain/clock.ts';
import type { EmailSender } from '../../domain/notifications/email-port.ts';
import type { DevOutbox } from '../../domain/outbox/ports.ts';
import { devEmailSender, disabledEmailSender, type EmailLog } from './dev-sender.ts';
import { smtpEmailSender } from './smtp-sender.ts';

export { devEmailSender, disabledEmailSender, type EmailLog } from './dev-sender.ts';
export { smtpEmailSender, parseSmtpUrl } from './smtp-sender.ts';

export function openEmailSender(
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'smtpTimeoutSeconds' | 'nodeEnv'>,
  deps: { outbox: DevOutbox; clock: Clock; log?: EmailLog },
): EmailSender {
  if (config.smtpUrl) return smtpEmailSender({ url: config.smtpUrl, from: config.mailFrom, timeoutMs: config.smtpTimeoutSeconds * 1000 });
  if (config.nodeEnv === 'production') return disabledEmailSender();
  return devEmailSender(deps);
}
