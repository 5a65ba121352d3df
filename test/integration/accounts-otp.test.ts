/**
 * OTP rules over HTTP on both stacks, with an injected clock: 10-minute expiry, 3 wrong
 * tries, a resend that cancels the old code, 50 parallel guesses that never get more than
 * 3 tries, answers that do not reveal whether a number is registered, and hourly caps.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { describeEachStack } from '../support/app.ts';
import { latestOtp, randomIp, randomMobile, requestOtp, signUpCitizen } from '../support/citizen.ts';

const clock = new ManualClock('2026-05-04T10:00:00.000Z');
const details = { name: 'Ravi Kumar', dob: '1985-11-02', gender: 'M', pin: '480257' };

describeEachStack(
  'OTP rules',
  (get) => {
    const signup = (challenge_id: string, otp: string, ip = randomIp()) =>
      get().app.inject({ method: 'POST', url: '/api/v1/auth/signup', remoteAddress: ip, payload: { challenge_id, otp, ...details } });

    it('a code works until 10 minutes and not at 10 minutes', async () => {
      const { deps } = get();
      const a = randomMobile();
      const ca = await requestOtp(get().app, a, 'signup');
      clock.advance(600_000 - 1);
      expect((await signup(ca, await latestOtp(deps, a))).statusCode).toBe(201);

      clock.advance(3600_000);
      const b = randomMobile();
      const cb = await requestOtp(get().app, b, 'signup');
      clock.advance(600_000);
      const late = await signup(cb, await latestOtp(deps, b));
      expect(late.statusCode).toBe(410);
      expect(late.json()).toMatchObject({ error: 'otp_expired', resend: true });
    });

    it('allows 3 wrong tries, then refuses even the right code', async () => {
      const m = randomMobile();
      const c = await requestOtp(get().app, m, 'signup');
      const right = await latestOtp(get().deps, m);
      const wrong = right === '000000' ? '000001' : '000000';
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await signup(c, wrong)).json());
      expect(answers.map((a) => [a.error, a.tries_left])).toEqual([
        ['otp_incorrect', 2],
        ['otp_incorrect', 1],
        ['otp_incorrect', 0],
      ]);
      const last = await signup(c, right);
      expect(last.statusCode).toBe(410);
      expect(last.json().error).toBe('otp_attempts_exceeded');
    });

    it('a malformed code is refused without using a try', async () => {
      const m = randomMobile();
      const c = await requestOtp(get().app, m, 'signup');
      expect((await signup(c, '12ab56')).json().error).toBe('otp_format');
      expect((await signup(c, await latestOtp(get().deps, m))).statusCode).toBe(201);
    });

    it('resend: not before the cooldown; then a new code that cancels the old one', async () => {
      const { app, deps } = get();
      const m = randomMobile();
      const ip = randomIp();
      const first = await requestOtp(app, m, 'signup', ip);
      const oldCode = await latestOtp(deps, m);
      clock.advance(10_000);
      const early = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: ip, payload: { mobile: m, purpose: 'signup' } });
      expect(early.statusCode).toBe(429);
      expect(early.json()).toMatchObject({ error: 'otp_resend_too_soon', retry_after: 20 });
      clock.advance(20_000);
      const second = await requestOtp(app, m, 'signup', ip);
      const newCode = await latestOtp(deps, m);
      expect(second).not.toBe(first);
      const stale = await signup(first, oldCode);
      expect(stale.statusCode).toBe(410);
      expect(stale.json().error).toBe('otp_superseded');
      expect((await signup(second, newCode)).statusCode).toBe(201);
    });

    it('50 parallel guesses at one challenge get at most 3 tries', async () => {
      const { app, deps } = get();
      const m = randomMobile();
      const c = await requestOtp(app, m, 'signup');
      const right = await latestOtp(deps, m);
      const guesses = Array.from({ length: 50 }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'));
      const answers = await Promise.all(guesses.map((g) => signup(c, g)));
      const errors = answers.map((a) => a.json().error as string);
      expect(errors.filter((e) => e === 'otp_incorrect')).toHaveLength(3);
      expect(errors.filter((e) => e === 'otp_attempts_exceeded')).toHaveLength(47);
      expect(answers.every((a) => a.statusCode < 500)).toBe(true);
      expect((await signup(c, right)).json().error).toBe('otp_attempts_exceeded');
    });

    it('answers the same for registered and unregistered numbers up to the OTP step', async () => {
      const { app, deps } = get();
      const known = await signUpCitizen(app, deps);
      const unknown = randomMobile();
      for (const purpose of ['login', 'reset_pin', 'signup'] as const) {
        clock.advance(60_000);
        const res = [];
        const sms = [];
        for (const mobile of [known.mobile, unknown]) {
          const r = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: randomIp(), payload: { mobile, purpose } });
          const [msg] = await deps.outbox.list({ to: mobile, limit: 1 });
          sms.push(msg!.body.replace(/\d{6}/g, 'CODE'));
          const wrong = await app.inject({
            method: 'POST',
            url: purpose === 'login' ? '/api/v1/auth/login' : purpose === 'reset_pin' ? '/api/v1/auth/pin/reset' : '/api/v1/auth/signup',
            remoteAddress: randomIp(),
            payload: purpose === 'signup' ? { challenge_id: r.json().challenge_id, otp: '999999', ...details } : { challenge_id: r.json().challenge_id, otp: '999999', ...(purpose === 'login' ? { pin: '480257' } : { new_pin: '480257' }) },
          });
          const lastCode = await latestOtp(deps, mobile);
          res.push({
            status: r.statusCode,
            keys: Object.keys(r.json()).sort(),
            expires: r.json().expires_in,
            resend: r.json().resend_after,
            headers: Object.keys(r.headers).filter((h) => !['date', 'x-request-id', 'content-length'].includes(h)).sort(),
            wrong: lastCode === '999999' ? 'skip' : { status: wrong.statusCode, body: wrong.json() },
          });
        }
        expect(res[0], purpose).toEqual(res[1]);
        expect(sms[0], purpose).toBe(sms[1]);
      }
    });
  },
  { clock },
);

describeEachStack(
  'OTP hourly caps',
  (get) => {
    it('caps codes per number per hour, whatever the IP', async () => {
      const { app } = get();
      const m = randomMobile();
      for (let i = 0; i < 3; i++) {
        clock.advance(31_000);
        expect((await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: randomIp(), payload: { mobile: m, purpose: 'login' } })).statusCode).toBe(200);
      }
      clock.advance(31_000);
      const capped = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: randomIp(), payload: { mobile: m, purpose: 'reset_pin' } });
      expect(capped.statusCode).toBe(429);
      expect(capped.json()).toMatchObject({ error: 'otp_limit_reached', retry_after: expect.any(Number) });
      clock.advance(3600_000);
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: randomIp(), payload: { mobile: m, purpose: 'login' } })).statusCode).toBe(200);
    });

    it('caps codes per client IP per hour, whatever the number', async () => {
      const { app } = get();
      const ip = randomIp();
      clock.advance(3600_000);
      for (let i = 0; i < 4; i++) {
        expect((await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: ip, payload: { mobile: randomMobile(), purpose: 'signup' } })).statusCode).toBe(200);
      }
      const capped = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: ip, payload: { mobile: randomMobile(), purpose: 'signup' } });
      expect(capped.statusCode).toBe(429);
      expect(capped.json().error).toBe('otp_limit_reached');
    });

    it('refuses malformed numbers with a clear code', async () => {
      for (const mobile of ['12345', '5876543210', '+1 415 555 0100', '98765432101', '९८७६५४३२१०', 'x'.repeat(40)]) {
        const res = await get().app.inject({ method: 'POST', url: '/api/v1/auth/otp', remoteAddress: randomIp(), payload: { mobile, purpose: 'login' } });
        expect(res.statusCode, mobile).toBe(400);
        expect(res.json().error, mobile).toMatch(/^(invalid_mobile|invalid_request)$/);
      }
      const bad = await get().app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { mobile: '9876543210', purpose: 'admin' } });
      expect(bad.statusCode).toBe(400);
    });
  },
  { clock, env: { OTP_MAX_PER_MOBILE_HOUR: '3', OTP_MAX_PER_IP_HOUR: '4' } },
);
