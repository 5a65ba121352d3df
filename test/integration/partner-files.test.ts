/**
 * The partner file APIs on both stacks, driven as a partner would: openid-client runs the
 * authorization-code flow (PKCE) against the listening server, the citizen unticks some
 * documents on the consent screen, then the partner calls 2/files/issued, 1/files/issued,
 * 1/files/, 1/files/{id}, 1/file/{uri}, 1/xml/{uri}, 2/xml/eaadhaar. Documents outside the
 * consent (unticked, another citizen's, made up) all get the same answer; a revoked or
 * expired consent stops the next call; missing scopes give insufficient_scope.
 *
 * The issued and uploaded documents come from test sources (test/support/document-sources.ts):
 * issued documents are rendered and signed by the sandbox renderer, uploads live in the
 * app's real blob store (filesystem on SQLite, S3 on PostgreSQL).
 */
import crypto from 'node:crypto';
import * as oc from 'openid-client';
import { beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { consentServices } from '../../src/wiring/consent.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { testIssuedSource, testUploadedSource, useTestSources, type TestIssuedSource, type TestUploadedSource } from '../support/document-sources.ts';
import { authorizeInBrowser, authorizeUrl, connect, createPartner, describeEachOAuthStack, oidcClient, type TestPartner } from '../support/partners.ts';
import { WebClient } from '../support/web-client.ts';

const clock = new ManualClock(new Date());
const FILE_SCOPES = 'openid userdetails files.issueddocs files.uploadeddocs';

describeEachOAuthStack(
  'partner file APIs',
  (get) => {
    let issued: TestIssuedSource;
    let uploaded: TestUploadedSource;
    let partner: TestPartner;
    let citizen: TestCitizen;
    let other: TestCitizen;
    const d = {} as Record<'marks' | 'licence' | 'pan' | 'othersMarks' | 'folder' | 'sub' | 'lease' | 'receipt' | 'photo' | 'othersFile', string>;
    let tokens: Awaited<ReturnType<typeof connect>>;
    const call = (path: string, token = tokens.access_token) => fetch(`${get().issuer}/${path}`, { headers: { authorization: `Bearer ${token}` } });

    beforeAll(async () => {
      const { t } = get();
      issued = testIssuedSource(t.deps);
      uploaded = testUploadedSource(t.deps);
      useTestSources(t.deps, issued, uploaded);
      partner = await createPartner(t.app, { scopes: ['openid', 'userdetails', 'files.issueddocs', 'files.uploadeddocs'], doctypes: ['HSCER', 'DRVLC', 'PANCR'] });
      citizen = await signUpCitizen(t.app, t.deps);
      other = await signUpCitizen(t.app, t.deps);
      d.marks = issued.add(citizen.accountId, { doctype: 'HSCER', title: 'Class XII Marksheet', holderName: 'Asha Verma', dob: '1990-08-15' });
      d.licence = issued.add(citizen.accountId, { doctype: 'DRVLC', title: 'Driving Licence', holderName: 'Asha Verma' });
      d.pan = issued.add(citizen.accountId, { doctype: 'PANCR', title: 'PAN Card', holderName: 'Asha Verma' }, { xml: false });
      d.othersMarks = issued.add(other.accountId, { doctype: 'HSCER', title: 'Class XII Marksheet', holderName: 'Ravi Kumar' });
      d.folder = uploaded.folder(citizen.accountId, 'Rent papers');
      d.sub = uploaded.folder(citizen.accountId, 'Receipts 2025', d.folder);
      d.lease = await uploaded.file(citizen.accountId, 'lease.pdf', Buffer.from('%PDF-1.4 lease agreement'), { parent: d.folder });
      d.receipt = await uploaded.file(citizen.accountId, 'receipt.png', Buffer.from('\x89PNG receipt'), { parent: d.sub, mime: 'image/png' });
      d.photo = await uploaded.file(citizen.accountId, 'photo.jpg', Buffer.from('\xff\xd8\xff photo'), { mime: 'image/jpeg' });
      d.othersFile = await uploaded.file(other.accountId, 'secret.pdf', Buffer.from('%PDF other'));
      // The citizen unticks the driving licence and the photo.
      const config = await oidcClient(get().issuer, partner);
      const a = await authorizeUrl(config, partner, { scope: FILE_SCOPES, purpose: 'Home loan' });
      const { location, consentPage } = await authorizeInBrowser(t.app, t.deps, a.url, citizen, { docs: [`issued:${d.marks}`, `issued:${d.pan}`, `folder:${d.folder}`] });
      for (const ref of [d.marks, d.licence, d.pan, d.folder, d.sub, d.lease, d.photo]) expect(consentPage).toContain(ref);
      expect(consentPage).not.toContain(d.othersMarks);
      // English: names as the issuer gave them, nothing marked.
      expect(consentPage).toContain('Class XII Marksheet — Sandbox Board of Education</label>');
      expect(consentPage).not.toContain('<span lang="en">');
      tokens = await oc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: a.verifier, expectedState: a.state });
    });

    it('2/files/issued lists exactly the ticked issued documents in DigiLocker’s format (via openid-client)', async () => {
      const config = await oidcClient(get().issuer, partner);
      const res = await oc.fetchProtectedResource(config, tokens.access_token, new URL(`${get().issuer}/2/files/issued`), 'GET');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: Array<Record<string, unknown>>; resource: string };
      expect(body.resource).toBe('issued');
      expect(body.items.map((i) => i.uri).sort()).toEqual([d.marks, d.pan].sort());
      expect(body.items.find((i) => i.uri === d.marks)).toEqual({ name: 'Class XII Marksheet', type: 'file', size: '', date: '2024-05-13T10:00:00.000Z', parent: '', mime: ['application/pdf', 'application/xml'], uri: d.marks, doctype: 'HSCER', description: 'Class XII Marksheet', issuerid: 'in.gov.sandbox.cbse', issuer: 'Sandbox Board of Education' });
      const v1 = (await (await call('1/files/issued')).json()) as { items: Array<{ uri: string; mime: string }> };
      expect(v1.items.find((i) => i.uri === d.marks)!.mime).toBe('application/pdf,application/xml');
    });

    it('1/file/{uri} streams the issued document fetched live (signed PDF), 1/xml/{uri} its certificate XML', async () => {
      const before = issued.opens;
      const pdf = await call(`1/file/${encodeURIComponent(d.marks)}`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(pdf.headers.get('content-disposition')).toContain('attachment');
      const bytes = Buffer.from(await pdf.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      // DigiLocker's integrity header: base64(HMAC-SHA256(body, client_secret)), which partner clients check.
      const hmacOf = (body: Buffer | string) => crypto.createHmac('sha256', partner.clientSecret).update(body).digest('base64');
      expect(pdf.headers.get('hmac')).toBe(hmacOf(bytes));
      expect(pdf.headers.get('content-length')).toBe(String(bytes.length));
      expect(bytes.includes(Buffer.from('/ByteRange'))).toBe(true);
      expect(issued.opens).toBe(before + 1);
      const xml = await call(`1/xml/${d.marks}`);
      expect(xml.status).toBe(200);
      expect(xml.headers.get('content-type')).toContain('application/xml');
      const text = await xml.text();
      expect(xml.headers.get('hmac')).toBe(hmacOf(text));
      // fetch asks for br/gzip; the signed bytes still go as they are, with their length.
      expect(xml.headers.get('content-encoding')).toBeNull();
      expect(xml.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
      expect(text).toContain('<Certificate');
      expect(text).toContain('Asha Verma');
      // A ticked document without XML: DigiLocker's error, not a 5xx.
      const noXml = await call(`1/xml/${d.pan}`);
      expect(noXml.status).toBe(404);
      expect(((await noXml.json()) as { error: string }).error).toBe('invalid_uri');
    });

    it('a document outside the consent answers exactly like one that does not exist', async () => {
      const answers = [];
      for (const uri of [d.licence, d.othersMarks, 'in.gov.sandbox.cbse-HSCER-NOSUCHDOC', d.photo, d.othersFile, 'nothing-at-all']) {
        for (const api of ['1/file', '1/xml']) {
          if (api === '1/xml' && !uri.includes('-')) continue;
          const r = await call(`${api}/${encodeURIComponent(uri)}`);
          answers.push({ status: r.status, body: await r.json() });
        }
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(answers[0]).toEqual({ status: 404, body: { error: 'invalid_uri', error_description: 'No file found for given URI.' } });
    });

    it('1/files/ lists the ticked folder at the root, 1/files/{id} walks into it; the unticked photo is never listed', async () => {
      const root = await call('1/files/');
      expect(root.status).toBe(200);
      const r = (await root.json()) as { directory: string; items: Array<Record<string, string>> };
      expect(r.directory).toBe('/');
      expect(r.items).toEqual([{ id: d.folder, name: 'Rent papers', type: 'dir', size: '', date: '2025-01-02T03:04:05.000Z', parent: '', mime: '', uri: '', description: '', issuer: '' }]);
      const inFolder = (await (await call(`1/files/${d.folder}`)).json()) as { directory: string; items: Array<Record<string, string>> };
      expect(inFolder.directory).toBe('Rent papers');
      expect(inFolder.items.map((i) => [i.name, i.type, i.parent]).sort()).toEqual([
        ['Receipts 2025', 'dir', d.folder],
        ['lease.pdf', 'file', d.folder],
      ]);
      expect(inFolder.items.find((i) => i.name === 'lease.pdf')).toMatchObject({ uri: d.lease, mime: 'application/pdf', size: String('%PDF-1.4 lease agreement'.length) });
      const sub = (await (await call(`1/files/${d.sub}`)).json()) as { items: Array<{ uri: string }> };
      expect(sub.items.map((i) => i.uri)).toEqual([d.receipt]);
      // Files inside the ticked folder come from the real blob store.
      const lease = await call(`1/file/${d.lease}`);
      expect(lease.status).toBe(200);
      expect(lease.headers.get('content-type')).toBe('application/pdf');
      expect(await lease.text()).toBe('%PDF-1.4 lease agreement');
      const png = await call(`1/file/${d.receipt}`);
      expect(png.headers.get('content-type')).toBe('image/png');
      // Folders outside the consent, another citizen's, made up: one answer.
      const bodies = new Set<string>();
      for (const id of [d.photo, d.othersFile, 'fdoesnotexist']) {
        const x = await call(`1/files/${id}`);
        expect(x.status).toBe(404);
        bodies.add(await x.text());
      }
      expect([...bodies]).toEqual([JSON.stringify({ error: 'invalid_id', error_description: 'The folder does not exist.' })]);
    });

    it('every access is recorded on the consent and in the citizen’s activity', async () => {
      const list = (await get().t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<{ accesses: Array<{ action: string; subject: string | null }> }> };
      const actions = list.items[0]!.accesses.map((a) => `${a.action}:${a.subject ?? ''}`);
      expect(actions).toEqual(expect.arrayContaining(['issued_list:', `file:${d.marks}`, `xml:${d.marks}`, 'uploaded_list:', `uploaded_list:${d.folder}`, `file:${d.lease}`]));
      // Refused requests are not accesses.
      expect(actions.some((a) => a.includes(d.licence) || a.includes(d.photo))).toBe(false);
      const activity = (await get().t.app.inject({ url: '/api/v1/activity?limit=100', headers: citizen.headers })).json() as { items: Array<{ type: string }> };
      expect(activity.items.filter((e) => e.type === 'partner_accessed').length).toBeGreaterThanOrEqual(6);
      // The dashboard's Connected organisations card counts the partner; another citizen's shows none.
      const dash = await get().t.app.inject({ url: '/dashboard', headers: { cookie: citizen.cookie } });
      expect(dash.body).toContain('1 organisation(s) can access your locker');
      expect((await get().t.app.inject({ url: '/dashboard', headers: { cookie: other.cookie } })).body).toContain('No organisation can access your locker.');
      // Connected organisations: a record of what was granted (nothing to tick), documents by name.
      const connected = (await get().t.app.inject({ url: '/connected', headers: { cookie: citizen.cookie } })).body;
      expect(connected).toContain('The issued documents listed below');
      expect(connected).not.toContain('tick below');
      expect(connected).toContain('<li>Class XII Marksheet</li>');
    });

    it('2/xml/eaadhaar: aadhaar_not_linked, then the linked Aadhaar’s signed XML when it is in the consent', async () => {
      const { t } = get();
      const r = await call('2/xml/eaadhaar');
      expect(r.status).toBe(404);
      expect(await r.json()).toEqual({ error: 'aadhaar_not_linked', error_description: 'Aadhaar is not linked to the account' });
      await consentServices(t.deps).accounts.setAadhaarLinked(citizen.accountId, true, new Date());
      // Linked, but this consent does not cover the Aadhaar document: the same as none.
      const aadhaarUri = issued.add(citizen.accountId, { doctype: 'ADHAR', title: 'Aadhaar', holderName: 'Asha Verma' }, { issuerId: 'in.gov.uidai', raw: { xml: '<?xml version="1.0"?><KycRes ret="Y"><UidData uid="XXXXXXXX1234"/><Signature/></KycRes>' } });
      const n = await call('2/xml/eaadhaar');
      expect(n.status).toBe(404);
      expect(((await n.json()) as { error: string }).error).toBe('aadhaar_not_available');
      const p2 = await createPartner(t.app, { scopes: ['openid', 'files.issueddocs'], doctypes: ['ADHAR'] });
      const tk = await connect(get(), p2, citizen, { scope: 'openid files.issueddocs', req_doctype: 'ADHAR' });
      const ok = await call('2/xml/eaadhaar', tk.access_token);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toContain('application/xml');
      const kyc = await ok.text();
      expect(kyc).toContain('<KycRes');
      // Keyed on this partner's secret, not the first one's.
      expect(ok.headers.get('hmac')).toBe(crypto.createHmac('sha256', p2.clientSecret).update(kyc).digest('base64'));
      // Production DigiLocker's path for the same answer.
      const v3 = await call('3/xml/eaadhaar', tk.access_token);
      expect(v3.status).toBe(200);
      expect(await v3.text()).toContain('<KycRes');
      expect((await call('3/xml/eaadhaar')).status, 'the first consent still does not cover it').toBe(404);
      const listed = (await (await call('2/files/issued', tk.access_token)).json()) as { items: Array<{ uri: string }> };
      expect(listed.items.map((i) => i.uri)).toEqual([aadhaarUri]);
    });

    it('a consent without document scopes: insufficient_scope on every file API', async () => {
      const { t } = get();
      const p = await createPartner(t.app, { scopes: ['openid', 'userdetails'] });
      const tk = await connect(get(), p, citizen);
      for (const path of ['2/files/issued', '1/files/issued', '1/files/', `1/files/${d.folder}`, `1/file/${d.marks}`, `1/xml/${d.marks}`, '2/xml/eaadhaar', '3/xml/eaadhaar']) {
        const r = await call(path, tk.access_token);
        expect(r.status, path).toBe(403);
        expect(((await r.json()) as { error: string }).error, path).toBe('insufficient_scope');
      }
    });

    it('odd URIs and ids never cause a 5xx: traversal, NUL, very long, unicode, encoded slashes', async () => {
      const odd = ['..%2F..%2Fetc%2Fpasswd', '%00', 'a'.repeat(600), '%E0%A4%86%E0%A4%A7%E0%A4%BE%E0%A4%B0', `${encodeURIComponent(d.marks)}%2Fextra`, '%25', 'in.gov.sandbox.cbse-HSCER-', '-----', "x'or'1'='1", '%zz', '%'];
      for (const o of odd) {
        for (const api of ['1/file', '1/xml', '1/files']) {
          const r = await call(`${api}/${o}`);
          expect(r.status, `${api}/${o.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
          expect(r.status, `${api}/${o.slice(0, 40)}`).toBeLessThan(500);
          expect(((await r.json()) as { error: string }).error).toMatch(/^[a-z_]+$/);
        }
      }
      for (const api of ['1/file/', '1/xml/']) {
        const r = await call(api);
        expect([r.status, ((await r.json()) as { error: string }).error], api).toEqual([400, 'uri_missing']);
      }
      const spec = (await get().t.app.inject('/openapi.json')).json() as { paths: Record<string, unknown> };
      expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/public/oauth2/2/files/issued', '/public/oauth2/1/files/issued', '/public/oauth2/1/files/{id}', '/public/oauth2/1/file/{uri}', '/public/oauth2/1/xml/{uri}', '/public/oauth2/2/xml/eaadhaar', '/public/oauth2/3/xml/eaadhaar', '/api/v1/partner/verify']));
    });

    it('no token, a made-up token: invalid_token with WWW-Authenticate', async () => {
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer made-up-token-0123456789' }, { authorization: 'Basic abc' }]) {
        const r = await fetch(`${get().issuer}/1/file/${d.marks}`, { headers });
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toContain('invalid_token');
        expect(((await r.json()) as { error: string }).error).toBe('invalid_token');
      }
    });

    it('in Hindi, the consent screen and Connected organisations name documents and issuers in Hindi where known, else mark the English; values unchanged', async () => {
      const { t } = get();
      const asha = await signUpCitizen(t.app, t.deps);
      const marks = issued.add(asha.accountId, { doctype: 'HSCER', title: 'Class XII Marksheet', holderName: 'Asha Verma' }, { issuerId: 'in.gov.cbse', issuerName: 'Central Board of Secondary Education' });
      const ledger = issued.add(asha.accountId, { doctype: 'GTPAS', title: 'Gate Pass Ledger', holderName: 'Asha Verma' });
      const folder = uploaded.folder(asha.accountId, 'Rent papers');
      const web = new WebClient(t.app, { lang: 'hi', ip: '10.78.0.9' });
      const config = await oidcClient(get().issuer, partner);
      const a = await authorizeUrl(config, partner, { scope: FILE_SCOPES, purpose: 'Home loan' });
      const { consentPage } = await authorizeInBrowser(t.app, t.deps, a.url, asha, { web, docs: [`issued:${marks}`, `issued:${ledger}`, `folder:${folder}`] });
      expect(consentPage).toContain('<html lang="hi">');
      expect(consentPage).toMatch(new RegExp(`value="issued:${marks}" checked>\\s*<label for="doc-\\d+">कक्षा 12 की अंकतालिका — केंद्रीय माध्यमिक शिक्षा बोर्ड</label>`));
      expect(consentPage).toMatch(new RegExp(`value="issued:${ledger}" checked>\\s*<label for="doc-\\d+"><span lang="en">Gate Pass Ledger</span> — <span lang="en">Sandbox Board of Education</span></label>`));
      // The citizen's own names are theirs, in whatever language they wrote them.
      expect(consentPage).toMatch(new RegExp(`value="folder:${folder}" checked>\\s*<label for="doc-\\d+">Rent papers</label>`));
      expect(consentPage).not.toContain('Class XII Marksheet');

      const connected = await web.get('/connected');
      expect(connected.body).toContain('<li>कक्षा 12 की अंकतालिका</li>');
      expect(connected.body).toContain('<li><span lang="en">Gate Pass Ledger</span></li>');
      expect(connected.body).toContain('<li>Rent papers</li>');
      const en = new WebClient(t.app);
      en.cookies.set('ol_session', web.cookies.get('ol_session')!);
      const connectedEn = await en.get('/connected');
      expect(connectedEn.body).toContain('<li>Class XII Marksheet</li>');
      expect(connectedEn.body).toContain('<li>Gate Pass Ledger</li>');
      expect(connectedEn.body).not.toContain('<span lang="en">');
    });

    it('a revoked consent: the next call is refused at once', async () => {
      const { t } = get();
      const p = await createPartner(t.app, { scopes: ['openid', 'files.issueddocs'] });
      const tk = await connect(get(), p, citizen, { scope: 'openid files.issueddocs' });
      expect((await call(`1/file/${d.marks}`, tk.access_token)).status).toBe(200);
      const consents = (await t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<{ id: string; partner: { client_id: string } }> };
      const id = consents.items.find((c) => c.partner.client_id === p.clientId)!.id;
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/consents/${id}`, headers: citizen.headers })).statusCode).toBe(200);
      for (const path of [`1/file/${d.marks}`, '2/files/issued', `1/xml/${d.marks}`]) {
        const r = await call(path, tk.access_token);
        expect(r.status).toBe(401);
        expect(((await r.json()) as { error: string }).error).toBe('invalid_token');
      }
    });

    it('an expired consent: refused once its valid-till passes (last: it moves the clock)', async () => {
      const { t } = get();
      const p = await createPartner(t.app, { scopes: ['openid', 'files.issueddocs'] });
      const tk = await connect(get(), p, citizen, { scope: 'openid files.issueddocs', consent_valid_till: String(Math.floor(clock.now().getTime() / 1000) + 600) });
      expect((await call('2/files/issued', tk.access_token)).status).toBe(200);
      clock.advance(11 * 60_000);
      const r = await call('2/files/issued', tk.access_token);
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error_description: string }).error_description).toContain('expired');
    });
  },
  { clock },
);
