/**
 * POST /api/v1/partner/verify on both stacks: a partner with consent checks claimed values
 * against the issuer's live certificate XML and gets match / no_match / not_available per
 * field, never the document or the true values; a document outside the consent is
 * invalid_uri like one that does not exist; guesses are bounded per consent and document;
 * each check is an access the citizen sees.
 */
import { beforeAll, expect, it } from 'vitest';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { testIssuedSource, testUploadedSource, useTestSources, type TestIssuedSource } from '../support/document-sources.ts';
import { connect, createPartner, describeEachOAuthStack } from '../support/partners.ts';

describeEachOAuthStack('partner verify', (get) => {
  let issued: TestIssuedSource;
  let citizen: TestCitizen;
  let token: string;
  const d = {} as Record<'marks' | 'licence' | 'noXml' | 'others' | 'upload', string>;
  const verify = (body: unknown, t = token) => fetch(`${get().base}/api/v1/partner/verify`, { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    const { t } = get();
    issued = testIssuedSource(t.deps);
    const uploaded = testUploadedSource(t.deps);
    useTestSources(t.deps, issued, uploaded);
    citizen = await signUpCitizen(t.app, t.deps);
    const other = await signUpCitizen(t.app, t.deps);
    d.marks = issued.add(citizen.accountId, { doctype: 'HSCER', holderName: 'Asha Verma', dob: '1990-08-15', fields: [{ key: 'result', label: 'Result', value: 'PASS' }, { key: 'rollNo', label: 'Roll number', value: '2024-88123' }] });
    d.licence = issued.add(citizen.accountId, { doctype: 'DRVLC', holderName: 'Asha Verma', dob: '1990-08-15' });
    d.noXml = issued.add(citizen.accountId, { doctype: 'PANCR', holderName: 'Asha Verma' }, { xml: false });
    d.others = issued.add(other.accountId, { doctype: 'HSCER', holderName: 'Ravi Kumar', dob: '1991-01-01' });
    d.upload = await uploaded.file(citizen.accountId, 'x.pdf', Buffer.from('%PDF x'));
    const partner = await createPartner(t.app, { scopes: ['openid', 'files.issueddocs', 'files.uploadeddocs'], doctypes: ['HSCER', 'DRVLC', 'PANCR'] });
    // The citizen shares the marksheet, the PAN card and the upload, not the licence.
    const { authorizeInBrowser, authorizeUrl, oidcClient } = await import('../support/partners.ts');
    const oc = await import('openid-client');
    const config = await oidcClient(get().issuer, partner);
    const a = await authorizeUrl(config, partner, { scope: 'openid files.issueddocs files.uploadeddocs' });
    const { location } = await authorizeInBrowser(t.app, t.deps, a.url, citizen, { docs: [`issued:${d.marks}`, `issued:${d.noXml}`, `upload:${d.upload}`] });
    token = (await oc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: a.verifier, expectedState: a.state })).access_token;
  });

  it('answers match / no_match / not_available per field, normalising case, spaces and date formats', async () => {
    const opens = issued.opens;
    const r = await verify({ uri: d.marks, fields: { name: '  asha VERMA', dob: '15/08/1990', result: 'pass', roll_no: '2024-88123', gender: 'female', father_name: 'Someone' } });
    expect(r.status).toBe(200);
    const j = (await r.json()) as { uri: string; checked_at: string; fields: Record<string, string> };
    expect(j.uri).toBe(d.marks);
    expect(Number.isNaN(Date.parse(j.checked_at))).toBe(false);
    expect(j.fields).toEqual({ name: 'match', dob: 'match', result: 'match', roll_no: 'match', gender: 'match', father_name: 'not_available' });
    // Live: each check fetches the document from the issuer.
    expect(issued.opens).toBe(opens + 1);
    const no = await verify({ uri: d.marks, fields: { name: 'Asha Sharma', dob: '16-08-1990', result: 'FAIL' } });
    const body = await no.text();
    expect(JSON.parse(body).fields).toEqual({ name: 'no_match', dob: 'no_match', result: 'no_match' });
    // The answer never carries the document's values.
    for (const secret of ['Asha Verma', '1990', 'PASS', '88123']) expect(body).not.toContain(secret);
  });

  it('a document without certificate XML: every field not_available', async () => {
    const r = await verify({ uri: d.noXml, fields: { name: 'Asha Verma' } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { fields: unknown }).fields).toEqual({ name: 'not_available' });
  });

  it('outside the consent, another citizen’s, made up, or an upload: the same invalid_uri', async () => {
    const answers = new Set<string>();
    for (const uri of [d.licence, d.others, 'in.gov.sandbox.cbse-HSCER-NOPE', d.upload]) {
      const r = await verify({ uri, fields: { name: 'Asha Verma' } });
      expect(r.status, uri).toBe(404);
      answers.add(await r.text());
    }
    expect([...answers]).toEqual([JSON.stringify({ error: 'invalid_uri', error_description: 'No file found for given URI.' })]);
  });

  it('bad input is a 400 with a stable code; no token is invalid_token', async () => {
    for (const [body, code] of [
      [{ fields: { name: 'x' } }, 'invalid_request'],
      [{ uri: d.marks }, 'invalid_request'],
      [{ uri: d.marks, fields: {} }, 'invalid_parameter'],
      [{ uri: d.marks, fields: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, 'x'])) }, 'invalid_parameter'],
    ] as const) {
      const r = await verify(body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(((await r.json()) as { error: string }).error).toBe(code);
    }
    const r = await verify({ uri: d.marks, fields: { name: 'x' } }, 'not-a-token');
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: string }).error).toBe('invalid_token');
  });

  it('each check is recorded; guessing is bounded per consent and document (429 with retry_after)', async () => {
    const list = (await get().t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<{ accesses: Array<{ action: string; subject: string | null }> }> };
    expect(list.items[0]!.accesses.filter((a) => a.action === 'verify' && a.subject === d.marks).length).toBe(2);
    let last: Response | undefined;
    for (let i = 0; i < 25; i++) {
      last = await verify({ uri: d.marks, fields: { dob: `${String(i + 1).padStart(2, '0')}-01-1990` } });
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    const j = (await last!.json()) as { error: string; retry_after: number };
    expect(j.error).toBe('rate_limited');
    expect(j.retry_after).toBeGreaterThan(0);
    // Other documents of the same consent are not blocked by it.
    expect((await verify({ uri: d.noXml, fields: { name: 'x' } })).status).toBe(200);
  });

  it('a partner without issued-document scope gets insufficient_scope', async () => {
    const { t } = get();
    const p = await createPartner(t.app, { scopes: ['openid', 'userdetails'] });
    const tk = await connect(get(), p, citizen);
    const r = await verify({ uri: d.marks, fields: { name: 'Asha Verma' } }, tk.access_token);
    expect(r.status).toBe(403);
    expect(((await r.json()) as { error: string }).error).toBe('insufficient_scope');
  });
});
