/**
 * Sessions on both stacks (and on Redis): the timed logout and the absolute lifetime with
 * an injected clock, no database writes on the hot path, one citizen's token never opening
 * another's data, signing out one device or all, cookie flags, and CSRF on cookie calls.
 */
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { accountsDeps } from '../../src/http/routes/accounts/context.ts';
import { sweepSessions } from '../../src/domain/accounts/sessions.ts';
import { describeEachStack, startTestApp } from '../support/app.ts';
import { signIn, signUpCitizen, type TestCitizen } from '../support/citizen.ts';

const clock = new ManualClock('2026-07-01T06:00:00.000Z');
const MIN = 60_000;

describeEachStack(
  'sessions',
  (get) => {
    const me = (c: Pick<TestCitizen, 'token'>) => get().app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${c.token}` } });

    it('ends after 15 idle minutes, and activity keeps it alive', async () => {
      const c = await signUpCitizen(get().app, get().deps);
      for (let i = 0; i < 5; i++) {
        clock.advance(14 * MIN);
        expect((await me(c)).statusCode).toBe(200);
      }
      clock.advance(15 * MIN);
      const gone = await me(c);
      expect(gone.statusCode).toBe(401);
      expect(gone.json()).toMatchObject({ error: 'session_expired', reason: 'idle' });
      expect(gone.json().error_description).toMatch(/without activity/);
    });

    it('never outlives 15 minutes after the last recorded activity, and tells the page exactly when it ends', async () => {
      const c = await signUpCitizen(get().app, get().deps);
      clock.advance(30_000); // within the minute: read, no write
      const page = await get().app.inject({ url: '/dashboard', headers: { cookie: c.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('data-idle-seconds="870"');
      clock.advance(15 * MIN - 30_000);
      expect((await me(c)).json()).toMatchObject({ error: 'session_expired', reason: 'idle' });
    });

    it('ends at the absolute lifetime of 12 hours however active the citizen is', async () => {
      const c = await signUpCitizen(get().app, get().deps);
      for (let t = 0; t < 12 * 60 - 10; t += 10) {
        clock.advance(10 * MIN);
        expect((await me(c)).statusCode, `at ${t + 10} min`).toBe(200);
      }
      clock.advance(10 * MIN);
      expect((await me(c)).json()).toMatchObject({ error: 'session_expired', reason: 'expired' });
    });

    it('writes last-seen at most once a minute on the hot path', async () => {
      const c = await signUpCitizen(get().app, get().deps);
      const touch = vi.spyOn(get().deps.sessions, 'touch');
      try {
        for (let i = 0; i < 20; i++) {
          clock.advance(2_000);
          expect((await me(c)).statusCode).toBe(200);
        }
        expect(touch).toHaveBeenCalledTimes(0);
        clock.advance(20_000);
        await me(c);
        await me(c);
        expect(touch).toHaveBeenCalledTimes(1);
      } finally {
        touch.mockRestore();
      }
    });

    it('the sweeper ends idle sessions and logs each expiry once', async () => {
      const c = await signUpCitizen(get().app, get().deps);
      clock.advance(16 * MIN);
      const ad = accountsDeps(get().deps);
      const [a, b] = await Promise.all([sweepSessions(ad), sweepSessions(ad)]);
      expect(a + b).toBeGreaterThanOrEqual(1);
      expect((await me(c)).json().reason).toBe('idle');
      const again = await signIn(get().app, get().deps, c);
      const log = await get().app.inject({ url: '/api/v1/activity?type=session_expired', headers: again.headers });
      expect(log.json().items).toHaveLength(1);
      expect(log.json().items[0]).toMatchObject({ actor: { kind: 'system' }, details: { reason: 'inactivity' } });
    });

    it('one citizen’s token never opens another’s data', async () => {
      const { app, deps } = get();
      const a = await signUpCitizen(app, deps, { name: 'Asha Devi' });
      const b = await signUpCitizen(app, deps, { name: 'Bina Rao' });
      expect((await me(a)).json().name).toBe('Asha Devi');
      expect((await me(b)).json().name).toBe('Bina Rao');
      const actA = await app.inject({ url: '/api/v1/activity', headers: a.headers });
      expect(actA.json().items.every((e: { actor: { id: string } }) => e.actor.id === a.accountId)).toBe(true);
      // B's session cannot be ended, or even seen, with A's token.
      const bSessions = (await app.inject({ url: '/api/v1/me/sessions', headers: b.headers })).json().items;
      const attack = await app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${bSessions[0].session_id}`, headers: a.headers });
      expect(attack.statusCode).toBe(404);
      expect((await me(b)).statusCode).toBe(200);
      // A bearer token wins over a cookie; a forged or altered token opens nothing.
      const both = await app.inject({ url: '/api/v1/me', headers: { ...a.headers, cookie: b.cookie } });
      expect(both.json().account_id).toBe(a.accountId);
      const altered = a.token.slice(0, -1) + (a.token.endsWith('A') ? 'B' : 'A');
      const forged = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${altered}` } });
      expect(forged.json().error).toBe('unauthorized');
      for (const h of [{}, { authorization: 'Bearer nope' }, { authorization: `Basic ${a.token}` }, { cookie: 'ol_session=garbage' }]) {
        const r = await app.inject({ url: '/api/v1/me', headers: h });
        expect(r.statusCode).toBe(401);
        expect(r.json().error).toBe('unauthorized');
      }
    });

    it('lists signed-in devices, signs out one, then all', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      clock.advance(31_000);
      const phone = await signIn(app, deps, c, 'Mozilla/5.0 (Linux; Android 14) AppleWebKit Chrome/126.0 Mobile Safari/537.36');
      const list = (await app.inject({ url: '/api/v1/me/sessions', headers: phone.headers })).json().items;
      expect(list).toHaveLength(2);
      expect(list.find((s: { current: boolean }) => s.current)).toMatchObject({ device: 'Chrome on Android', ip: expect.stringMatching(/^10\./) });
      const other = list.find((s: { current: boolean }) => !s.current);
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${other.session_id}`, headers: phone.headers })).json()).toEqual({ ended: true });
      expect((await me(c)).json()).toMatchObject({ error: 'session_expired', reason: 'ended_from_other_device' });
      clock.advance(31_000);
      const third = await signIn(app, deps, c);
      const all = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: third.headers, payload: { all: true } });
      expect(all.json()).toEqual({ signed_out: 2 });
      for (const s of [phone, third]) expect((await me(s)).json().reason).toBe('signed_out_everywhere');
    });

    it('cookie calls that change something need a JSON body or X-Requested-With (CSRF)', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      const form = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'all=true' });
      expect(form.statusCode).toBe(403);
      expect(form.json().error).toBe('csrf_invalid');
      expect((await me(c)).statusCode).toBe(200);
      const patch = await app.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: c.cookie }, payload: { email: 'a@example.in' } });
      expect(patch.json().email).toBe('a@example.in');
      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: c.cookie, 'x-requested-with': 'fetch' } });
      expect(out.json()).toEqual({ signed_out: 1 });
      const cleared = String(out.headers['set-cookie']);
      expect(cleared).toMatch(/ol_session=;/);
    });

    it('pages send signed-out visitors to sign in, and back afterwards', async () => {
      const res = await get().app.inject({ url: '/activity?type=signed_in' });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/signin?next=%2Factivity%3Ftype%3Dsigned_in');
      const c = await signUpCitizen(get().app, get().deps);
      clock.advance(16 * MIN);
      const expired = await get().app.inject({ url: '/profile', headers: { cookie: c.cookie } });
      expect(expired.headers.location).toBe('/signin?next=%2Fprofile&expired=idle');
      const signinPage = await get().app.inject({ url: expired.headers.location as string, headers: { cookie: c.cookie } });
      expect(signinPage.body).toContain('You were signed out because you were inactive');
    });

    it('signed-in citizens go from / to their dashboard', async () => {
      const c = await signUpCitizen(get().app, get().deps);
      const home = await get().app.inject({ url: '/', headers: { cookie: c.cookie } });
      expect(home.statusCode).toBe(303);
      expect(home.headers.location).toBe('/dashboard');
      const dash = await get().app.inject({ url: '/dashboard', headers: { cookie: c.cookie } });
      expect(dash.body).toContain('Welcome, Asha Devi');
    });
  },
  { clock },
);

describe('sessions on Redis (REDIS_URL)', () => {
  it('sign-up, idle logout and sign-out work the same with sessions in Redis', async () => {
    const rclock = new ManualClock('2026-07-01T06:00:00.000Z');
    const t = await startTestApp({ redis: true, clock: rclock });
    try {
      const c = await signUpCitizen(t.app, t.deps);
      expect((await t.app.inject({ url: '/api/v1/me', headers: c.headers })).statusCode).toBe(200);
      rclock.advance(15 * MIN);
      expect((await t.app.inject({ url: '/api/v1/me', headers: c.headers })).json().reason).toBe('idle');
      rclock.advance(31_000);
      const again = await signIn(t.app, t.deps, c);
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: again.headers });
      expect((await t.app.inject({ url: '/api/v1/me', headers: again.headers })).json().reason).toBe('signed_out');
    } finally {
      await t.close();
    }
  });
});

describe('cookies under https', () => {
  it('are Secure when PUBLIC_URL is https', async () => {
    const t = await startTestApp({ env: { PUBLIC_URL: 'https://locker.example.in' } });
    try {
      const c = await signUpCitizen(t.app, t.deps);
      expect(c.cookie).toMatch(/^ol_session=ols_/);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/pin/change', headers: c.headers, payload: { current_pin: c.pin, new_pin: '720394' } });
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await t.close();
    }
  });
});
