/**
 * The authorization server against openid-client (a certified client) over loopback, on
 * both stacks: the full code flow on 1/token and 2/token, PKCE rules, code replay,
 * redirect-URI mismatch, scopes outside the partner's approval, refresh-token rotation
 * and reuse detection, Deny, and client authentication by form and Basic with form and
 * JSON bodies.
 */
import crypto from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { OIDC_HOOKS_IDLE_MS, oidcStorageEnabled } from '../../src/oauth/oidc.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { authorizeInBrowser, authorizeUrl, connect, createPartner, describeEachOAuthStack, oidcClient, pathOf } from '../support/partners.ts';

const DL_KEYS = ['access_token', 'consent_valid_till', 'digilocker_id', 'digilockerid', 'dob', 'eaadhar', 'expires_in', 'gender', 'name', 'reference_key', 'refresh_token', 'scope', 'token_type'];

async function post(url: string, body: Record<string, string>, o: { json?: boolean; basic?: [string, string] } = {}) {
  const headers: Record<string, string> = { 'content-type': o.json ? 'application/json' : 'application/x-www-form-urlencoded' };
  if (o.basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(o.basic[0])}:${encodeURIComponent(o.basic[1])}`).toString('base64')}`;
  const res = await fetch(url, { method: 'POST', headers, body: o.json ? JSON.stringify(body) : new URLSearchParams(body).toString() });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

describeEachOAuthStack('authorization server', (get) => {
  it('runs the code flow on 1/token with DigiLocker’s fields (exact JSON), and 1/user answers', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps, { name: 'Ravi Kumar', dob: '1988-02-29', gender: 'M' });
    const config = await oidcClient(s.issuer, partner);
    const a = await authorizeUrl(config, partner, { scope: 'userdetails', purpose: 'Loan KYC', consent_valid_till: String(Math.floor(Date.now() / 1000) + 7 * 86400) });
    const { location, consentPage } = await authorizeInBrowser(s.t.app, s.t.deps, a.url, citizen);
    expect(consentPage).toContain('Bank of Example');
    expect(consentPage).toContain('Loan KYC');
    const code = new URL(location).searchParams.get('code')!;
    expect(new URL(location).searchParams.get('state')).toBe(a.state);
    const r = await post(`${s.issuer}/1/token`, { grant_type: 'authorization_code', code, code_verifier: a.verifier, redirect_uri: partner.redirectUri, client_id: partner.clientId, client_secret: partner.clientSecret });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(DL_KEYS);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'userdetails', digilockerid: citizen.accountId, digilocker_id: citizen.accountId, name: 'Ravi Kumar', dob: '29021988', gender: 'M', eaadhar: 'N' });
    expect(Number(r.json.consent_valid_till)).toBeGreaterThan(Date.now() / 1000 + 6 * 86400);
    const user = await fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${r.json.access_token}` } });
    expect(user.status).toBe(200);
    expect(await user.json()).toEqual({ digilockerid: citizen.accountId, name: 'Ravi Kumar', dob: '29021988', gender: 'M', eaadhaar: 'N', eaadhar: 'N', reference_key: r.json.reference_key });
  });

  it('2/token returns an id_token signed with a key in the JWKS (openid-client and jose both verify it)', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const tokens = await connect(s, partner, citizen);
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(citizen.accountId);
    expect(claims.iss).toBe(s.issuer);
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(`${s.issuer}/jwks`)), { issuer: s.issuer, audience: partner.clientId });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ digilockerid: citizen.accountId, name: 'Asha Devi' });
    const discovery = (await (await fetch(`${s.base}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery, JSON.stringify(discovery)).toMatchObject({ issuer: s.issuer, authorization_endpoint: `${s.issuer}/1/authorize`, token_endpoint: `${s.issuer}/2/token`, revocation_endpoint: `${s.issuer}/1/revoke`, jwks_uri: `${s.issuer}/jwks`, code_challenge_methods_supported: ['S256'] });
    expect(discovery.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_post', 'client_secret_basic']));
  });

  it('accepts OpenID Connect’s `openid profile` (what generic clients send) as the basic profile, for any approved partner', async () => {
    const s = get();
    const partner = await createPartner(s.t.app, { scopes: ['openid', 'files.issueddocs'] });
    const citizen = await signUpCitizen(s.t.app, s.t.deps, { name: 'Meera Nair', dob: '1979-11-02', gender: 'F' });
    const tokens = await connect(s, partner, citizen, { scope: 'openid profile' });
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile']));
    expect(tokens.claims()).toMatchObject({ sub: citizen.accountId, name: 'Meera Nair', birthdate: '1979-11-02', gender: 'F' });
    const user = await fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(user.status).toBe(200);
    expect(await user.json()).toMatchObject({ name: 'Meera Nair', dob: '02111979' });
  });

  it('1/token without redirect_uri (DigiLocker’s spec does not ask for it) uses the URI the code was issued for', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const config = await oidcClient(s.issuer, partner);
    const a = await authorizeUrl(config, partner, { scope: 'userdetails' });
    const { location } = await authorizeInBrowser(s.t.app, s.t.deps, a.url, citizen);
    const code = new URL(location).searchParams.get('code')!;
    const r = await post(`${s.issuer}/1/token`, { grant_type: 'authorization_code', code, code_verifier: a.verifier, client_id: partner.clientId, client_secret: partner.clientSecret });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.digilockerid).toBe(citizen.accountId);
    // A wrong one is still refused.
    const b = await authorizeUrl(config, partner, { scope: 'userdetails' });
    const again = new URL((await authorizeInBrowser(s.t.app, s.t.deps, b.url, citizen)).location).searchParams.get('code')!;
    const wrong = await post(`${s.issuer}/1/token`, { grant_type: 'authorization_code', code: again, code_verifier: b.verifier, redirect_uri: 'http://127.0.0.1:9/elsewhere', client_id: partner.clientId, client_secret: partner.clientSecret });
    expect(wrong.json.error).toBe('invalid_grant');
  });

  it('takes the spec’s own spellings: Code_challenge, Code_challenge_method at authorize; refresh_Token at the token endpoint', async () => {
    const s = get();
    const partner = await createPartner(s.t.app, { scopes: ['openid', 'userdetails', 'offline_access'] });
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const config = await oidcClient(s.issuer, partner);
    const a = await authorizeUrl(config, partner, { scope: 'userdetails offline_access' });
    const u = new URL(a.url);
    for (const [from, to] of [['code_challenge', 'Code_challenge'], ['code_challenge_method', 'Code_challenge_method']] as const) {
      u.searchParams.set(to, u.searchParams.get(from)!);
      u.searchParams.delete(from);
    }
    const { location } = await authorizeInBrowser(s.t.app, s.t.deps, u.toString(), citizen);
    const code = new URL(location).searchParams.get('code');
    expect(code, location).toBeTruthy();
    const creds = { client_id: partner.clientId, client_secret: partner.clientSecret };
    const r = await post(`${s.issuer}/1/token`, { grant_type: 'authorization_code', code: code!, code_verifier: a.verifier, redirect_uri: partner.redirectUri, ...creds });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const refreshed = await post(`${s.issuer}/1/token`, { grant_type: 'refresh_token', refresh_Token: String(r.json.refresh_token), ...creds });
    expect(refreshed.status, JSON.stringify(refreshed.json)).toBe(200);
    expect(refreshed.json.access_token).toBeTruthy();
  });

  it('switches oidc-provider’s request storage (and the process’s promise hooks) off once no OAuth request runs, and on again for the next', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    await connect(s, partner, citizen);
    const until = Date.now() + OIDC_HOOKS_IDLE_MS + 5000;
    while (oidcStorageEnabled() !== false && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(oidcStorageEnabled()).toBe(false);
    expect((await fetch(`${s.issuer}/jwks`)).status).toBe(200);
    expect(oidcStorageEnabled()).toBe(true);
    // A whole flow after the switch-off works (oidc-provider reads its context throughout).
    const tokens = await connect(s, partner, citizen);
    expect(tokens.claims()!.sub).toBe(citizen.accountId);
  });

  it('authenticates the client by form or Basic, with form or JSON bodies; a wrong secret is invalid_client', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    for (const [json, basic] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      const config = await oidcClient(s.issuer, partner);
      const a = await authorizeUrl(config, partner);
      const { location } = await authorizeInBrowser(s.t.app, s.t.deps, a.url, citizen);
      const body: Record<string, string> = { grant_type: 'authorization_code', code: new URL(location).searchParams.get('code')!, code_verifier: a.verifier, redirect_uri: partner.redirectUri };
      if (!basic) Object.assign(body, { client_id: partner.clientId, client_secret: partner.clientSecret });
      const r = await post(`${s.issuer}/1/token`, body, { json, ...(basic ? { basic: [partner.clientId, partner.clientSecret] as [string, string] } : {}) });
      expect(r.status, `json=${json} basic=${basic}: ${JSON.stringify(r.json)}`).toBe(200);
      expect(typeof r.json.access_token).toBe('string');
    }
    const wrong = await post(`${s.issuer}/1/token`, { grant_type: 'refresh_token', refresh_token: 'x'.repeat(43), client_id: partner.clientId, client_secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    const xml = await fetch(`${s.issuer}/1/token`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' });
    expect(xml.status).toBe(415);
  });

  it('requires PKCE S256: missing and plain are refused at authorize, a wrong verifier at the token endpoint', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const config = await oidcClient(s.issuer, partner);
    const base = { client_id: partner.clientId, redirect_uri: partner.redirectUri, response_type: 'code', scope: 'openid userdetails', state: 's1' };
    for (const extra of [{}, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }] as Array<Record<string, string>>) {
      const res = await s.t.app.inject({ url: `/public/oauth2/1/authorize?${new URLSearchParams({ ...base, ...extra })}` });
      expect(res.statusCode).toBe(303);
      const back = new URL(String(res.headers.location), 'http://relative.invalid');
      expect(back.origin + back.pathname).toBe(partner.redirectUri);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('state')).toBe('s1');
    }
    const a = await authorizeUrl(config, partner);
    const { location } = await authorizeInBrowser(s.t.app, s.t.deps, a.url, citizen);
    await expect(oc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: oc.randomPKCECodeVerifier(), expectedState: a.state })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a replayed code is refused and revokes the tokens issued from it', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const config = await oidcClient(s.issuer, partner);
    const a = await authorizeUrl(config, partner);
    const { location } = await authorizeInBrowser(s.t.app, s.t.deps, a.url, citizen);
    const body = { grant_type: 'authorization_code', code: new URL(location).searchParams.get('code')!, code_verifier: a.verifier, redirect_uri: partner.redirectUri, client_id: partner.clientId, client_secret: partner.clientSecret };
    const first = await post(`${s.issuer}/2/token`, body);
    expect(first.status).toBe(200);
    const user = () => fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${first.json.access_token}` } });
    expect((await user()).status).toBe(200);
    const replay = await post(`${s.issuer}/2/token`, body);
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe('invalid_grant');
    const after = await user();
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: string }).error).toBe('invalid_token');
    const refresh = await post(`${s.issuer}/2/token`, { grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token), client_id: partner.clientId, client_secret: partner.clientSecret });
    expect(refresh.json.error).toBe('invalid_grant');
    // Two concurrent uses of one code: exactly one may succeed, never two.
    const b = await authorizeUrl(config, partner);
    const { location: l2 } = await authorizeInBrowser(s.t.app, s.t.deps, b.url, citizen);
    const race = { ...body, code: new URL(l2).searchParams.get('code')!, code_verifier: b.verifier };
    const results = await Promise.all([post(`${s.issuer}/2/token`, race), post(`${s.issuer}/2/token`, race), post(`${s.issuer}/2/token`, race)]);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
  });

  it('never redirects to an unregistered redirect URI: an error page instead', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const q = new URLSearchParams({ client_id: partner.clientId, redirect_uri: 'https://evil.example/cb', response_type: 'code', scope: 'openid', state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const res = await s.t.app.inject({ url: `/public/oauth2/1/authorize?${q}`, headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('redirect_uri');
    expect(res.body).not.toContain('evil.example/cb?');
    const unknown = await s.t.app.inject({ url: `/public/oauth2/1/authorize?${new URLSearchParams({ ...Object.fromEntries(q), client_id: 'OLNOSUCHCLIENT', redirect_uri: partner.redirectUri })}` });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers.location).toBeUndefined();
  });

  it('refuses scopes and doc types outside the partner’s approved set, redirecting invalid_scope', async () => {
    const s = get();
    const partner = await createPartner(s.t.app, { scopes: ['userdetails'], doctypes: ['PANCR'] });
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const config = await oidcClient(s.issuer, partner);
    for (const params of [{ scope: 'userdetails files.issueddocs' }, { scope: 'userdetails partners.DRVLC' }, { scope: 'userdetails', req_doctype: 'DRVLC' }, { scope: 'userdetails no.such.scope' }] as Array<Record<string, string>>) {
      const a = await authorizeUrl(config, partner, params);
      let res = await s.t.app.inject({ url: pathOf(a.url) });
      const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
      if (String(res.headers.location).includes('/consent/')) res = await s.t.app.inject({ url: pathOf(String(res.headers.location)), headers: { cookie: cookies } });
      if (String(res.headers.location).includes('/public/oauth2/1/authorize/')) res = await s.t.app.inject({ url: pathOf(String(res.headers.location)), headers: { cookie: [cookies, ...([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0])].join('; ') } });
      if (!res.headers.location) throw new Error(`${JSON.stringify(params)}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      const back = new URL(String(res.headers.location), 'http://relative.invalid');
      expect(back.origin + back.pathname, JSON.stringify(params)).toBe(partner.redirectUri);
      expect(back.searchParams.get('error'), JSON.stringify(params)).toBe('invalid_scope');
      expect(back.searchParams.get('state')).toBe(a.state);
    }
    // partners.PANCR is approved: the consent screen offers it, and the token carries it.
    const tokens = await connect(s, partner, citizen, { scope: 'userdetails partners.PANCR' }, '1/token');
    expect(tokens.scope).toBe('userdetails partners.PANCR');
  });

  it('rotates refresh tokens; an old one is refused, and its reuse revokes the whole grant', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const config = await oidcClient(s.issuer, partner);
    const first = await connect(s, partner, citizen);
    const second = await oc.refreshTokenGrant(config, first.refresh_token!);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await expect(oc.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oc.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const user = await fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${second.access_token}` } });
    expect(user.status).toBe(401);
    const consents = (await s.t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<{ state: string; revoked_by: string | null }> };
    expect(consents.items[0]).toMatchObject({ state: 'revoked', revoked_by: 'system' });
  });

  it('Deny sends access_denied and the state back to the partner, and records no consent', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const config = await oidcClient(s.issuer, partner);
    const a = await authorizeUrl(config, partner);
    const { location } = await authorizeInBrowser(s.t.app, s.t.deps, a.url, citizen, { decision: 'deny' });
    const back = new URL(location);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(a.state);
    expect(back.searchParams.get('code')).toBeNull();
    const consents = (await s.t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: unknown[] };
    expect(consents.items).toEqual([]);
  });

  it('1/revoke of an access token or a refresh token ends the grant and the consent (a partner’s sign-out)', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const creds = { client_id: partner.clientId, client_secret: partner.clientSecret };
    for (const hint of ['access_token', 'refresh_token'] as const) {
      const tokens = await connect(s, partner, citizen);
      expect((await post(`${s.issuer}/1/revoke`, { token: hint === 'access_token' ? tokens.access_token : tokens.refresh_token!, token_type_hint: hint, ...creds }, { json: true })).status).toBe(200);
      expect((await fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
      const fresh = await post(`${s.issuer}/1/token`, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, ...creds });
      expect(fresh.json.error).toBe('invalid_grant');
      const consents = (await s.t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<{ state: string; revoked_by: string | null }> };
      expect(consents.items[0]).toMatchObject({ state: 'revoked', revoked_by: 'partner' });
    }
    // An unknown token is not an error (RFC 7009).
    expect((await post(`${s.issuer}/1/revoke`, { token: 'x'.repeat(43), ...creds })).status).toBe(200);
  });

  it('1/revoke also takes the token alone, as DigiLocker’s spec has it: in the body, or as the bearer credential of a client without a secret', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const other = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const alive = async (t: string) => (await fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${t}` } })).status;

    const byBody = await connect(s, partner, citizen);
    expect((await post(`${s.issuer}/1/revoke`, { token: byBody.refresh_token! })).status).toBe(200);
    expect(await alive(byBody.access_token)).toBe(401);

    const byBearer = await connect(s, partner, citizen);
    const res = await fetch(`${s.issuer}/1/revoke`, { method: 'POST', headers: { authorization: `Bearer ${byBearer.access_token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `client_id=${encodeURIComponent(partner.clientId)}` });
    expect(res.status).toBe(200);
    expect(await alive(byBearer.access_token)).toBe(401);

    // Another client's id beside the token is refused, and the token lives on.
    const kept = await connect(s, partner, citizen);
    const wrong = await post(`${s.issuer}/1/revoke`, { token: kept.access_token, client_id: other.clientId });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    expect(await alive(kept.access_token)).toBe(200);
    // Nothing to revoke is still a 200 (RFC 7009 §2.2); no token at all is a 400.
    expect((await post(`${s.issuer}/1/revoke`, { token: 'y'.repeat(43) })).status).toBe(200);
    const none = await post(`${s.issuer}/1/revoke`, {});
    expect([none.status, none.json.error]).toEqual([400, 'invalid_request']);
  });

  it('answers garbage at the token endpoint with a 4xx and a stable code, never a 5xx', async () => {
    const s = get();
    const bodies = ['', 'grant_type=', 'grant_type=authorization_code', '%%%', 'a=1&a=2', JSON.stringify({ grant_type: { x: 1 } }), '{"broken"', crypto.randomBytes(64).toString('base64')];
    for (const [i, b] of bodies.entries()) {
      const res = await fetch(`${s.issuer}/1/token`, { method: 'POST', headers: { 'content-type': i >= 5 && i <= 6 ? 'application/json' : 'application/x-www-form-urlencoded' }, body: b });
      expect(res.status, b).toBeGreaterThanOrEqual(400);
      expect(res.status, b).toBeLessThan(500);
      const j = (await res.json()) as { error: string; error_description: string };
      expect(typeof j.error).toBe('string');
      expect(typeof j.error_description).toBe('string');
    }
    const badBasic = await fetch(`${s.issuer}/1/token`, { method: 'POST', headers: { authorization: 'Basic !!!', 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token' });
    expect(badBasic.status).toBe(401);
  });
});
