/**
 * Partner registration on both stacks: the admin API (create → secret once, list without
 * secrets, approve an application, rotate: the old secret stops at once, suspend/revoke
 * transitions), the public application endpoint, bad input answered with stable codes, and
 * the meta APIs' clientid/ts/hmac authentication with DigiLocker's error codes.
 */
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { signUpCitizen } from '../support/citizen.ts';
import { ADMIN, connect, createPartner, describeEachOAuthStack } from '../support/partners.ts';

const hmac = (secret: string, id: string, ts: string) => crypto.createHash('sha256').update(secret + id + ts).digest('hex');

describeEachOAuthStack('partners', (get) => {
  it('an admin creates a partner; the secret is shown once and never listed', async () => {
    const s = get();
    const p = await createPartner(s.t.app);
    expect(p.clientId).toMatch(/^OL[A-Z2-9]{10}$/);
    expect(p.clientSecret.length).toBeGreaterThanOrEqual(43);
    const one = await s.t.app.inject({ url: `/api/v1/admin/partners/${p.clientId}`, headers: ADMIN });
    expect(one.json()).toMatchObject({ client_id: p.clientId, status: 'approved', secret_set: true, secret_hint: `…${p.clientSecret.slice(-4)}` });
    const list = await s.t.app.inject({ url: '/api/v1/admin/partners', headers: ADMIN });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(p.clientSecret);
    expect((await s.t.app.inject({ url: '/api/v1/admin/partners', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
    const rows = await s.t.sql.db.selectFrom('partners').selectAll().where('id', '=', p.clientId).execute();
    expect(JSON.stringify(rows)).not.toContain(p.clientSecret);
  });

  it('rejects bad registrations with a field and a stable code', async () => {
    const s = get();
    const base = { name: 'Bank', type: 'bank', redirect_uris: ['https://bank.example/cb'], scopes: ['userdetails'], purpose: 'Account opening KYC' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ type: 'casino' }, 'type'],
      [{ redirect_uris: ['http://bank.example/cb'] }, 'redirect_uris'],
      [{ redirect_uris: ['https://bank.example/cb#frag'] }, 'redirect_uris'],
      [{ redirect_uris: ['javascript:alert(1)'] }, 'redirect_uris'],
      [{ redirect_uris: [] }, 'redirect_uris'],
      [{ scopes: ['everything'] }, 'scopes'],
      [{ doctypes: ['pan'] }, 'doctypes'],
      [{ purpose: 'x' }, 'purpose'],
      [{ name: '' }, 'name'],
    ];
    for (const [patch, field] of cases) {
      const r = await s.t.app.inject({ method: 'POST', url: '/api/v1/admin/partners', headers: ADMIN, payload: { ...base, ...patch } });
      expect(r.statusCode, JSON.stringify(patch)).toBe(400);
      expect(r.json(), JSON.stringify(patch)).toMatchObject({ error: 'invalid_parameter', field });
    }
    expect((await s.t.app.inject({ method: 'POST', url: '/api/v1/admin/partners', headers: ADMIN, payload: { ...base, extra: 1 } })).statusCode).toBe(400);
  });

  it('an organisation applies; pending until approved (secret once); rejected ones cannot be approved', async () => {
    const s = get();
    const app = await s.t.app.inject({
      method: 'POST',
      url: '/api/v1/partners/applications',
      payload: { name: 'Example University', type: 'university', redirect_uris: ['https://uni.example/cb'], scopes: ['userdetails', 'files.issueddocs'], doctypes: ['HSCER'], purpose: 'Admissions: verify class XII marks', contact_name: 'Registrar', contact_email: 'registrar@uni.example' },
    });
    expect(app.statusCode).toBe(201);
    const id = app.json().application_id as string;
    expect(app.json().status).toBe('pending');
    expect((await s.t.app.inject({ url: `/public/oauth2/1/authorize?client_id=${id}`, headers: { accept: 'text/html' } })).statusCode).toBe(400);
    const approved = await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${id}/approve`, headers: ADMIN });
    expect(approved.json()).toMatchObject({ client_id: id, partner: { status: 'approved' } });
    expect(approved.json().client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${id}/approve`, headers: ADMIN });
    expect(again.statusCode).toBe(409);
    const other = await s.t.app.inject({ method: 'POST', url: '/api/v1/partners/applications', payload: { name: 'Shady Co', type: 'other', redirect_uris: ['https://shady.example/cb'], scopes: ['userdetails'], purpose: 'We want everything we can get', contact_name: 'Mr X', contact_email: 'x@shady.example' } });
    const oid = other.json().application_id as string;
    const rej = await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${oid}/reject`, headers: ADMIN });
    expect(rej.json().status, rej.body + other.body).toBe('rejected');
    expect((await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${oid}/approve`, headers: ADMIN })).statusCode).toBe(409);
    const noContact = await s.t.app.inject({ method: 'POST', url: '/api/v1/partners/applications', payload: { name: 'Bank', type: 'bank', redirect_uris: ['https://b.example/cb'], scopes: ['userdetails'], purpose: 'Account opening KYC' } });
    expect(noContact.statusCode).toBe(400);
    expect((await s.t.app.inject({ method: 'POST', url: '/api/v1/admin/partners/OLNOSUCH/approve', headers: ADMIN })).statusCode).toBe(404);
  });

  it('rotating the secret stops the old one at once; revoking a partner revokes its consents', async () => {
    const s = get();
    const p = await createPartner(s.t.app);
    const citizen = await signUpCitizen(s.t.app, s.t.deps);
    const tokens = await connect(s, p, citizen);
    const rot = await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${p.clientId}/rotate-secret`, headers: ADMIN });
    const fresh = rot.json().client_secret as string;
    expect(fresh).not.toBe(p.clientSecret);
    const refresh = (secret: string, token: string) => fetch(`${s.issuer}/1/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: p.clientId, client_secret: secret }) });
    expect((await refresh(p.clientSecret, tokens.refresh_token!)).status).toBe(401);
    const ok = await refresh(fresh, tokens.refresh_token!);
    expect(ok.status).toBe(200);
    const at = ((await ok.json()) as { access_token: string }).access_token;
    const revoked = await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${p.clientId}/revoke`, headers: ADMIN, payload: { reason: 'contract ended' } });
    expect(revoked.json()).toMatchObject({ status: 'revoked', status_reason: 'contract ended' });
    expect((await fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${at}` } })).status).toBe(401);
    const consents = (await s.t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<Record<string, unknown>> };
    expect(consents.items[0]).toMatchObject({ state: 'revoked', revoked_by: 'admin' });
    expect((await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${p.clientId}/approve`, headers: ADMIN })).statusCode).toBe(409);
    expect((await s.t.app.inject({ method: 'POST', url: `/api/v1/admin/partners/${p.clientId}/rotate-secret`, headers: ADMIN })).statusCode).toBe(409);
  });

  it('meta APIs: clientid + ts + hmac, with DigiLocker’s codes for every failure', async () => {
    const s = get();
    const p = await createPartner(s.t.app);
    const call = (path: string, f: Record<string, string>) => s.t.app.inject({ method: 'POST', url: `/public/oauth2/1/pull/${path}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(f).toString() });
    const ts = String(Math.floor(Date.now() / 1000));
    const good = { clientid: p.clientId, ts, hmac: hmac(p.clientSecret, p.clientId, ts) };
    const issuers = await call('issuers', good);
    expect(issuers.statusCode).toBe(200);
    expect(Array.isArray(issuers.json().issuers)).toBe(true);
    expect((await call('issuers', { ...good, hmac: hmac('wrong', p.clientId, ts) })).json().error).toBe('hmac_mismatch');
    const old = String(Number(ts) - 31 * 60);
    expect((await call('issuers', { clientid: p.clientId, ts: old, hmac: hmac(p.clientSecret, p.clientId, old) })).json().error).toBe('invalid_parameter');
    const ist = String(Number(ts) + 19800);
    expect((await call('issuers', { clientid: p.clientId, ts: ist, hmac: hmac(p.clientSecret, p.clientId, ist) })).statusCode).toBe(200);
    expect((await call('issuers', { clientid: 'OLNOSUCH', ts, hmac: good.hmac })).json().error).toBe('invalid_client_id');
    expect((await call('issuers', { clientid: p.clientId, ts })).json().error).toBe('invalid_parameter');
    expect((await call('doctype', { ...good, orgid: 'no.such.issuer' })).json().error).toBe('invalid_parameter');
    expect((await call('parameters', { ...good })).json().error).toBe('invalid_parameter');
  });

  it('1/user: missing, malformed and unknown tokens are invalid_token with WWW-Authenticate', async () => {
    const s = get();
    for (const h of [{}, { authorization: 'Bearer' }, { authorization: 'Basic abc' }, { authorization: `Bearer ${'a'.repeat(43)}` }, { authorization: `Bearer ${'é'.repeat(300)}` }]) {
      const r = await s.t.app.inject({ url: '/public/oauth2/1/user', headers: h });
      expect(r.statusCode).toBe(401);
      expect(r.json().error).toBe('invalid_token');
      expect(r.headers['www-authenticate']).toContain('invalid_token');
    }
  });
});
