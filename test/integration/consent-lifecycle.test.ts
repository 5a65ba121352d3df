/**
 * A consent's life on both stacks: the citizen lists and withdraws it (API and page) and
 * the partner's access token stops at once; an admin suspends the partner (every token
 * refused, the token endpoint and authorize refuse) and approves it again; a consent past
 * its validity is refused (ManualClock); the partner downloads the signed receipt and it
 * verifies against the JWKS; another citizen cannot see or withdraw it.
 */
import { compactVerify, createRemoteJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { sqlConsents } from '../../src/storage/sql/repositories/consents.ts';
import { sqlPartners } from '../../src/storage/sql/repositories/partners.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { openAnotherConnection } from '../support/sql.ts';
import { ADMIN, connect, createPartner, describeEachOAuthStack, startOAuthApp } from '../support/partners.ts';
import { WebClient } from '../support/web-client.ts';

const user = (base: string, token: string) => fetch(`${base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${token}` } });

describeEachOAuthStack('consent lifecycle', (get) => {
  it('lists the consent with its accesses, withdraws it (tokens refused at once), and hides it from others', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const other = await signUpCitizen(s.t.app, s.t.deps);
    const tokens = await connect(s, partner, citizen, { purpose: 'Salary account' });
    expect((await user(s.base, tokens.access_token)).status).toBe(200);
    const list = (await s.t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<Record<string, any>> };
    expect(list.items).toHaveLength(1);
    const c = list.items[0]!;
    expect(c).toMatchObject({ partner: { client_id: partner.clientId, name: 'Bank of Example', type: 'bank' }, purpose: 'Salary account', scopes: ['openid', 'userdetails'], state: 'active', flow: 'authorization_code' });
    expect(c.accesses.map((a: { action: string }) => a.action).sort()).toEqual(['token_issued', 'user_details']);
    // The citizen's activity log has the consent and each access.
    const activity = (await s.t.app.inject({ url: '/api/v1/activity', headers: citizen.headers })).json() as { items: Array<{ type: string }> };
    expect(activity.items.map((e) => e.type)).toEqual(expect.arrayContaining(['consent_granted', 'partner_token_issued', 'partner_accessed']));
    // Another citizen: the same answer as for a consent that does not exist.
    for (const method of ['GET', 'DELETE'] as const) {
      const r = await s.t.app.inject({ method, url: `/api/v1/consents/${c.id}`, headers: other.headers });
      expect(r.statusCode).toBe(404);
      expect(r.json().error).toBe('consent_not_found');
    }
    expect((await s.t.app.inject({ url: '/api/v1/consents', headers: other.headers })).json().items).toEqual([]);
    const del = await s.t.app.inject({ method: 'DELETE', url: `/api/v1/consents/${c.id}`, headers: citizen.headers });
    expect(del.statusCode).toBe(200);
    expect(del.json()).toMatchObject({ state: 'revoked', revoked_by: 'citizen' });
    const refused = await user(s.base, tokens.access_token);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_token');
    const again = await s.t.app.inject({ method: 'DELETE', url: `/api/v1/consents/${c.id}`, headers: citizen.headers });
    expect(again.statusCode).toBe(200);
    expect((await s.t.app.inject({ url: '/api/v1/consents', headers: { cookie: citizen.cookie }, method: 'DELETE' })).statusCode).toBe(404);
  });

  it('the Connected organisations page withdraws a consent with a CSRF-protected form', async () => {
    const s = get();
    const partner = await createPartner(s.t.app, { name: 'Example University' });
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const tokens = await connect(s, partner, citizen);
    const web = new WebClient(s.t.app);
    web.cookies.set('ol_session', citizen.cookie.split('=')[1]!);
    const page = await web.get('/connected');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Example University');
    const action = /action="(\/connected\/[^"]+\/revoke)"/.exec(page.body)![1]!;
    expect((await web.post(action, {}, { csrf: false })).statusCode).toBe(403);
    const done = await web.post(action, {});
    expect(done.statusCode).toBe(303);
    const after = await web.follow();
    expect(after.body).toContain('can no longer access your locker');
    expect((await user(s.base, tokens.access_token)).status).toBe(401);
  });

  it('a suspended partner is refused everywhere at once, and works again when approved', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const tokens = await connect(s, partner, citizen);
    expect((await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${partner.clientId}/suspend`, headers: ADMIN, payload: { reason: 'audit' } })).json().status).toBe('suspended');
    expect((await user(s.base, tokens.access_token)).status).toBe(401);
    const refresh = await fetch(`${s.issuer}/1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: partner.clientId, client_secret: partner.clientSecret }) });
    expect(refresh.status).toBe(401);
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_client');
    const authorize = await s.t.app.inject({ url: `/public/oauth2/1/authorize?${new URLSearchParams({ client_id: partner.clientId, redirect_uri: partner.redirectUri, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}` });
    expect(authorize.statusCode).toBe(400);
    expect(authorize.headers.location).toBeUndefined();
    expect((await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${partner.clientId}/approve`, headers: ADMIN })).json()).toMatchObject({ client_secret: null, partner: { status: 'approved' } });
    expect((await user(s.base, tokens.access_token)).status).toBe(200);
  });

  it('a suspension or a withdrawal written by another process (the CLI, a second server) stops the partner at its next request', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const tokens = await connect(s, partner, citizen);
    // Read a few times first, so whatever the server may keep in memory is warm.
    for (let i = 0; i < 3; i++) expect((await user(s.base, tokens.access_token)).status).toBe(200);
    const other = await openAnotherConnection(s.t.sql);
    try {
      await sqlPartners(other).transition(partner.clientId, ['approved'], 'suspended', 'from the CLI', new Date());
      expect((await user(s.base, tokens.access_token)).status).toBe(401);
      await sqlPartners(other).transition(partner.clientId, ['suspended'], 'approved', null, new Date());
      expect((await user(s.base, tokens.access_token)).status).toBe(200);
      const consent = (await sqlConsents(other).listForAccount(citizen.accountId)).find((c) => c.partnerId === partner.clientId)!;
      await sqlConsents(other).revokeByGrant(consent.grantId!, 'citizen', 'from another server', new Date());
      expect((await user(s.base, tokens.access_token)).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('the partner downloads the signed receipt; it verifies against the published JWKS, as does the citizen’s copy', async () => {
    const s = get();
    const partner = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const tokens = await connect(s, partner, citizen, { purpose: 'Verify degree' });
    const r = await fetch(`${s.issuer}/1/consent/receipt`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(r.status).toBe(200);
    const j = (await r.json()) as { receipt: string; consent_id: string; jwks_uri: string };
    const { payload, protectedHeader } = await compactVerify(j.receipt, createRemoteJWKSet(new URL(j.jwks_uri)));
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'consent-receipt+jwt' });
    const claims = JSON.parse(new TextDecoder().decode(payload));
    expect(claims).toMatchObject({ iss: s.issuer, sub: citizen.accountId, aud: partner.clientId, consent: { id: j.consent_id, purpose: 'Verify degree', digilockerid: citizen.accountId, scopes: ['openid', 'userdetails'], partner: { client_id: partner.clientId, name: 'Bank of Example' } } });
    const mine = await s.t.app.inject({ url: `/api/v1/consents/${j.consent_id}/receipt`, headers: citizen.headers });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toContain('application/jose');
    expect(mine.body).toBe(j.receipt);
    // A tampered receipt does not verify.
    const [h, p, sig] = j.receipt.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, consent: { ...claims.consent, scopes: ['files.issueddocs'] } })).toString('base64url')}.${sig}`;
    await expect(compactVerify(forged, createRemoteJWKSet(new URL(j.jwks_uri)))).rejects.toThrow();
    void p;
  });
});

describe('consent expiry (ManualClock)', () => {
  it('a consent past its valid-till is refused at 1/user and at the token endpoint', async () => {
    const clock = new ManualClock(new Date());
    const s = await startOAuthApp({ clock });
    try {
      const partner = await createPartner(s.t.app);
      const citizen = await signUpCitizen(s.t.app, s.t.deps);
      const tokens = await connect(s, partner, citizen, { consent_valid_till: String(Math.floor(clock.now().getTime() / 1000) + 600) }, '1/token');
      expect(tokens.expires_in).toBeLessThanOrEqual(600);
      expect((await user(s.base, tokens.access_token)).status).toBe(200);
      clock.advance(11 * 60_000);
      const r = await user(s.base, tokens.access_token);
      expect(r.status).toBe(401);
      const refresh = await fetch(`${s.issuer}/1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: partner.clientId, client_secret: partner.clientSecret }) });
      expect(refresh.status).toBe(400);
      expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
      const listed = (await s.t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<{ state: string }> };
      expect(listed.items[0]!.state).toBe('expired');
    } finally {
      await s.t.close();
    }
  });
});

describe('account erasure', () => {
  it('deleting a locker removes its consents, accesses, grants and tokens', async () => {
    const s = await startOAuthApp();
    try {
      const { latestOtp } = await import('../support/citizen.ts');
      const partner = await createPartner(s.t.app);
      const citizen = await signUpCitizen(s.t.app, s.t.deps);
      const tokens = await connect(s, partner, citizen);
      expect((await user(s.base, tokens.access_token)).status).toBe(200);
      const otp = await s.t.app.inject({ method: 'POST', url: '/api/v1/me/otp', headers: citizen.headers, payload: { purpose: 'delete_account' } });
      expect(otp.statusCode, otp.body).toBe(200);
      const del = await s.t.app.inject({ method: 'POST', url: '/api/v1/me/delete', headers: citizen.headers, payload: { challenge_id: otp.json().challenge_id, otp: await latestOtp(s.t.deps, citizen.mobile) } });
      expect(del.statusCode, del.body).toBe(200);
      expect((await user(s.base, tokens.access_token)).status).toBe(401);
      const db = s.t.sql.db;
      expect(await db.selectFrom('consents').selectAll().where('account_id', '=', citizen.accountId).execute()).toEqual([]);
      expect(await db.selectFrom('partner_notices').selectAll().where('account_id', '=', citizen.accountId).execute()).toEqual([]);
      expect(await db.selectFrom('activity_events').selectAll().where('account_id', '=', citizen.accountId).execute()).toEqual([]);
      expect(await db.selectFrom('oauth_store').selectAll().where('account_id', '=', citizen.accountId).execute()).toEqual([]);
    } finally {
      await s.t.close();
    }
  });
});
