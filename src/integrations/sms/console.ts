/**
 * SMS_PROVIDER=console (development only; production refuses it): the message is written
 * to the log, and — like every provider outside production — kept in the dev outbox shown
 * at /dev/outbox (see index.ts).
 */
import type { SmsSender } from '../../domain/sms/ports.ts';

export type LogLine = (fields: Record<string, unknown>, message: string) => void;

export function consoleSmsSender(log: LogLine): SmsSender {
  return {
    provider: 'console',
    async send(to, message) {
      log({ sms: { to, message } }, 'SMS (console provider, not sent to a phone)');
    },
  };
}
