import { expect, it, describe } from 'vitest';
import { describeEachStack, startTestApp } from '../support/app.ts';

describeEachStack('dev outbox', (get) => {
  it('shows sent messages newest first, filterable by recipient, escaped', async () => {
    const { outbox, clock } = get().deps;
    await outbox.record({ channel: 'sms', to: '+919876500001', subject: null, body: 'OpenLocker OTP 111111' }, new Date('2026-01-01T10:00:00Z'));
    await outbox.record({ channel: 'email', to: 'a@example.in', subject: 'Shared <b>doc</b>', body: 'link <script>x</script>' }, new Date('2026-01-01T10:01:00Z'));
    await outbox.record({ channel: 'sms', to: '+919876500001', subject: null, body: 'OpenLocker OTP 222222' }, clock.now());
    const json = (await get().app.inject('/dev/outbox.json?to=%2B919876500001')).json();
    expect(json.items.map((m: { body: string }) => m.body)).toEqual(['OpenLocker OTP 222222', 'OpenLocker OTP 111111']);
    const page = await get().app.inject('/dev/outbox');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('OpenLocker OTP 222222');
    expect(page.body).toContain('Shared &lt;b&gt;doc&lt;/b&gt;');
    expect(page.body).not.toContain('<script>x</script>');
  });
});

describe('dev outbox in production', () => {
  it('does not exist', async () => {
    const t = await startTestApp({ env: { NODE_ENV: 'production', SMS_PROVIDER: 'http', SMS_HTTP_URL: 'http://127.0.0.1:9/sms', PUBLIC_URL: 'https://locker.example.in' } });
    try {
      expect((await t.app.inject('/dev/outbox')).statusCode).toBe(404);
      expect((await t.app.inject('/dev/outbox.json')).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});
