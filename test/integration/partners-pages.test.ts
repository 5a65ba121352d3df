/**
 * The admin pages (token sign-in into a short-lived cookie, CSRF-protected actions, the new
 * secret shown once) and the public application form; and random input to the partner
 * endpoints never causes a 5xx.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { WebClient } from '../support/web-client.ts';

describe('partner pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('an organisation applies with the form; an admin signs in with the token, approves it and sees the secret once', async () => {
    const org = new WebClient(t.app, { ip: '10.9.9.1' });
    await org.get('/partners/apply');
    const bad = await org.post('/partners/apply', { name: 'Example College', type: 'university', contact_name: 'Registrar', contact_email: 'reg@college.example', redirect_uris: 'http://college.example/cb', scopes: 'userdetails', purpose: 'Admissions: verify marks' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('error-summary');
    const ok = await org.post('/partners/apply', { name: 'Example College', type: 'university', contact_name: 'Registrar', contact_email: 'reg@college.example', redirect_uris: 'https://college.example/cb', scopes: 'userdetails files.issueddocs', doctypes: 'HSCER, SSCER', purpose: 'Admissions: verify marks' });
    expect(ok.statusCode).toBe(201);
    const id = /application number is (OL[A-Z2-9]{10})/.exec(ok.body)![1]!;

    const admin = new WebClient(t.app, { ip: '10.9.9.2' });
    expect((await admin.get('/admin/partners')).statusCode).toBe(303);
    await admin.get('/admin/signin');
    const wrong = await admin.post('/admin/signin', { token: 'not-the-token' });
    expect(wrong.statusCode).toBe(401);
    const signedIn = await admin.post('/admin/signin', { token: 'test-admin-token-0123456789' });
    expect(signedIn.statusCode).toBe(303);
    const list = await admin.get('/admin/partners');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Example College');
    expect((await admin.post(`/admin/partners/${id}/approve`, {}, { csrf: false })).statusCode).toBe(403);
    await admin.get('/admin/partners');
    const approved = await admin.post(`/admin/partners/${id}/approve`, {});
    expect(approved.statusCode).toBe(200);
    const secret = /<code class="secret">([A-Za-z0-9_-]{43})<\/code>/.exec(approved.body)![1]!;
    const again = await admin.get('/admin/partners');
    expect(again.body).not.toContain(secret);
    const p = await t.app.inject({ url: `/api/v1/admin/partners/${id}`, headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    expect(p.json()).toMatchObject({ status: 'approved', doctypes: ['HSCER', 'SSCER'], secret_hint: `…${secret.slice(-4)}` });
    // Wrong tokens from one address lock it out of the sign-in page for the window, the
    // right token included; the address the admin used above is unaffected.
    const guesser = new WebClient(t.app, { ip: '10.9.9.66' });
    await guesser.get('/admin/signin');
    for (let i = 0; i < 20; i++) expect((await guesser.post('/admin/signin', { token: `guess-${i}` })).statusCode).toBe(401);
    expect((await guesser.post('/admin/signin', { token: 'test-admin-token-0123456789' })).statusCode).toBe(429);
    const admin2 = new WebClient(t.app, { ip: '10.9.9.2' });
    await admin2.get('/admin/signin');
    expect((await admin2.post('/admin/signin', { token: 'test-admin-token-0123456789' })).statusCode).toBe(303);
    // A forged admin cookie does not open the pages.
    const forger = new WebClient(t.app);
    forger.cookies.set('ol_admin', String(Date.now() + 3600_000));
    expect((await forger.get('/admin/partners')).statusCode).toBe(303);
  });

  it('random input to the partner endpoints is answered with 4xx, never 5xx', async () => {
    const paths = ['/public/oauth2/1/code', '/public/oauth2/1/token', '/public/oauth2/2/token', '/public/oauth2/1/revoke', '/public/oauth2/1/pull/issuers', '/public/oauth2/1/pull/doctype', '/api/v1/partners/applications'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.dictionary(fc.constantFrom('client_id', 'clientid', 'grant_type', 'code', 'refresh_token', 'response_type', 'dl_mobile', 'dl_username', 'device_code', 'dl_otp', 'ts', 'hmac', 'orgid', 'token', 'name', 'type', 'redirect_uris', 'scopes', 'purpose'), fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant('urn:ietf:params:oauth:grant-type:device_code'), fc.constant('device_code'))), fc.boolean(), async (path, body, json) => {
        const res = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' }, payload: json ? JSON.stringify(body) : new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)])).toString(), remoteAddress: `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
        expect(res.statusCode, `${path} ${JSON.stringify(body)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        // Revoking a token nobody issued is a 200 (RFC 7009 §2.2); everything else here is refused.
        if (!(path.endsWith('/1/revoke') && res.statusCode === 200 && 'token' in body)) expect(res.statusCode).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.webQueryParameters(), async (uid, q) => {
        for (const url of [`/consent/${encodeURIComponent(uid) || 'x'}`, `/public/oauth2/1/authorize?${q}`, `/public/oauth2/1/authorize/${encodeURIComponent(uid) || 'x'}`, `/public/oauth2/1/user?${q}`]) {
          const res = await t.app.inject({ url, headers: { accept: 'text/html' } });
          expect(res.statusCode, `${url} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
  });
});
