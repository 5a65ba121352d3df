/**
 * Client secrets, codes, tokens and OTPs never reach a log line: the whole partner flow
 * (authorize, sign-in, consent, token on both endpoints, refresh, 1/user, receipt, revoke,
 * the device flow, meta APIs, failures) runs with the access log captured at trace level,
 * then every secret is searched for in it.
 */
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { traceLogger } from '../support/log-capture.ts';
import { latestOtp, signUpCitizen } from '../support/citizen.ts';
import { authorizeInBrowser, authorizeUrl, createPartner, oidcClient, startOAuthApp } from '../support/partners.ts';

it('never logs client secrets, codes, tokens or OTPs', async () => {
  const { lines, logger } = traceLogger();
  const s = await startOAuthApp({ build: { logger } as never });
  const secrets: string[] = [];
  try {
    const partner = await createPartner(s.t.app);
    secrets.push(partner.clientSecret);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const config = await oidcClient(s.issuer, partner);
    const a = await authorizeUrl(config, partner);
    const { location } = await authorizeInBrowser(s.t.app, s.t.deps, a.url, citizen);
    const code = new URL(location).searchParams.get('code')!;
    secrets.push(code, a.verifier);
    const form = (body: Record<string, string>, basic = false) =>
      fetch(`${s.issuer}/1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(basic ? { authorization: `Basic ${Buffer.from(`${partner.clientId}:${partner.clientSecret}`).toString('base64')}` } : {}) },
        body: new URLSearchParams(basic ? body : { ...body, client_id: partner.clientId, client_secret: partner.clientSecret }),
      }).then((r) => r.json() as Promise<Record<string, string>>);
    const t1 = await form({ grant_type: 'authorization_code', code, code_verifier: a.verifier, redirect_uri: partner.redirectUri }, true);
    secrets.push(t1.access_token!, t1.refresh_token!);
    await form({ grant_type: 'authorization_code', code, code_verifier: a.verifier, redirect_uri: partner.redirectUri }); // replay
    const b = await authorizeUrl(config, partner);
    const second = await authorizeInBrowser(s.t.app, s.t.deps, b.url, citizen);
    const t2 = await form({ grant_type: 'authorization_code', code: new URL(second.location).searchParams.get('code')!, code_verifier: b.verifier, redirect_uri: partner.redirectUri });
    const t3 = await form({ grant_type: 'refresh_token', refresh_token: t2.refresh_token! });
    secrets.push(t2.access_token!, t2.refresh_token!, t3.access_token!, t3.refresh_token!);
    await fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${t3.access_token}` } });
    await fetch(`${s.issuer}/1/consent/receipt`, { headers: { authorization: `Bearer ${t3.access_token}` } });
    await fetch(`${s.base}/public/oauth2/1/user?access_token=${t3.access_token}`);
    const dc = (await (await fetch(`${s.issuer}/1/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: partner.clientId, response_type: 'device_code', dl_mobile: citizen.mobile }) })).json()) as { device_code: string };
    const otp = await latestOtp(s.t.deps, citizen.mobile);
    secrets.push(dc.device_code, otp);
    await fetch(`${s.issuer}/1/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: partner.clientId, device_code: dc.device_code, dl_otp: otp }) });
    await form({ grant_type: 'refresh_token', refresh_token: 'wrong' + crypto.randomBytes(8).toString('hex') });
    await fetch(`${s.issuer}/1/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: t3.access_token!, client_id: partner.clientId, client_secret: partner.clientSecret }) });
    const ts = String(Math.floor(Date.now() / 1000));
    await fetch(`${s.issuer}/1/pull/issuers`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ clientid: partner.clientId, ts, hmac: crypto.createHash('sha256').update(partner.clientSecret + partner.clientId + ts).digest('hex') }) });
    const rot = await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${partner.clientId}/rotate-secret`, headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    secrets.push(rot.json().client_secret);
  } finally {
    await s.t.close();
  }
  const log = lines.join('');
  expect(lines.length).toBeGreaterThan(20);
  expect(log).toContain('/public/oauth2/1/token');
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(5);
    expect(log.includes(secret), `a secret (${secret.slice(0, 4)}…) is in the log`).toBe(false);
  }
});
