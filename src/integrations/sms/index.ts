/**
 * Picks the SMS provider from configuration. Outside production every message that was
 * accepted is also copied to the dev outbox (/dev/outbox), whatever the provider, so people
 * trying the locker and tests can read OTPs without a phone.
 */
import type { Config } from '../../config/index.ts';
import type { Clock } from '../../domain/clock.ts';
import type { DevOutbox } from '../../domain/outbox/ports.ts';
import type { SmsSender } from '../../domain/sms/ports.ts';
import { consoleSmsSender, type LogLine } from './console.ts';
import { httpSmsSender } from './http.ts';

export interface SmsDeps {
  outbox: DevOutbox;
  clock: Clock;
  log: LogLine;
}

export function openSmsSender(config: Pick<Config, 'smsProvider' | 'smsHttpUrl' | 'smsHttpToken' | 'smsHttpTimeoutMs' | 'smsHttpRetries' | 'nodeEnv'>, deps: SmsDeps): SmsSender {
  const inner =
    config.smsProvider === 'http'
      ? httpSmsSender({
          url: config.smsHttpUrl!,
          token: config.smsHttpToken,
          timeoutMs: config.smsHttpTimeoutMs,
          retries: config.smsHttpRetries,
          onFailure: (info) => deps.log({ sms: info }, 'SMS gateway attempt failed'),
        })
      : consoleSmsSender(deps.log);
  if (config.nodeEnv === 'production') return inner;
  return {
    provider: inner.provider,
    async send(to, message) {
      await inner.send(to, message);
      await deps.outbox.record({ channel: 'sms', to, subject: null, body: message }, deps.clock.now());
    },
  };
}
