/**
 * Confirming the email address, on both stacks, through a real SMTP server started in the
 * test: setting an address sends a link; following it (signed out, as from a phone's mail
 * app) confirms that address; a forged, expired or outdated link does not; resends are
 * limited; the profile page offers "send again" while unconfirmed.
 */
import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { emailVerificationToken } from '../../src/domain/accounts/email-verification.ts';
import { describeEachStack } from '../support/app.ts';
import { signIn, signUpCitizen } from '../support/citizen.ts';
import { startSmtpSink } from '../support/smtp.ts';

const clock = new ManualClock('2026-08-01T06:00:00.000Z');
const sink = await startSmtpSink();
afterAll(() => sink.close());

function linkIn(text: string): string {
  const m = /https?:\/\/\S+\/profile\/email\/verify\?token=\S+/.exec(text);
  if (!m) throw new Error(`no link in: ${text}`);
  return m[0];
}

describeEachStack(
  'email verification',
  (get) => {
    it('emails a link that confirms the address, signed out, once; the activity log records it', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      const address = `asha.${c.accountId.slice(0, 8)}@example.in`;
      const before = sink.received.length;
      const set = await app.inject({ method: 'PATCH', url: '/api/v1/me', headers: c.headers, payload: { email: address } });
      expect(set.json()).toMatchObject({ email: address, email_verified: false });
      await sink.waitFor(before + 1);
      const mail = sink.received.at(-1)!;
      expect(mail.envelope.to).toEqual([address]);
      expect(mail.mail.subject).toMatch(/confirm your email/i);
      const url = new URL(linkIn(mail.mail.text ?? ''));
      expect(mail.mail.html).toContain(url.search.replace(/&/g, '&amp;'));

      const page = await app.inject({ url: url.pathname + url.search });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(address);
      expect((await app.inject({ url: '/api/v1/me', headers: c.headers })).json().email_verified).toBe(true);
      // Opening it again is harmless.
      expect((await app.inject({ url: url.pathname + url.search })).statusCode).toBe(200);
      const log = await deps.activity.list(c.accountId, { types: ['email_verified'] });
      expect(log.items).toHaveLength(1);
    });

    it('refuses forged, tampered, expired and outdated links with a clear page and code', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      await app.inject({ method: 'PATCH', url: '/api/v1/me', headers: c.headers, payload: { email: 'first@example.in' } });
      const key = deps.masterKey.derive('email-verification');
      const good = emailVerificationToken(key, { accountId: c.accountId, email: 'first@example.in', expiresAt: new Date(clock.now().getTime() + 3600_000) });

      const forged = emailVerificationToken(Buffer.alloc(32, 7), { accountId: c.accountId, email: 'first@example.in', expiresAt: new Date(clock.now().getTime() + 3600_000) });
      const [v, payload, mac] = good.split('.') as [string, string, string];
      const otherPayload = Buffer.from(JSON.stringify({ a: c.accountId, e: 'attacker@example.in', x: 4102444800 })).toString('base64url');
      for (const token of [forged, `${v}.${otherPayload}.${mac}`, `${good}.x`, 'garbage', `v1.${payload}.`]) {
        const r = await app.inject({ method: 'POST', url: '/api/v1/me/email/verify', payload: { token } });
        expect(r.statusCode, token).toBe(400);
        expect(r.json().error).toBe('invalid_link');
      }
      const page = await app.inject({ url: `/profile/email/verify?token=${encodeURIComponent(forged)}` });
      expect(page.statusCode).toBe(400);
      expect(page.body).toMatch(/not valid/);
      expect(page.body).not.toMatch(/\n\s+at /);

      const expired = emailVerificationToken(key, { accountId: c.accountId, email: 'first@example.in', expiresAt: new Date(clock.now().getTime() - 1000) });
      const gone = await app.inject({ method: 'POST', url: '/api/v1/me/email/verify', payload: { token: expired } });
      expect(gone.statusCode).toBe(410);
      expect(gone.json().error).toBe('link_expired');

      // The address changed after the link was sent: the old link confirms nothing.
      await app.inject({ method: 'PATCH', url: '/api/v1/me', headers: c.headers, payload: { email: 'second@example.in' } });
      const outdated = await app.inject({ method: 'POST', url: '/api/v1/me/email/verify', payload: { token: good } });
      expect(outdated.statusCode).toBe(410);
      expect(outdated.json().error).toBe('link_outdated');
      expect((await app.inject({ url: '/api/v1/me', headers: c.headers })).json()).toMatchObject({ email: 'second@example.in', email_verified: false });
    });

    it('limits resends to 5 an hour and offers "send again" on the profile page while unconfirmed', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      await app.inject({ method: 'PATCH', url: '/api/v1/me', headers: c.headers, payload: { email: `r.${c.accountId.slice(0, 8)}@example.in` } });
      const profile = await app.inject({ url: '/profile', headers: { cookie: c.cookie } });
      expect(profile.body).toContain('action="/profile/email/resend"');
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await app.inject({ method: 'POST', url: '/api/v1/me/email/verification', headers: c.headers })).statusCode);
      expect(codes).toEqual([202, 202, 202, 202, 429]);
      const limited = await app.inject({ method: 'POST', url: '/api/v1/me/email/verification', headers: c.headers });
      expect(limited.json().error).toBe('too_many_emails');
      expect(Number(limited.json().retry_after)).toBeGreaterThan(0);
      clock.advance(3601_000);
      const again = await signIn(app, deps, c); // the idle timeout ended the old session meanwhile
      expect((await app.inject({ method: 'POST', url: '/api/v1/me/email/verification', headers: again.headers })).statusCode).toBe(202);
    });
  },
  { clock, env: { SMTP_URL: `smtp://127.0.0.1:${sink.port}` } },
);
