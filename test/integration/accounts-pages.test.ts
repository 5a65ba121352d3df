/**
 * The account pages as a browser without JavaScript uses them, on both stacks: sign-up,
 * sign-out, sign-in, forgot PIN, profile, sessions and activity; errors shown in an error
 * summary linked to the field; CSRF enforced; Hindi throughout; nothing unescaped.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { describeEachStack } from '../support/app.ts';
import { latestOtp, randomIp, randomMobile, signUpCitizen } from '../support/citizen.ts';
import { WebClient } from '../support/web-client.ts';

const clock = new ManualClock('2026-10-01T05:00:00.000Z');

describeEachStack(
  'account pages without JavaScript',
  (get) => {
    async function signUpByWeb(b: WebClient, mobile: string, pin = '583914') {
      await b.get('/signup');
      expect((await b.post('/signup', { mobile })).statusCode).toBe(303);
      const otpPage = await b.follow();
      expect(otpPage.body).toContain(`******${mobile.slice(-4)}`);
      expect(otpPage.body).toMatch(/autocomplete="one-time-code" inputmode="numeric"/);
      await b.post('/signup/otp', { otp: await latestOtp(get().deps, mobile) });
      expect(b.last!.headers.location).toBe('/signup/details');
      await b.follow();
      const done = await b.post('/signup/details', { name: 'Meera <b>Nair</b>', dob_day: '7', dob_month: '3', dob_year: '1992', gender: 'F', email: '', pin, pin2: pin });
      return done;
    }

    it('signs up, signs out and signs in again through the forms', async () => {
      const b = new WebClient(get().app, { ip: randomIp() });
      const mobile = randomMobile();
      const bad = await signUpByWeb(b, mobile);
      // The name has characters a name cannot have: the form comes back with the error linked to the field.
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('<div class="error-summary" role="alert"');
      expect(bad.body).toContain('<a href="#name">');
      expect(bad.body).toContain('aria-invalid="true"');
      expect(bad.body).toContain('value="Meera &lt;b&gt;Nair&lt;/b&gt;"');
      expect(bad.body).toMatch(/<title>Error: Tell us about yourself/);
      const empty = await b.post('/signup/details', { name: '', dob_day: '31', dob_month: '2', dob_year: '1992', pin: '', pin2: '' });
      for (const f of ['name', 'dob_day', 'gender', 'pin']) expect(empty.body, f).toContain(`<li><a href="#${f}">`);
      const mismatch = await b.post('/signup/details', { name: 'Meera Nair', dob_day: '7', dob_month: '3', dob_year: '1992', gender: 'F', pin: '583914', pin2: '583915' });
      expect(mismatch.body).toContain('<a href="#pin2">The two PINs are not the same');
      const ok = await b.post('/signup/details', { name: 'Meera Nair', dob_day: '7', dob_month: '3', dob_year: '1992', gender: 'F', pin: '583914', pin2: '583914' });
      expect(ok.headers.location).toBe('/dashboard?welcome=1');
      const dash = await b.follow();
      expect(dash.body).toContain('Welcome, Meera Nair');
      expect(dash.body).toContain('Locker created');
      expect(dash.body).toMatch(/data-idle-seconds="\d+"/);

      await b.post('/signout', {});
      expect(b.last!.headers.location).toBe('/signin?done=signed_out');
      expect((await b.follow()).body).toContain('You have signed out.');
      expect((await b.get('/dashboard')).statusCode).toBe(303);

      clock.advance(31_000);
      await b.get('/signin?next=/activity');
      await b.post('/signin', { mobile: mobile.slice(3), next: '/activity' });
      await b.follow();
      const wrongOtp = await b.post('/signin/otp', { otp: (await latestOtp(get().deps, mobile)) === '000000' ? '000001' : '000000' });
      expect(wrongOtp.statusCode).toBe(401);
      expect(wrongOtp.body).toContain('That code is not right. You have 2 tries left.');
      await b.post('/signin/otp', { otp: await latestOtp(get().deps, mobile) });
      await b.follow();
      const wrongPin = await b.post('/signin/pin', { pin: '111112' });
      expect(wrongPin.body).toContain('4 tries are left');
      await b.post('/signin/pin', { pin: '583914' });
      expect(b.last!.headers.location).toBe('/activity');
      const activity = await b.follow();
      expect(activity.statusCode).toBe(200);
      for (const label of ['Signed in', 'Wrong PIN entered', 'Signed out', 'Locker created']) expect(activity.body).toContain(label);
      const filtered = await b.get('/activity?type=pin_failed');
      expect(filtered.body).toContain('Wrong PIN entered');
      expect(filtered.body).not.toContain('<td>Locker created');
      const badDate = await b.get('/activity?from=2026-13-45');
      expect(badDate.statusCode).toBe(400);
      expect(badDate.body).toContain('error-summary');
    });

    it('refuses a form without its CSRF token', async () => {
      const b = new WebClient(get().app);
      await b.get('/signin');
      const res = await b.post('/signin', { mobile: randomMobile() }, { csrf: false });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('The form expired or was not sent from this site');
    });

    it('refuses a CSRF cookie and token from another session (planted by a related site)', async () => {
      const { app, deps } = get();
      // The attacker signs in to their own locker and keeps a valid CSRF cookie and token.
      const attacker = new WebClient(app);
      const mallory = await signUpCitizen(app, deps, { name: 'Mallory Rao' });
      attacker.cookies.set('ol_session', mallory.cookie.split('=')[1]!);
      await attacker.get('/profile');
      const token = attacker.csrf();
      // The victim is signed in; the attacker's cookie is planted in the victim's browser.
      const victim = new WebClient(app);
      const asha = await signUpCitizen(app, deps, { name: 'Asha Devi' });
      victim.cookies.set('ol_session', asha.cookie.split('=')[1]!);
      await victim.get('/profile');
      victim.cookies.set('ol_csrf', attacker.cookies.get('ol_csrf')!);
      const res = await victim.post('/signout', { _csrf: token }, { csrf: false });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('The form expired or was not sent from this site');
      // The pair still works in the session it was made for; the victim's own form works too.
      expect((await attacker.post('/signout', { _csrf: token }, { csrf: false })).headers.location).toBe('/signin?done=signed_out');
      await victim.get('/profile');
      expect((await victim.post('/signout', {})).headers.location).toBe('/signin?done=signed_out');
    });

    it('offers a resend after the code expires, and the new code works', async () => {
      const b = new WebClient(get().app, { ip: randomIp() });
      const mobile = randomMobile();
      await b.get('/signup');
      await b.post('/signup', { mobile });
      await b.follow();
      clock.advance(10 * 60_000);
      const expired = await b.post('/signup/otp', { otp: await latestOtp(get().deps, mobile) });
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('This code has expired. Ask for a new code.');
      expect(expired.body).toContain('action="/signup/resend"');
      const resent = await b.post('/signup/resend', {});
      expect(resent.body).toContain('We sent a new code');
      await b.post('/signup/otp', { otp: await latestOtp(get().deps, mobile) });
      expect(b.last!.headers.location).toBe('/signup/details');
    });

    it('tells a citizen with a locker who tries to sign up to sign in instead (after the code)', async () => {
      const b = new WebClient(get().app, { ip: randomIp() });
      const mobile = randomMobile();
      await signUpByWeb(b, mobile);
      await b.post('/signup/details', { name: 'Meera Nair', dob_day: '7', dob_month: '3', dob_year: '1992', gender: 'F', pin: '583914', pin2: '583914' });
      const other = new WebClient(get().app, { ip: randomIp() });
      clock.advance(31_000);
      await other.get('/signup');
      await other.post('/signup', { mobile });
      await other.follow();
      const res = await other.post('/signup/otp', { otp: await latestOtp(get().deps, mobile) });
      expect(res.statusCode).toBe(409);
      expect(res.body).toContain('This mobile number already has a locker.');
    });

    it('forgot PIN, then profile, sessions and PIN change — in Hindi', async () => {
      const b = new WebClient(get().app, { ip: randomIp(), lang: 'hi' });
      const mobile = randomMobile();
      await signUpByWeb(b, mobile);
      await b.post('/signup/details', { name: 'मीरा नायर', dob_day: '7', dob_month: '3', dob_year: '1992', gender: 'F', pin: '583914', pin2: '583914' });
      expect((await b.follow()).body).toContain('स्वागत है, मीरा नायर');
      clock.advance(31_000);
      await b.get('/forgot-pin');
      await b.post('/forgot-pin', { mobile });
      await b.follow();
      await b.post('/forgot-pin/otp', { otp: await latestOtp(get().deps, mobile) });
      await b.follow();
      const weak = await b.post('/forgot-pin/new', { new_pin: '070392', new_pin2: '070392' });
      expect(weak.body).toContain('यह पिन आसानी से अनुमान लगाया जा सकता है');
      await b.post('/forgot-pin/new', { new_pin: '720394', new_pin2: '720394' });
      expect(b.last!.headers.location).toBe('/signin?done=pin_reset');
      expect((await b.follow()).body).toContain('नए पिन से साइन इन करें');

      clock.advance(31_000);
      await b.post('/signin', { mobile });
      await b.follow();
      await b.post('/signin/otp', { otp: await latestOtp(get().deps, mobile) });
      await b.follow();
      await b.post('/signin/pin', { pin: '720394' });
      expect(b.last!.headers.location).toBe('/dashboard');
      const profile = await b.get('/profile');
      expect(profile.body).toContain('<html lang="hi">');
      expect(profile.body).toContain(`+91 ******${mobile.slice(-4)}`);
      const sessions = await b.get('/profile/sessions');
      expect(sessions.body).toContain('यह डिवाइस');
      expect(sessions.body).toContain('Firefox on Linux');
      await b.get('/profile/pin');
      await b.post('/profile/pin', { current_pin: '720394', new_pin: '384019', new_pin2: '384019' });
      expect(b.last!.headers.location).toBe('/profile?done=pin_changed');
      expect((await b.follow()).body).toContain('आपका पिन बदल दिया गया');
      await b.get('/profile/sessions');
      await b.post('/profile/sessions/end-all', {});
      expect((await b.get('/dashboard')).headers.location).toMatch(/^\/signin\?next=%2Fdashboard/);
    });

    it('shows a locked page with the time, and deletes a locker through the forms', async () => {
      const b = new WebClient(get().app, { ip: randomIp() });
      const mobile = randomMobile();
      await signUpByWeb(b, mobile);
      await b.post('/signup/details', { name: 'Meera Nair', dob_day: '7', dob_month: '3', dob_year: '1992', gender: 'F', pin: '583914', pin2: '583914' });
      await b.get('/profile/delete');
      await b.post('/profile/delete/otp', {});
      const confirm = await b.follow();
      expect(confirm.body).toContain('We sent a 6-digit code');
      const unticked = await b.post('/profile/delete', { otp: await latestOtp(get().deps, mobile) });
      expect(unticked.body).toContain('Tick the box');
      await b.post('/profile/delete', { otp: await latestOtp(get().deps, mobile), confirm: 'yes' });
      expect(b.last!.headers.location).toBe('/signin?done=deleted');

      const c = new WebClient(get().app, { ip: randomIp() });
      const m2 = randomMobile();
      await signUpByWeb(c, m2);
      await c.post('/signup/details', { name: 'Meera Nair', dob_day: '7', dob_month: '3', dob_year: '1992', gender: 'F', pin: '583914', pin2: '583914' });
      await c.follow();
      await c.post('/signout', {});
      clock.advance(31_000);
      await c.get('/signin');
      await c.post('/signin', { mobile: m2 });
      await c.follow();
      await c.post('/signin/otp', { otp: await latestOtp(get().deps, m2) });
      await c.follow();
      for (let i = 0; i < 4; i++) await c.post('/signin/pin', { pin: '111112' });
      const locked = await c.post('/signin/pin', { pin: '111112' });
      expect(locked.statusCode).toBe(429);
      expect(locked.body).toContain('Your locker is locked for now');
      expect(locked.body).toMatch(/until \d+ \w+ 2026, .* IST/);
    });
  },
  { clock },
);
