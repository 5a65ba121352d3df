/**
 * The citizen's front door, end to end over HTTP on both stacks, with SMS delivered to a
 * real HTTP gateway started by the test: sign up, read the profile, sign out, sign in with
 * both factors (a wrong PIN first), and find all of it in the activity log.
 */
import { afterAll, expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { randomIp, randomMobile, sessionCookieOf } from '../support/citizen.ts';
import { startSmsGateway } from '../support/sms-gateway.ts';

const gateway = await startSmsGateway();
afterAll(() => gateway.close());

describeEachStack(
  'sign-up and sign-in over HTTP',
  (get) => {
    it('signs up, signs out, signs in with OTP + PIN, and logs every step', async () => {
      const { app } = get();
      const mobile = randomMobile();
      const ip = randomIp();
      const pin = '583914';

      const otp = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: ip, payload: { mobile: `0${mobile.slice(3, 8)} ${mobile.slice(8)}`, purpose: 'signup' } });
      expect(otp.statusCode).toBe(200);
      expect(Object.keys(otp.json()).sort()).toEqual(['challenge_id', 'expires_in', 'resend_after']);
      expect(otp.json()).toMatchObject({ expires_in: 600, resend_after: 30 });

      const sms = gateway.received.at(-1)!;
      expect(sms.to).toBe(mobile);
      expect(sms.authorization).toBe('Bearer gw-secret');
      expect(sms.contentType).toMatch(/application\/json/);
      expect(sms.message).toMatch(/^OpenLocker: \d{6} is your one-time code to create your locker/);

      const signup = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        remoteAddress: ip,
        headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 13) Chrome/120.0 Mobile' },
        payload: { challenge_id: otp.json().challenge_id, otp: gateway.latestOtp(mobile), name: '  Asha   Devi ', dob: '1990-04-12', gender: 'F', pin, email: 'Asha@Example.IN' },
      });
      expect(signup.statusCode, signup.body).toBe(201);
      const { token, account_id, expires_in } = signup.json();
      expect(account_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(token).toMatch(/^ols_[A-Za-z0-9_-]{43}$/);
      expect(expires_in).toBe(43_200);
      const setCookie = String(signup.headers['set-cookie']);
      expect(setCookie).toMatch(/ol_session=ols_/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      expect(setCookie).not.toMatch(/Secure/);

      const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.json()).toEqual({
        account_id,
        name: 'Asha Devi',
        dob: '1990-04-12',
        gender: 'F',
        mobile: `+91 ******${mobile.slice(-4)}`,
        email: 'asha@example.in',
        email_verified: false,
        aadhaar_linked: false,
        must_change_pin: false,
        created_at: expect.any(String),
      });
      // The cookie opens the same session.
      const byCookie = await app.inject({ url: '/api/v1/me', headers: { cookie: sessionCookieOf(signup) } });
      expect(byCookie.json().account_id).toBe(account_id);

      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${token}` } });
      expect(out.json()).toEqual({ signed_out: 1 });
      const after = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect(after.statusCode).toBe(401);
      expect(after.json()).toMatchObject({ error: 'session_expired', reason: 'signed_out' });

      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: ip, payload: { mobile, purpose: 'login' } });
      const challenge_id = login.json().challenge_id;
      const code = gateway.latestOtp(mobile);
      const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { challenge_id, otp: code, pin: '194726' } });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({ error: 'pin_incorrect', tries_left: 4 });
      const right = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { challenge_id, otp: code, pin } });
      expect(right.statusCode, right.body).toBe(200);
      expect(right.json()).toMatchObject({ account_id, expires_in: 43_200 });
      const again = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { challenge_id, otp: code, pin } });
      expect(again.json().error).toBe('otp_used');

      const token2 = right.json().token;
      const activity = await app.inject({ url: '/api/v1/activity', headers: { authorization: `Bearer ${token2}` } });
      expect(activity.statusCode).toBe(200);
      expect(activity.json().items.map((e: { type: string }) => e.type)).toEqual(['signed_in', 'pin_failed', 'signed_out', 'signed_up']);
      const first = activity.json().items[3];
      expect(first).toMatchObject({ seq: 1, ip, actor: { kind: 'citizen', id: account_id, name: 'Asha Devi' }, user_agent: expect.stringContaining('Android') });
      const verify = await app.inject({ url: '/api/v1/activity/verify', headers: { authorization: `Bearer ${token2}` } });
      expect(verify.json()).toMatchObject({ intact: true, count: 4 });

      // No SMS ever carries the PIN.
      for (const m of gateway.received) expect(m.message).not.toContain(pin);
    });

    it('tells the citizen when the SMS gateway fails, and lets them try again at once', async () => {
      const { app } = get();
      const mobile = randomMobile();
      gateway.script.push(500, 500, 500);
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: randomIp(), payload: { mobile, purpose: 'signup' } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: 'sms_unavailable' });
      const retry = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: randomIp(), payload: { mobile, purpose: 'signup' } });
      expect(retry.statusCode).toBe(200);
    });
  },
  { env: { SMS_PROVIDER: 'http', SMS_HTTP_URL: gateway.url, SMS_HTTP_TOKEN: 'gw-secret', SMS_HTTP_RETRIES: '2', SMS_HTTP_TIMEOUT_MS: '2000' } },
);
