/**
 * The HTTP SMS provider against a real HTTP server: JSON body and bearer token, retries on
 * 5xx/429/timeouts with a pause, no retry on other 4xx, and a clear error — never a silent
 * success — when the gateway does not accept the message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSmsSender } from '../../src/integrations/sms/http.ts';
import { startSmsGateway, type SmsGateway } from '../support/sms-gateway.ts';

describe('HTTP SMS provider', () => {
  let gw: SmsGateway;
  beforeAll(async () => {
    gw = await startSmsGateway();
  });
  afterAll(() => gw.close());

  const sender = (o: { retries?: number; timeoutMs?: number; token?: string } = {}) => {
    const failures: unknown[] = [];
    const s = httpSmsSender({ url: gw.url, token: o.token, timeoutMs: o.timeoutMs ?? 1000, retries: o.retries ?? 2, backoffMs: () => 10, onFailure: (f) => failures.push(f) });
    return { s, failures };
  };

  it('POSTs {to, message} as JSON with the bearer token', async () => {
    await sender({ token: 'abc' }).s.send('+919876543210', 'OpenLocker: hello');
    expect(gw.received.at(-1)).toEqual({ to: '+919876543210', message: 'OpenLocker: hello', authorization: 'Bearer abc', contentType: 'application/json' });
  });

  it('retries 5xx and 429, then succeeds', async () => {
    gw.script.push(503, 429);
    const { s, failures } = sender();
    const before = gw.received.length;
    await s.send('+919876543211', 'retry me');
    expect(gw.received.length).toBe(before + 1);
    expect(failures).toEqual([{ attempt: 1, status: 503 }, { attempt: 2, status: 429 }]);
  });

  it('retries a gateway that hangs, after the timeout', async () => {
    gw.script.push('hang');
    const { s, failures } = sender({ timeoutMs: 200 });
    const started = Date.now();
    await s.send('+919876543212', 'slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(failures).toEqual([{ attempt: 1, error: 'timed out after 200 ms' }]);
  });

  it('fails clearly when every attempt fails, and does not retry a 4xx', async () => {
    gw.script.push(500, 500, 500);
    await expect(sender().s.send('+919876543213', 'x')).rejects.toMatchObject({ code: 'sms_unavailable', kind: 'unavailable' });
    gw.script.push(401, 200);
    const { s, failures } = sender();
    await expect(s.send('+919876543214', 'x')).rejects.toMatchObject({ code: 'sms_unavailable' });
    expect(failures).toEqual([{ attempt: 1, status: 401 }]);
    gw.script.length = 0;
  });

  it('fails clearly when nothing listens there', async () => {
    const s = httpSmsSender({ url: 'http://127.0.0.1:9/sms', timeoutMs: 500, retries: 1, backoffMs: () => 5 });
    await expect(s.send('+919876543215', 'x')).rejects.toMatchObject({ code: 'sms_unavailable' });
  });
});
