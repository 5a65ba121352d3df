/**
 * The partner APIs over the real issued-documents and uploads modules, on both stacks: the
 * citizen pulls two marksheets from the sandbox CBSE over real HTTP and uploads a file into
 * a folder (blob store: filesystem / S3); the partner (openid-client, authorization code +
 * PKCE) gets consent for one marksheet, the folder and `partners.HPCER`; it lists and fetches
 * exactly those (files live from the sandbox issuer), checks claims against the live XML,
 * and pulls the passing certificate into the citizen's locker with 1/pull/pulldocument.
 */
import * as oc from 'openid-client';
import { beforeAll, expect, it } from 'vitest';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { useSandbox } from '../support/issued.ts';
import { authorizeInBrowser, authorizeUrl, connect, createPartner, describeEachOAuthStack, oidcClient } from '../support/partners.ts';
import { samplePdf, upload } from '../support/uploads.ts';
import { WebClient } from '../support/web-client.ts';

describeEachOAuthStack('partner APIs over the real issued and uploads modules', (get) => {
  const sandbox = useSandbox(() => get().t, { slowMs: 3000 });
  let asha: TestCitizen;
  /** Rahul links Aadhaar through the sandbox UIDAI in the 2/xml/eaadhaar test. */
  let rahul: TestCitizen | undefined;
  let rahulWeb: WebClient | undefined;
  let token = '';
  let pdfBytes: Buffer;
  const ids = {} as Record<'hsc' | 'ssc' | 'folder' | 'upload', string>;
  const call = (path: string, t = token, init: RequestInit = {}) => fetch(`${get().issuer}/${path}`, { ...init, headers: { authorization: `Bearer ${t}`, ...(init.headers ?? {}) } });
  const form = (body: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body).toString() });

  beforeAll(async () => {
    const { t } = get();
    asha = await signUpCitizen(t.app, t.deps, { name: 'Asha Verma', dob: '2006-03-14', gender: 'F' });
    for (const [key, doctype, rollno, year] of [['hsc', 'HSCER', '2410001', '2024'], ['ssc', 'SSCER', '2210001', '2022']] as const) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/issued/pull', headers: asha.headers, payload: { issuer_id: 'in.gov.cbse', doctype, params: { rollno, year } } });
      expect(r.statusCode, r.body).toBe(200);
      ids[key] = r.json().uri;
    }
    ids.folder = (await t.app.inject({ method: 'POST', url: '/api/v1/folders', headers: asha.headers, payload: { name: 'Bank papers' } })).json().id;
    pdfBytes = await samplePdf('salary slip');
    const up = await upload(t.app, asha.headers, pdfBytes, 'salary-slip.pdf', { folder: ids.folder });
    expect(up.statusCode, up.body).toBe(201);
    ids.upload = up.json().id;
    const partner = await createPartner(t.app, { scopes: ['openid', 'files.issueddocs', 'files.uploadeddocs'], doctypes: ['HSCER', 'SSCER', 'HPCER'] });
    const config = await oidcClient(get().issuer, partner);
    const a = await authorizeUrl(config, partner, { scope: 'openid files.issueddocs files.uploadeddocs partners.HPCER', purpose: 'Education loan' });
    const { location, consentPage } = await authorizeInBrowser(t.app, t.deps, a.url, asha, { docs: [`issued:${ids.hsc}`, `folder:${ids.folder}`, 'doctype:HPCER'] });
    for (const v of [ids.hsc, ids.ssc, ids.folder, ids.upload]) expect(consentPage).toContain(v);
    // partners.HPCER is asked for by the name the issuer gives it, not only its code.
    expect(consentPage).toContain('Fetch your “Class XII Passing Certificate” (HPCER) from its issuer and read it');
    token = (await oc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: a.verifier, expectedState: a.state })).access_token;
  });

  it('lists and fetches exactly what was ticked; the file comes live from the issuer', async () => {
    const list = (await (await call('2/files/issued')).json()) as { items: Array<Record<string, unknown>> };
    expect(list.items).toEqual([expect.objectContaining({ uri: ids.hsc, doctype: 'HSCER', issuerid: 'in.gov.cbse', issuer: 'Central Board of Secondary Education', mime: ['application/pdf', 'application/xml'], type: 'file' })]);
    const pdf = await call(`1/file/${ids.hsc}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const xml = await call(`1/xml/${ids.hsc}`);
    expect(xml.status).toBe(200);
    expect(await xml.text()).toContain('Asha Verma');
    const outside = await call(`1/file/${ids.ssc}`);
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual({ error: 'invalid_uri', error_description: 'No file found for given URI.' });
  });

  it('walks the ticked folder and streams the upload from the blob store', async () => {
    const root = (await (await call('1/files/')).json()) as { items: Array<{ id: string; type: string }> };
    expect(root.items).toEqual([expect.objectContaining({ id: ids.folder, type: 'dir', name: 'Bank papers' })]);
    const inside = (await (await call(`1/files/${ids.folder}`)).json()) as { items: Array<{ uri: string; name: string; mime: string }> };
    expect(inside.items).toEqual([expect.objectContaining({ uri: ids.upload, name: 'salary-slip.pdf', mime: 'application/pdf' })]);
    const file = await call(`1/file/${ids.upload}`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(pdfBytes)).toBe(true);
  });

  it('verify checks claims against the issuer’s live XML', async () => {
    const r = await fetch(`${get().base}/api/v1/partner/verify`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ uri: ids.hsc, fields: { name: 'ASHA  verma', dob: '14/03/2006', gender: 'F', nonsense_field: 'x' } }) });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { fields: unknown }).fields).toEqual({ name: 'match', dob: 'match', gender: 'match', nonsense_field: 'not_available' });
    const no = await fetch(`${get().base}/api/v1/partner/verify`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ uri: ids.hsc, fields: { dob: '15-03-2006' } }) });
    expect(((await no.json()) as { fields: unknown }).fields).toEqual({ dob: 'no_match' });
  });

  it('1/pull/pulldocument pulls the granted doc type into the citizen’s Issued documents; the partner can then fetch it', async () => {
    const bad = await call('1/pull/pulldocument', token, form({ orgid: 'in.gov.cbse', doctype: 'HPCER', rollno: '2410001', year: '2024' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_parameter');
    const r = await call('1/pull/pulldocument', token, form({ orgid: 'in.gov.cbse', doctype: 'HPCER', consent: 'Y', rollno: '2410001', year: '2024' }));
    expect(r.status).toBe(200);
    const { uri } = (await r.json()) as { uri: string };
    expect(uri).toMatch(/^in\.gov\.cbse-HPCER-/);
    const mine = (await get().t.app.inject({ url: '/api/v1/issued', headers: asha.headers })).json() as { items: Array<{ uri: string }> };
    expect(mine.items.map((i) => i.uri)).toContain(uri);
    const listed = (await (await call('2/files/issued')).json()) as { items: Array<{ uri: string }> };
    expect(listed.items.map((i) => i.uri).sort()).toEqual([ids.hsc, uri].sort());
    expect((await call(`1/file/${uri}`)).status).toBe(200);
    // Pulling it again: DigiLocker's uri_exists, and still one copy in the locker.
    const again = await call('1/pull/pulldocument', token, form({ orgid: 'in.gov.cbse', doctype: 'HPCER', consent: 'Y', rollno: '2410001', year: '2024' }));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'uri_exists', error_description: 'This document already exists in your Issued Documents.' });
    const after = (await get().t.app.inject({ url: '/api/v1/issued', headers: asha.headers })).json() as { items: Array<{ uri: string }> };
    expect(after.items.filter((i) => i.uri === uri)).toHaveLength(1);
    const unknown = await call('1/pull/pulldocument', token, form({ orgid: 'in.gov.nowhere', doctype: 'HPCER', consent: 'Y', rollno: '2410001', year: '2024' }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toBe('invalid_orgid');
  });

  it('pulldocument: another citizen’s record answers record_not_found without the name on it; no scope is insufficient_scope', async () => {
    const { t } = get();
    const other = await signUpCitizen(t.app, t.deps, { name: 'Someone Else', dob: '1990-01-01', gender: 'M' });
    const p = await createPartner(t.app, { scopes: ['openid', 'userdetails'], doctypes: ['HPCER'] });
    const tk = await connect(get(), p, other, { scope: 'openid partners.HPCER' });
    const r = await call('1/pull/pulldocument', tk.access_token, form({ orgid: 'in.gov.cbse', doctype: 'HPCER', consent: 'Y', rollno: '2410001', year: '2024' }));
    const body = await r.text();
    expect(r.status, body).toBe(404);
    expect(JSON.parse(body).error).toBe('record_not_found');
    expect(body).not.toContain('Asha');
    const p2 = await createPartner(t.app, { scopes: ['openid', 'userdetails'] });
    const tk2 = await connect(get(), p2, other);
    const refused = await call('1/pull/pulldocument', tk2.access_token, form({ orgid: 'in.gov.cbse', doctype: 'HPCER', consent: 'Y', rollno: '2410001', year: '2024' }));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe('insufficient_scope');
    const list = (await t.app.inject({ url: '/api/v1/consents', headers: other.headers })).json() as { items: Array<{ accesses: Array<{ action: string }> }> };
    expect(list.items.flatMap((c) => c.accesses.map((a) => a.action))).not.toContain('pull');
  });

  it('2/xml/eaadhaar: aadhaar_not_linked, then the linked Aadhaar’s XML from the sandbox UIDAI when it is in the consent', async () => {
    const { t } = get();
    // Asha's consent covers issued documents, but she has not linked Aadhaar.
    const notLinked = await call('2/xml/eaadhaar');
    expect(notLinked.status).toBe(404);
    expect(await notLinked.json()).toEqual({ error: 'aadhaar_not_linked', error_description: 'Aadhaar is not linked to the account' });
    rahul = await signUpCitizen(t.app, t.deps, { name: 'Rahul Sharma', dob: '1990-07-22', gender: 'M', mobile: '+919000000002' });
    const otp = await t.app.inject({ method: 'POST', url: '/api/v1/aadhaar/otp', headers: rahul.headers, payload: { aadhaar: '999900000028' } });
    expect(otp.statusCode, otp.body).toBe(200);
    const link = await t.app.inject({ method: 'POST', url: '/api/v1/aadhaar/link', headers: rahul.headers, payload: { txn: otp.json().txn, otp: sandbox().lastOtp('+919000000002')! } });
    expect(link.statusCode, link.body).toBe(200);
    const p = await createPartner(t.app, { scopes: ['openid', 'files.issueddocs'], doctypes: ['ADHAR'] });
    const config = await oidcClient(get().issuer, p);
    const a = await authorizeUrl(config, p, { scope: 'openid files.issueddocs', req_doctype: 'ADHAR' });
    // A fresh browser: the same sandbox mobile signs up on each stack.
    const { location, web } = await authorizeInBrowser(t.app, t.deps, a.url, rahul, { web: new WebClient(t.app) });
    rahulWeb = web;
    const tk = await oc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: a.verifier, expectedState: a.state });
    const xml = await call('2/xml/eaadhaar', tk.access_token);
    expect(xml.status).toBe(200);
    expect(xml.headers.get('content-type')).toContain('application/xml');
    const text = await xml.text();
    expect(text).toContain('Rahul Sharma');
    expect(text).toContain('type="ADHAR"');
    expect(text).toContain('XXXXXXXX0028');
  });
  it('the address and picture scopes give the Aadhaar eKYC address and photo in the id_token, to an approved partner only', async () => {
    const { t } = get();
    expect(rahul, 'Rahul linked Aadhaar in the test before').toBeDefined();
    const p = await createPartner(t.app, { scopes: ['openid', 'address', 'picture'] });
    const config = await oidcClient(get().issuer, p);
    const a = await authorizeUrl(config, p, { scope: 'openid address picture' });
    const { location, consentPage } = await authorizeInBrowser(t.app, t.deps, a.url, rahul!, { web: rahulWeb! });
    expect(consentPage).toContain('Your address, as on your Aadhaar');
    expect(consentPage).toContain('Your photograph, as on your Aadhaar');
    const tk = await oc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: a.verifier, expectedState: a.state });
    expect(tk.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'address', 'picture']));
    const claims = tk.claims()! as Record<string, unknown>;
    const stored = (await t.sql.db.selectFrom('aadhaar_links').select(['address', 'photo']).where('account_id', '=', rahul!.accountId).executeTakeFirstOrThrow()) as { address: string; photo: string };
    const eKyc = JSON.parse(stored.address) as { careOf: string | null; line: string; district: string; state: string; pin: string };
    expect(eKyc.pin).toMatch(/^\d{6}$/);
    expect(claims.address).toEqual({
      formatted: expect.stringContaining(eKyc.district),
      street_address: [eKyc.careOf, eKyc.line].filter(Boolean).join(', '),
      locality: eKyc.district,
      region: eKyc.state,
      postal_code: eKyc.pin,
      country: 'IN',
    });
    expect(claims.picture).toBe(`data:image/jpeg;base64,${stored.photo}`);
    expect(Buffer.from(String(claims.picture).split(',')[1]!, 'base64').subarray(0, 3).toString('hex')).toBe('ffd8ff');

    // Asha has not linked Aadhaar: the same scopes give no address and no picture (nothing invented).
    const forAsha = await connect(get(), p, asha, { scope: 'openid address picture' });
    expect(forAsha.claims()).not.toHaveProperty('address');
    expect(forAsha.claims()).not.toHaveProperty('picture');

    // A partner not approved for them cannot ask.
    const other = await createPartner(t.app, { scopes: ['openid', 'userdetails'] });
    const oc2 = await oidcClient(get().issuer, other);
    const b = await authorizeUrl(oc2, other, { scope: 'openid address' });
    const refused = await t.app.inject({ url: new URL(b.url).pathname + new URL(b.url).search });
    expect(refused.statusCode).toBe(303);
    expect(new URL(String(refused.headers.location)).searchParams.get('error')).toBe('invalid_scope');
  });
});
