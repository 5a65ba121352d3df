/**
 * The sandbox issuers answering real HTTP calls from the locker's client, with endpoints
 * and keys taken from the registry (sealed in the database) on both stacks: every issuer
 * and document type, both HMAC encodings and a wrong key, pending then available, the
 * issuer-side checks (DOB, chassis, name on PAN), slow and failing issuers, retries and the
 * circuit breaker opening and closing.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import { issuerEndpoint } from '../../src/domain/issuers/issuer-endpoint.ts';
import { registerIssuer } from '../../src/domain/issuers/register-issuer.ts';
import { resolveDocumentUri } from '../../src/domain/issuers/resolve-document-uri.ts';
import { BreakerRegistry } from '../../src/integrations/issuer-api/breaker.ts';
import { createIssuerApiClient, type CitizenProfile } from '../../src/integrations/issuer-api/client.ts';
import { sandboxRegistrations } from '../../src/sandbox/app.ts';
import { issuerServices } from '../../src/wiring/issuers.ts';
import { describeEachStack } from '../support/app.ts';
import { registerSandboxIssuers, startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

const RAHUL: CitizenProfile = { uid: '999900000028', fullName: 'Rahul Sharma', dob: '1990-07-22', gender: 'M' };
const dl = () => crypto.randomUUID();

describeEachStack('sandbox issuers over HTTP', (get) => {
  let sandbox: TestSandbox;
  const clock = new ManualClock('2025-02-01T10:00:00Z');
  const services = () => issuerServices(get().deps);
  const client = (opts: { retries?: number; timeoutMs?: number; breakers?: BreakerRegistry } = {}) =>
    createIssuerApiClient({ clock, settings: { retries: opts.retries ?? 2, timeoutMs: opts.timeoutMs ?? 5000, backoffBaseMs: 5 }, ...(opts.breakers ? { breakers: opts.breakers } : {}) });
  const pull = async (issuerId: string, code: string, params: Record<string, string>, profile: CitizenProfile = {}, c = client()) => {
    const endpoint = await issuerEndpoint(services(), issuerId, code);
    const doctype = (await services().issuers.doctype(issuerId, code))!;
    return c.pullUri(endpoint, { doctype, digilockerId: dl(), params, profile });
  };
  const doc = async (uri: string, format: 'pdf' | 'xml' | 'both', c = client()) => {
    const r = await resolveDocumentUri(services(), uri);
    return c.pullDoc(await issuerEndpoint(services(), r.issuer.id, r.doctype.code), uri, format, { digilockerId: dl() });
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox({ slowMs: 1500 });
    await registerSandboxIssuers(get().deps, sandbox);
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  beforeEach(() => {
    sandbox.control.clear();
    sandbox.control.resetCounts();
    sandbox.store.resetPending();
  });

  it('registers the five issuers, connected, with keys sealed in the database', async () => {
    for (const id of ['in.gov.uidai', 'in.gov.cbse', 'in.gov.transport', 'in.gov.pan', 'in.gov.up.edistrict']) {
      expect(await services().issuers.get(id)).toMatchObject({ id, source: 'sandbox', connected: true, hmacKeySet: true });
    }
    const row = await get().sql.db.selectFrom('issuers').select('hmac_key_sealed').where('id', '=', 'in.gov.cbse').executeTakeFirstOrThrow();
    expect(row.hmac_key_sealed).not.toContain(sandbox.store.issuerKey('in.gov.cbse'));
  });

  it('CBSE: every class X and XII document by roll number and year, as PDF and certificate XML', async () => {
    for (const [code, roll, year] of [['SSCER', '2210001', '2022'], ['SPCER', '2210001', '2022'], ['SSMGR', '2210001', '2022'], ['HSCER', '2410001', '2024'], ['HPCER', '2410001', '2024'], ['HSMGR', '2410001', '2024']] as const) {
      const r = await pull('in.gov.cbse', code, { rollno: roll, year }, { fullName: 'Asha Verma' });
      expect(r.status, code).toBe('issued');
      if (r.status !== 'issued') continue;
      expect(r.uri).toBe(`in.gov.cbse-${code}-${year}${roll}`);
      expect(r.issuedTo).toEqual([{ name: 'Asha Verma', dob: '14-03-2006', gender: 'F' }]);
      expect(r.doc!.subarray(0, 5).toString()).toBe('%PDF-');
      expect(r.data!.toString()).toContain(`<Certificate language="99" name="`);
    }
    const both = await doc('in.gov.cbse-HSCER-20242410001', 'both');
    expect(both.doc!.subarray(0, 5).toString()).toBe('%PDF-');
    const xml = both.data!.toString();
    expect(xml).toContain('type="HSCER"');
    expect(xml).toMatch(/<Subject code="301" name="English Core" marksTheory="\d+" marksPractical="\d+" marksTotal="\d+" grade="[A-E][12]?"\/>/);
    expect(xml).toMatch(/<Certificate [^>]*sandbox="true"/);
    expect(xml).toMatch(/<CertificateData><School name="[^"]+"[^>]*\/><Examination [^>]*\/><Performance result="[^"]+"/);
    expect((await doc('in.gov.cbse-HSCER-20242410001', 'xml')).doc).toBeNull();
  });

  it('MoRTH: driving licence by number and the verified date of birth; RC by number and last 5 of the chassis', async () => {
    const ok = await pull('in.gov.transport', 'DRVLC', { dlno: 'up78 2010-9990001' }, RAHUL);
    expect(ok).toMatchObject({ status: 'issued', uri: 'in.gov.transport-DRVLC-UP7820109990001' });
    await expect(pull('in.gov.transport', 'DRVLC', { dlno: 'UP7820109990001' }, { ...RAHUL, dob: '1990-07-23' })).rejects.toMatchObject({ code: 'record_not_found' });
    const rc = await pull('in.gov.transport', 'RVCER', { reg_no: 'UP78ZZ9001', chasis_no: '12345' }, RAHUL);
    expect(rc).toMatchObject({ status: 'issued', uri: 'in.gov.transport-RVCER-UP78ZZ9001' });
    await expect(pull('in.gov.transport', 'RVCER', { reg_no: 'UP78ZZ9001', chasis_no: '54321' }, RAHUL)).rejects.toMatchObject({ code: 'record_not_found' });
    const xml = (await doc('in.gov.transport-DRVLC-UP7820109990001', 'xml')).data!.toString();
    expect(xml).toContain('<DrivingLicense number="UP7820109990001"');
    expect(xml).toContain('<Photo format="jpeg">');
  });

  it('Income Tax: PAN by number and the name on the card; e-District: certificates by application number and certificate id (PDF only)', async () => {
    expect(await pull('in.gov.pan', 'PANCR', { panno: 'tstps0001a', PANFullName: 'RAHUL SHARMA' }, RAHUL)).toMatchObject({ status: 'issued', uri: 'in.gov.pan-PANCR-TSTPS0001A' });
    await expect(pull('in.gov.pan', 'PANCR', { panno: 'TSTPS0001A', PANFullName: 'RAHUL VERMA' }, RAHUL)).rejects.toMatchObject({ code: 'record_not_found' });
    expect((await doc('in.gov.pan-PANCR-TSTPS0001A', 'xml')).data!.toString()).toContain('<PANVerificationRecord num="TSTPS0001A"');
    for (const [code, app, cert] of [['INCER', '2400000101', 'INC24SBX0101'], ['CTCER', '2400000102', 'CST24SBX0102'], ['DMCER', '2400000103', 'DOM24SBX0103']] as const) {
      const r = await pull('in.gov.up.edistrict', code, { ApplicationNo: app, CertificateID: cert });
      expect(r).toMatchObject({ status: 'issued', uri: `in.gov.up.edistrict-${code}-${cert}`, data: null });
    }
    const both = await doc('in.gov.up.edistrict-INCER-INC24SBX0101', 'both');
    expect(both.doc!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(both.data).toBeNull();
    await expect(pull('in.gov.up.edistrict', 'INCER', { ApplicationNo: '2400000101', CertificateID: 'CST24SBX0102' })).rejects.toMatchObject({ code: 'record_not_found' });
  });

  it('UIDAI: eAadhaar by the verified Aadhaar number', async () => {
    const r = await pull('in.gov.uidai', 'ADHAR', {}, RAHUL);
    expect(r.status).toBe('issued');
    if (r.status !== 'issued') return;
    expect(r.uri).toMatch(/^in\.gov\.uidai-ADHAR-[0-9a-f]{32}$/);
    expect(r.uri).not.toContain('999900000028');
    const eaadhaar = (await doc(r.uri, 'xml')).data!.toString();
    expect(eaadhaar).toContain('uid="XXXXXXXX0028"');
    expect(eaadhaar).toContain('<KycRes ret="Y"');
    await expect(pull('in.gov.uidai', 'ADHAR', {}, { ...RAHUL, uid: undefined })).rejects.toMatchObject({ code: 'record_not_found' });
  });

  it('a pending document answers Status 9 twice, then is issued', async () => {
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await pull('in.gov.cbse', 'HSCER', { rollno: '2499001', year: '2024' })).status);
    expect(results).toEqual(['pending', 'pending', 'issued']);
  });

  it('accepts both HMAC encodings, and a wrong key is a configuration error (no retries)', async () => {
    const reg = sandboxRegistrations(sandbox.store, sandbox.url).find((r) => r.id === 'in.gov.pan')!;
    await registerIssuer(services(), { ...reg, hmac_encoding: 'base64-raw' }, 'sandbox');
    expect((await issuerEndpoint(services(), 'in.gov.pan', 'PANCR')).hmacEncoding).toBe('base64-raw');
    expect((await pull('in.gov.pan', 'PANCR', { panno: 'TSTPS0002B', PANFullName: 'Priya Singh' })).status).toBe('issued');
    await registerIssuer(services(), { ...reg, hmac_key: 'a-wrong-key-for-the-sandbox-pan' }, 'sandbox');
    sandbox.control.resetCounts();
    await expect(pull('in.gov.pan', 'PANCR', { panno: 'TSTPS0002B', PANFullName: 'Priya Singh' })).rejects.toMatchObject({ code: 'repository_service_configerror' });
    expect(sandbox.control.calls('in.gov.pan')).toBe(1);
    await registerIssuer(services(), reg, 'sandbox');
    expect((await pull('in.gov.pan', 'PANCR', { panno: 'TSTPS0002B', PANFullName: 'Priya Singh' })).status).toBe('issued');
  });

  it('a record that fails with HTTP 500 is retried, then reported; a slow one times out', async () => {
    await expect(pull('in.gov.cbse', 'SSCER', { rollno: '2199003', year: '2021' })).rejects.toMatchObject({ code: 'repository_service_resperror', kind: 'upstream' });
    expect(sandbox.control.calls('in.gov.cbse')).toBe(3);
    sandbox.control.resetCounts();
    await expect(pull('in.gov.cbse', 'SSCER', { rollno: '2299002', year: '2022' }, {}, client({ timeoutMs: 200, retries: 1 }))).rejects.toMatchObject({ code: 'repository_service_unresponsive', kind: 'timeout' });
    expect(sandbox.control.calls('in.gov.cbse')).toBe(2);
  });

  it('an issuer failing twice then recovering is fetched thanks to the retries', async () => {
    sandbox.control.fault('in.gov.cbse', { mode: 'error', status: 503, remaining: 2 });
    expect((await pull('in.gov.cbse', 'HSCER', { rollno: '2410001', year: '2024' })).status).toBe('issued');
    expect(sandbox.control.calls('in.gov.cbse')).toBe(3);
    sandbox.control.fault('in.gov.cbse', { mode: 'reset', remaining: 1 });
    expect((await pull('in.gov.cbse', 'HSCER', { rollno: '2410001', year: '2024' })).status).toBe('issued');
  });

  it('circuit breaker: an issuer that is down stops being called; after the cooldown one probe closes the circuit', async () => {
    const breakers = new BreakerRegistry({ failureThreshold: 3, cooldownMs: 60_000 }, clock);
    const c = client({ breakers, retries: 2 });
    sandbox.control.fault('in.gov.transport', { mode: 'error' });
    await expect(pull('in.gov.transport', 'DRVLC', { dlno: 'UP7820109990001' }, RAHUL, c)).rejects.toMatchObject({ code: 'repository_service_resperror' });
    expect(breakers.states()['in.gov.transport']).toBe('open');
    expect(sandbox.control.calls('in.gov.transport')).toBe(3);
    await expect(pull('in.gov.transport', 'DRVLC', { dlno: 'UP7820109990001' }, RAHUL, c)).rejects.toMatchObject({ code: 'repository_service_unresponsive', details: { retry_after: 60 } });
    expect(sandbox.control.calls('in.gov.transport')).toBe(3);
    // Other issuers are not affected.
    expect((await pull('in.gov.pan', 'PANCR', { panno: 'TSTPS0001A', PANFullName: 'Rahul Sharma' }, RAHUL, c)).status).toBe('issued');
    sandbox.control.clear('in.gov.transport');
    clock.advance(60_000);
    expect((await pull('in.gov.transport', 'DRVLC', { dlno: 'UP7820109990001' }, RAHUL, c)).status).toBe('issued');
    expect(breakers.states()['in.gov.transport']).toBe('closed');
    expect(sandbox.control.calls('in.gov.transport')).toBe(4);
  });

  it('refuses to serve another issuer’s URI, and answers malformed or unsigned requests with 4xx', async () => {
    const ep = await issuerEndpoint(services(), 'in.gov.cbse', 'HSCER');
    await expect(client().pullDoc(ep, 'in.gov.pan-PANCR-TSTPS0001A', 'pdf')).rejects.toMatchObject({ code: 'repository_service_resperror' });
    const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${sandbox.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/xml', ...headers } });
    expect((await post('/issuers/in.gov.cbse/pulluri', '<PullURIRequest/>')).status).toBe(401);
    const { issuerHmac } = await import('../../src/crypto/issuer-hmac.ts');
    const key = sandbox.store.issuerKey('in.gov.cbse');
    const bad = '<PullURIRequest><DocDetails>';
    const r = await post('/issuers/in.gov.cbse/pulluri', bad, { 'x-digilocker-hmac': issuerHmac(bad, key, 'base64-hex') });
    expect(r.status).toBe(400);
    expect((await r.json()).error).toBe('invalid_request');
    expect((await post('/issuers/in.gov.nobody/pulluri', '<x/>')).status).toBe(404);
    expect((await fetch(`${sandbox.url}/issuers/in.gov.cbse/pulluri`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    const index = await (await fetch(`${sandbox.url}/`)).json();
    expect(index.issuers.map((i: { id: string }) => i.id)).toEqual(['in.gov.uidai', 'in.gov.cbse', 'in.gov.transport', 'in.gov.pan', 'in.gov.up.edistrict']);
    expect(JSON.stringify(index)).not.toContain(key);
  });

  it('signed but arbitrary request bodies get an XML answer or a 4xx, never a 5xx (property)', async () => {
    const { issuerHmac } = await import('../../src/crypto/issuer-hmac.ts');
    const key = sandbox.store.issuerKey('in.gov.cbse');
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.tuple(fc.constantFrom('PullURIRequest', 'PullDocRequest'), fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 })).map(([root, a, b]) => `<${root} format="pdf"><DocDetails><DocType>${a}</DocType><URI>${b}</URI><rollno>${a}</rollno></DocDetails></${root}>`),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('pulluri', 'pulldoc'), async (xml, op) => {
        const res = await fetch(`${sandbox.url}/issuers/in.gov.cbse/${op}`, { method: 'POST', body: xml, headers: { 'content-type': 'application/xml', 'x-digilocker-hmac': issuerHmac(xml, key, 'base64-hex') } });
        expect(res.status).toBeLessThan(500);
        await res.arrayBuffer();
      }),
      { numRuns: 80 },
    );
  });
});

