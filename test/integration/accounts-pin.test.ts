/**
 * The security PIN on both stacks: weak PINs refused, lockout after 5 wrong PINs with a
 * growing back-off and an SMS, parallel guesses that cannot beat the limit, "forgot PIN"
 * (which also unlocks), and PIN changes that end every other session.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { describeEachStack } from '../support/app.ts';
import { latestOtp, randomIp, randomMobile, requestOtp, signIn, signUpCitizen, type TestCitizen } from '../support/citizen.ts';

const clock = new ManualClock('2026-06-01T08:00:00.000Z');

describeEachStack(
  'security PIN',
  (get) => {
    const login = async (c: TestCitizen, pin: string, challenge?: string) => {
      const { app, deps } = get();
      const challenge_id = challenge ?? (await requestOtp(app, c.mobile, 'login'));
      const otp = await latestOtp(deps, c.mobile);
      return { challenge_id, res: await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: randomIp(), payload: { challenge_id, otp, pin } }) };
    };
    const activityTypes = async (c: TestCitizen) => {
      clock.advance(31_000); // past the resend cooldown of the last code
      const fresh = await signIn(get().app, get().deps, c);
      const res = await get().app.inject({ url: '/api/v1/activity?limit=100', headers: fresh.headers });
      return (res.json().items as Array<{ type: string }>).map((e) => e.type);
    };

    it('refuses weak PINs at sign-up, saying why', async () => {
      const { app, deps } = get();
      for (const [pin, reason] of [['000000', 'repeated'], ['123456', 'sequence'], ['987654', 'sequence'], ['121212', 'pattern'], ['120490', 'date_of_birth'], ['12345', null], ['12345a', null]] as const) {
        clock.advance(31_000);
        const m = randomMobile();
        const c = await requestOtp(app, m, 'signup');
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { challenge_id: c, otp: await latestOtp(deps, m), name: 'A B', dob: '1990-04-12', gender: 'F', pin } });
        expect(res.statusCode, pin).toBe(400);
        expect(res.json(), pin).toMatchObject(reason ? { error: 'pin_weak', reason } : { error: 'pin_format' });
      }
    });

    it('locks after 5 wrong PINs, tells the citizen by SMS, and doubles the next lock', async () => {
      const { deps } = get();
      const c = await signUpCitizen(get().app, deps);
      clock.advance(60_000);
      const first = await login(c, '395021');
      const challenge_id = first.challenge_id;
      const tries = [first.res.json().tries_left];
      for (let i = 0; i < 3; i++) tries.push((await login(c, '395021', challenge_id)).res.json().tries_left);
      expect(tries).toEqual([4, 3, 2, 1]);
      const locked = (await login(c, '395021', challenge_id)).res;
      expect(locked.statusCode).toBe(429);
      expect(locked.json()).toMatchObject({ error: 'account_locked', locked_until: new Date(clock.now().getTime() + 15 * 60_000).toISOString(), retry_after: 900 });
      const [sms] = await deps.outbox.list({ to: c.mobile, limit: 1 });
      expect(sms!.body).toMatch(/^OpenLocker: your locker is locked until .* IST after 5 wrong PINs/);
      expect(sms!.body).not.toContain(c.pin);
      // Even the right PIN is refused while locked (without spending a hash on it).
      expect((await login(c, c.pin, challenge_id)).res.json().error).toBe('account_locked');

      clock.advance(15 * 60_000);
      const again = await login(c, '395021');
      expect(again.res.json().tries_left).toBe(4);
      for (let i = 0; i < 3; i++) await login(c, '395021', again.challenge_id);
      const second = (await login(c, '395021', again.challenge_id)).res.json();
      expect(second.error).toBe('account_locked');
      expect(second.retry_after).toBe(1800);

      clock.advance(30 * 60_000);
      expect((await login(c, c.pin)).res.statusCode).toBe(200);
      const types = await activityTypes(c);
      expect(types.filter((t) => t === 'pin_failed')).toHaveLength(10);
      expect(types.filter((t) => t === 'account_locked')).toHaveLength(2);
    });

    it('50 parallel wrong PINs get at most 5 checks and lock exactly once', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      clock.advance(60_000);
      const challenge_id = await requestOtp(app, c.mobile, 'login');
      const otp = await latestOtp(deps, c.mobile);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: randomIp(), payload: { challenge_id, otp, pin: String(300000 + i * 7919) } }),
        ),
      );
      const codes = answers.map((a) => a.json().error);
      expect(codes.filter((e) => e === 'pin_incorrect').length).toBe(4);
      expect(codes.filter((e) => e === 'account_locked').length).toBe(46);
      clock.advance(16 * 60_000);
      const types = await activityTypes(c);
      expect(types.filter((t) => t === 'pin_failed')).toHaveLength(5);
      expect(types.filter((t) => t === 'account_locked')).toHaveLength(1);
      expect((await deps.outbox.list({ to: c.mobile })).filter((m) => /locked/.test(m.body))).toHaveLength(1);
    });

    it('forgot PIN: works while locked, unlocks, ends every session, and tells the citizen', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      const other = await signIn(app, deps, c);
      clock.advance(60_000);
      const { challenge_id } = await login(c, '395021');
      for (let i = 0; i < 5; i++) await login(c, '395021', challenge_id);
      clock.advance(31_000);
      const reset = await requestOtp(app, c.mobile, 'reset_pin');
      const code = await latestOtp(deps, c.mobile);
      const weak = await app.inject({ method: 'POST', url: '/api/v1/auth/pin/reset', payload: { challenge_id: reset, otp: code, new_pin: '199004' } });
      expect(weak.json()).toMatchObject({ error: 'pin_weak', reason: 'date_of_birth' });
      const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/pin/reset', payload: { challenge_id: reset, otp: code, new_pin: '720394' } });
      expect(ok.json()).toEqual({ pin_reset: true, sessions_ended: 2 });
      for (const token of [c.token, other.token]) {
        const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
        expect(me.json()).toMatchObject({ error: 'session_expired', reason: 'pin_reset' });
      }
      expect((await deps.outbox.list({ to: c.mobile, limit: 1 }))[0]!.body).toMatch(/PIN of your locker was reset/);
      clock.advance(31_000);
      const oldPin = await login(c, c.pin);
      expect(oldPin.res.json().error).toBe('pin_incorrect');
      expect((await login(c, '720394', oldPin.challenge_id)).res.statusCode).toBe(200);
    });

    it('forgot PIN for an unknown number says so only after the right code', async () => {
      const { app, deps } = get();
      const m = randomMobile();
      const ch = await requestOtp(app, m, 'reset_pin');
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/pin/reset', payload: { challenge_id: ch, otp: await latestOtp(deps, m), new_pin: '720394' } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'account_not_found' });
    });

    it('changing the PIN needs the current one, ends every session and returns a fresh one', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      const other = await signIn(app, deps, c);
      const change = (body: object, headers = c.headers) => app.inject({ method: 'POST', url: '/api/v1/auth/pin/change', headers, payload: body });
      expect((await change({ current_pin: '395021', new_pin: '720394' })).json()).toMatchObject({ error: 'pin_incorrect', tries_left: 4 });
      expect((await change({ current_pin: c.pin, new_pin: '111111' })).json()).toMatchObject({ error: 'pin_weak' });
      expect((await change({ current_pin: c.pin, new_pin: c.pin })).json()).toMatchObject({ error: 'pin_unchanged' });
      const ok = await change({ current_pin: c.pin, new_pin: '720394' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().token).not.toBe(c.token);
      for (const token of [c.token, other.token]) {
        expect((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).json().reason).toBe('pin_changed');
      }
      expect((await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${ok.json().token}` } })).statusCode).toBe(200);
    });

    it('sign-in to a number without a locker says so only after the right code, at the cost of a PIN check', async () => {
      const { app, deps } = get();
      const m = randomMobile();
      const ch = await requestOtp(app, m, 'login');
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { challenge_id: ch, otp: await latestOtp(deps, m), pin: '720394' } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toBe('account_not_found');
    });
  },
  { clock },
);
