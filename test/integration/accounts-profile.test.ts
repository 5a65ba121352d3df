/**
 * Profile on both stacks: email, changing the mobile number (codes to both numbers),
 * provisioned PINs that must be changed first, and deleting the locker — which runs every
 * module's registered eraser and leaves only an anonymised stub.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { provisionAccount } from '../../src/domain/accounts/provision-account.ts';
import { accountsDeps } from '../../src/http/routes/accounts/context.ts';
import { describeEachStack } from '../support/app.ts';
import { latestOtp, randomMobile, requestOtp, signIn, signUpCitizen } from '../support/citizen.ts';

const clock = new ManualClock('2026-08-01T06:00:00.000Z');

describeEachStack(
  'profile',
  (get) => {
    it('edits the email address (kept unverified) and refuses a malformed one', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      const ok = await app.inject({ method: 'PATCH', url: '/api/v1/me', headers: c.headers, payload: { email: ' Asha@Example.IN ' } });
      expect(ok.json()).toMatchObject({ email: 'asha@example.in', email_verified: false });
      const bad = await app.inject({ method: 'PATCH', url: '/api/v1/me', headers: c.headers, payload: { email: 'not an email' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: 'invalid_email', field: 'email' });
      const cleared = await app.inject({ method: 'PATCH', url: '/api/v1/me', headers: c.headers, payload: { email: null } });
      expect(cleared.json().email).toBeNull();
    });

    it('changes the mobile number with codes to both numbers, and tells the old one', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      clock.advance(31_000);
      const other = await signIn(app, deps, c);
      const newMobile = randomMobile();
      const start = await app.inject({ method: 'POST', url: '/api/v1/me/mobile/otp', headers: c.headers, payload: { new_mobile: newMobile } });
      expect(start.statusCode, start.body).toBe(200);
      const { challenge_id, new_challenge_id } = start.json();
      const oldCode = await latestOtp(deps, c.mobile);
      const newCode = await latestOtp(deps, newMobile);
      // Codes swapped: refused.
      const swapped = await app.inject({ method: 'POST', url: '/api/v1/me/mobile', headers: c.headers, payload: { challenge_id, otp: newCode, new_challenge_id, new_otp: oldCode } });
      expect(swapped.json().error).toBe('otp_incorrect');
      // Another citizen cannot use these challenges.
      const intruder = await signUpCitizen(app, deps);
      const stolen = await app.inject({ method: 'POST', url: '/api/v1/me/mobile', headers: intruder.headers, payload: { challenge_id, otp: oldCode, new_challenge_id, new_otp: newCode } });
      expect(stolen.json().error).toBe('otp_challenge_not_found');
      const ok = await app.inject({ method: 'POST', url: '/api/v1/me/mobile', headers: c.headers, payload: { challenge_id, otp: oldCode, new_challenge_id, new_otp: newCode } });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().mobile).toBe(`+91 ******${newMobile.slice(-4)}`);
      expect((await deps.outbox.list({ to: c.mobile, limit: 1 }))[0]!.body).toMatch(/mobile number of your locker was changed/);
      expect((await app.inject({ url: '/api/v1/me', headers: other.headers })).json().reason).toBe('mobile_changed');
      expect((await app.inject({ url: '/api/v1/me', headers: c.headers })).statusCode).toBe(200);
      clock.advance(31_000);
      await signIn(app, deps, { ...c, mobile: newMobile });
    });

    it('refuses to move to a number that has a locker, but only after both codes', async () => {
      const { app, deps } = get();
      const a = await signUpCitizen(app, deps);
      const b = await signUpCitizen(app, deps);
      clock.advance(31_000);
      const start = (await app.inject({ method: 'POST', url: '/api/v1/me/mobile/otp', headers: a.headers, payload: { new_mobile: b.mobile } })).json();
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/me/mobile',
        headers: a.headers,
        payload: { challenge_id: start.challenge_id, otp: await latestOtp(deps, a.mobile), new_challenge_id: start.new_challenge_id, new_otp: await latestOtp(deps, b.mobile) },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toBe('mobile_taken');
      const same = await app.inject({ method: 'POST', url: '/api/v1/me/mobile/otp', headers: a.headers, payload: { new_mobile: a.mobile } });
      expect(same.json().error).toBe('mobile_unchanged');
    });

    it('a provisioned PIN must be changed before anything else', async () => {
      const { app, deps } = get();
      const mobile = randomMobile();
      const { account, created } = await provisionAccount(accountsDeps(deps), { mobile, name: 'Student One', dob: '2008-02-03', gender: 'F', firstPin: '123456' });
      expect(created).toBe(true);
      expect(account.mustChangePin).toBe(true);
      const s = await signIn(app, deps, { mobile, pin: '123456' });
      const blocked = await app.inject({ url: '/api/v1/activity', headers: s.headers });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error).toBe('pin_change_required');
      expect((await app.inject({ url: '/api/v1/me', headers: s.headers })).json().must_change_pin).toBe(true);
      const page = await app.inject({ url: '/dashboard', headers: { cookie: s.cookie } });
      expect(page.headers.location).toBe('/profile/pin?required=1');
      const changed = await app.inject({ method: 'POST', url: '/api/v1/auth/pin/change', headers: s.headers, payload: { current_pin: '123456', new_pin: '720394' } });
      expect(changed.statusCode).toBe(200);
      const fresh = { authorization: `Bearer ${changed.json().token}` };
      expect((await app.inject({ url: '/api/v1/activity', headers: fresh })).statusCode).toBe(200);
      expect((await provisionAccount(accountsDeps(deps), { mobile, name: 'Student One', dob: '2008-02-03', gender: 'F', firstPin: '654321' })).created).toBe(false);
    });

    it('deletes the locker with an OTP: erasers run, data goes, an anonymised stub stays', async () => {
      const { app, deps } = get();
      const erased: string[] = [];
      deps.accountErasers.register({ name: 'test-uploads', erase: async (id) => void erased.push(id) });
      const c = await signUpCitizen(app, deps, { email: 'gone@example.in' });
      clock.advance(31_000);
      const other = await signIn(app, deps, c);
      const otp = await app.inject({ method: 'POST', url: '/api/v1/me/otp', headers: c.headers, payload: { purpose: 'delete_account' } });
      expect(otp.statusCode).toBe(200);
      const code = await latestOtp(deps, c.mobile);
      const wrong = await app.inject({ method: 'POST', url: '/api/v1/me/delete', headers: c.headers, payload: { challenge_id: otp.json().challenge_id, otp: code === '111111' ? '222222' : '111111' } });
      expect(wrong.json().error).toBe('otp_incorrect');
      const res = await app.inject({ method: 'POST', url: '/api/v1/me/delete', headers: c.headers, payload: { challenge_id: otp.json().challenge_id, otp: code } });
      expect(res.json()).toEqual({ deleted: true });
      expect(erased).toEqual([c.accountId]);
      expect((await app.inject({ url: '/api/v1/me', headers: other.headers })).json().error).toMatch(/session_expired|unauthorized/);
      const ad = accountsDeps(deps);
      expect(await ad.accounts.findById(c.accountId)).toBeNull();
      expect(await ad.accounts.findByMobile(c.mobile)).toBeNull();
      expect((await deps.activity.list(c.accountId)).items).toEqual([]);
      expect(await deps.sessions.listLive(c.accountId)).toEqual([]);
      const stub = await ad.accounts.findTombstone(c.accountId);
      expect(stub).toMatchObject({ accountId: c.accountId, activityCount: expect.any(Number), activityHead: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(JSON.stringify(stub)).not.toContain(c.mobile.slice(3));
      expect(JSON.stringify(stub)).not.toContain('gone@example.in');
      // The number is free again.
      clock.advance(31_000);
      const ch = await requestOtp(app, c.mobile, 'signup');
      expect(ch).toBeTruthy();
    });

    it('an eraser that fails leaves the locker being deleted; the sweeper finishes it', async () => {
      const { app, deps } = get();
      let fail = true;
      deps.accountErasers.register({ name: 'flaky', erase: async () => {
        if (fail) throw new Error('blob store down');
      } });
      try {
        const c = await signUpCitizen(app, deps);
        const otp = await app.inject({ method: 'POST', url: '/api/v1/me/otp', headers: c.headers, payload: { purpose: 'delete_account' } });
        const res = await app.inject({ method: 'POST', url: '/api/v1/me/delete', headers: c.headers, payload: { challenge_id: otp.json().challenge_id, otp: await latestOtp(deps, c.mobile) } });
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ error: 'deletion_pending', pending: ['flaky'] });
        const ad = accountsDeps(deps);
        expect((await ad.accounts.findById(c.accountId))!.status).toBe('deleting');
        // No sign-in while being deleted.
        clock.advance(31_000);
        const ch = await requestOtp(app, c.mobile, 'login');
        const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { challenge_id: ch, otp: await latestOtp(deps, c.mobile), pin: c.pin } });
        expect(login.json().error).toBe('account_not_found');
        fail = false;
        const { sweepAccounts } = await import('../../src/domain/accounts/sweep.ts');
        const report = await sweepAccounts(ad);
        expect(report.erasuresFinished).toBeGreaterThanOrEqual(1);
        expect(await ad.accounts.findById(c.accountId)).toBeNull();
      } finally {
        deps.accountErasers.register({ name: 'flaky', erase: async () => {} });
      }
    });
  },
  { clock },
);
