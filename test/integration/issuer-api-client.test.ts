/**
 * The Issuer API client against a hand-written issuer (test/support/fake-issuer.ts) over
 * real HTTP on loopback: what it sends (XML shape, HMAC in the configured encoding, only
 * opted-in profile fields), how it reads every answer the spec allows, and how it behaves
 * when the issuer misbehaves — retries with back-off, timeouts, 5xx, dropped connections,
 * the circuit breaker opening and closing, and answers it must not trust.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyIssuerHmac } from '../../src/crypto/issuer-hmac.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import type { IssuerEndpoint } from '../../src/domain/issuers/issuer-endpoint.ts';
import { BreakerRegistry } from '../../src/integrations/issuer-api/breaker.ts';
import { createIssuerApiClient, type IssuerApiClientDeps } from '../../src/integrations/issuer-api/client.ts';
import { parsePullDocRequest, parsePullUriRequest } from '../../src/integrations/issuer-api/wire.ts';
import { startFakeIssuer, txnOf, type FakeIssuer } from '../support/fake-issuer.ts';
import { buildDoctype } from '../support/issuers.ts';

const KEY = 'fake-issuer-key-0123456789';
const ISSUER = 'in.gov.fake';
const pdf = Buffer.from('%PDF-1.7\nfake pdf bytes\n');
const uriResponse = (status: string, txn: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><PullURIResponse xmlns:ns2="http://tempuri.org/"><ResponseStatus Status="${status}" ts="2016-01-11T14:44:48+05:30" txn="${txn}">${status}</ResponseStatus><DocDetails>${extra}</DocDetails></PullURIResponse>`;
const issued = (txn: string, uri = `${ISSUER}-HSCER-20241100040`) =>
  uriResponse('1', txn, `<IssuedTo><Persons><Person name="Sunil Kumar" dob="31-12-1990" gender="M" phone=""/></Persons></IssuedTo><URI>${uri}</URI><DocContent>${pdf.toString('base64')}</DocContent>`);

describe('Issuer API client against a hand-written issuer', () => {
  let fake: FakeIssuer;
  let clock: ManualClock;
  let sleeps: number[];

  const endpoint = (overrides: Partial<IssuerEndpoint> = {}): IssuerEndpoint => ({
    issuerId: ISSUER,
    issuerName: 'Fake Board',
    orgId: 'locker-org-1',
    pullUriUrl: `${fake.url}/pulluri`,
    pullDocUrl: `${fake.url}/pulldoc`,
    hmacKey: Buffer.from(KEY),
    hmacEncoding: 'base64-hex',
    timeoutMs: null,
    ...overrides,
  });
  const client = (deps: Partial<IssuerApiClientDeps> = {}) =>
    createIssuerApiClient({ clock, settings: { retries: 2, timeoutMs: 2000, backoffBaseMs: 100, breaker: { failureThreshold: 5, cooldownMs: 30_000 } }, random: () => 1, sleep: async (ms) => void sleeps.push(ms), ...deps });
  const pullUri = (c = client(), overrides: Partial<Parameters<ReturnType<typeof client>['pullUri']>[1]> = {}) =>
    c.pullUri(endpoint(), { doctype: buildDoctype(), digilockerId: '123e4567-e89b-12d3-a456-426655440000', params: { rollno: '1100040', year: '2024' }, profile: { uid: '999900000016', fullName: 'Sunil Kumar', dob: '1990-12-31', gender: 'M' }, ...overrides });

  beforeAll(async () => {
    fake = await startFakeIssuer();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.seen.length = 0;
    clock = new ManualClock('2016-01-11T09:14:48Z');
    sleeps = [];
  });

  it('sends the spec PullURIRequest: envelope, DocType, DigiLockerId, opted-in profile fields only, parameters by configured name, signed', async () => {
    fake.answer({ body: (r) => issued(txnOf(r.body)) });
    const result = await pullUri();
    const req = fake.seen[0]!;
    expect(req.path).toBe('/pulluri');
    expect(req.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(req.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?><PullURIRequest xmlns:ns2="http:\/\/tempuri\.org\/" ver="1\.0" ts="2016-01-11T14:44:48\+05:30" txn="[0-9a-f-]{36}" orgId="locker-org-1" format="both">/);
    const m = parsePullUriRequest(req.body);
    expect(m).toMatchObject({ docType: 'HSCER', digiLockerId: '123e4567-e89b-12d3-a456-426655440000', fullName: 'Sunil Kumar', params: [['rollno', '1100040'], ['year', '2024']] });
    // The doctype opted into FullName only: no Aadhaar number, DOB or gender leaves the locker.
    expect(req.body).not.toContain('999900000016');
    expect(m.uid).toBeUndefined();
    expect(m.dob).toBeUndefined();
    // base64-hex, as the default for compatibility; it verifies, and is not the raw form.
    const sig = String(req.headers['x-digilocker-hmac']);
    expect(verifyIssuerHmac(req.body, KEY, sig)).toBe(true);
    expect(Buffer.from(sig, 'base64').toString()).toMatch(/^[0-9a-f]{64}$/);
    expect(result).toEqual({ status: 'issued', txn: txnOf(req.body), uri: `${ISSUER}-HSCER-20241100040`, doc: pdf, data: null, issuedTo: [{ name: 'Sunil Kumar', dob: '31-12-1990', gender: 'M' }] });
  });

  it('sends UID, DOB (DD-MM-YYYY) and GENDER when the document type opts in, and base64-raw when the issuer is configured so', async () => {
    fake.answer({ body: (r) => issued(txnOf(r.body)) });
    const c = client();
    await c.pullUri(endpoint({ hmacEncoding: 'base64-raw' }), { doctype: buildDoctype({ profileFields: ['UID', 'FullName', 'DOB', 'GENDER'], parameters: [] }), digilockerId: 'd', params: {}, profile: { uid: '999900000016', fullName: 'S', dob: '1990-12-31', gender: 'F' }, format: 'pdf' });
    const req = fake.seen[0]!;
    expect(parsePullUriRequest(req.body)).toMatchObject({ uid: '999900000016', dob: '31-12-1990', gender: 'F', format: 'pdf' });
    expect(Buffer.from(String(req.headers['x-digilocker-hmac']), 'base64')).toHaveLength(32);
    expect(verifyIssuerHmac(req.body, KEY, String(req.headers['x-digilocker-hmac']))).toBe(true);
  });

  it('a missing search parameter is refused before any call', async () => {
    await expect(pullUri(client(), { params: { rollno: '1100040', year: ' ' } })).rejects.toMatchObject({ code: 'parameter_missing', kind: 'invalid' });
    expect(fake.seen).toHaveLength(0);
  });

  it('Status 9 is pending (kept and retried later), Status 0 is record_not_found', async () => {
    fake.answer({ body: (r) => uriResponse('9', txnOf(r.body)) });
    expect(await pullUri()).toMatchObject({ status: 'pending', uri: null });
    fake.answer({ body: (r) => uriResponse('0', txnOf(r.body)) });
    await expect(pullUri()).rejects.toMatchObject({ code: 'record_not_found', kind: 'not_found', message: expect.stringContaining('Fake Board has no document matching') });
    expect(fake.seen).toHaveLength(2); // neither is retried
  });

  it('does not trust an answer for another transaction, a URI outside the issuer or document type, bad base64, or non-XML', async () => {
    const bad = [
      (txn: string) => issued('someone-elses-txn'),
      (txn: string) => issued(txn, 'in.gov.uidai-ADHAR-stolen'),
      (txn: string) => issued(txn, `${ISSUER}-SSCER-1`),
      (txn: string) => issued(txn, `${ISSUER}-HSCER-`),
      (txn: string) => uriResponse('1', txn, `<URI>${ISSUER}-HSCER-1</URI><DocContent>%%%not base64%%%</DocContent>`),
      (txn: string) => uriResponse('1', txn, ''),
      (txn: string) => uriResponse('7', txn, `<URI>${ISSUER}-HSCER-1</URI>`),
      () => '<html><body>Welcome to nginx</body></html>',
      () => '<PullURIResponse><ResponseStatus Status="1"',
    ];
    for (const make of bad) {
      fake.answer({ body: (r) => make(txnOf(r.body)) });
      await expect(pullUri()).rejects.toMatchObject({ code: 'repository_service_resperror', kind: 'upstream' });
    }
    expect(fake.seen).toHaveLength(bad.length); // a 200 with a bad body is final: no retry
  });

  it('Pull Doc: sends URI, format and DigiLockerId; returns PDF and XML bytes; requires the format asked for', async () => {
    const xml = Buffer.from('<Certificate type="HSCER"/>');
    fake.answer({ body: (r) => `<PullDocResponse><ResponseStatus Status="1" txn="${txnOf(r.body)}">1</ResponseStatus><DocDetails><DocContent>${pdf.toString('base64')}</DocContent><DataContent>${xml.toString('base64')}</DataContent></DocDetails></PullDocResponse>` });
    const r = await client().pullDoc(endpoint(), `${ISSUER}-HSCER-1`, 'both', { digilockerId: 'dl-1' });
    expect(r.doc).toEqual(pdf);
    expect(r.data).toEqual(xml);
    expect(fake.seen[0]!.path).toBe('/pulldoc');
    expect(parsePullDocRequest(fake.seen[0]!.body)).toMatchObject({ uri: `${ISSUER}-HSCER-1`, format: 'both', digiLockerId: 'dl-1', orgId: 'locker-org-1' });
    fake.answer({ body: (r) => `<PullDocResponse><ResponseStatus Status="1" txn="${txnOf(r.body)}"/><DocDetails><DocContent>${pdf.toString('base64')}</DocContent></DocDetails></PullDocResponse>` });
    await expect(client().pullDoc(endpoint(), `${ISSUER}-HSCER-1`, 'xml')).rejects.toMatchObject({ code: 'repository_service_resperror' });
    fake.answer({ body: (r) => `<PullDocResponse><ResponseStatus Status="0" txn="${txnOf(r.body)}"/><DocDetails/></PullDocResponse>` });
    await expect(client().pullDoc(endpoint(), `${ISSUER}-HSCER-1`, 'pdf')).rejects.toMatchObject({ code: 'repository_service_resperror' });
  });

  it('retries a 5xx with growing back-off, and succeeds when the issuer recovers', async () => {
    fake.answer({ status: 503, body: 'busy' }, { status: 500, body: 'oops' }, { body: (r) => issued(txnOf(r.body)) });
    expect((await pullUri()).status).toBe('issued');
    expect(fake.seen).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]); // full jitter with random() = 1: base·2^n
  });

  it('gives up after the retries: 5xx → repository_service_resperror, dropped connection → unresponsive', async () => {
    fake.answer({ status: 502, body: 'bad gateway' });
    await expect(pullUri()).rejects.toMatchObject({ code: 'repository_service_resperror', kind: 'upstream' });
    expect(fake.seen).toHaveLength(3);
    fake.seen.length = 0;
    fake.answer({ reset: true });
    await expect(pullUri()).rejects.toMatchObject({ code: 'repository_service_unresponsive', kind: 'unavailable' });
    expect(fake.seen).toHaveLength(3);
  });

  it('times out each attempt at the per-issuer timeout and reports repository_service_unresponsive (504)', async () => {
    fake.answer({ hang: true });
    const t0 = Date.now();
    await expect(client().pullUri(endpoint({ timeoutMs: 150 }), { doctype: buildDoctype(), digilockerId: 'd', params: { rollno: '1', year: '2024' } })).rejects.toMatchObject({ code: 'repository_service_unresponsive', kind: 'timeout' });
    const ms = Date.now() - t0;
    expect(fake.seen).toHaveLength(3);
    expect(ms).toBeGreaterThanOrEqual(3 * 150 - 20);
    expect(ms).toBeLessThan(3000);
  });

  it('an issuer that hangs is not retried past the overall deadline (a citizen waits about twice the timeout)', async () => {
    fake.answer({ hang: true });
    const t0 = Date.now();
    await expect(createIssuerApiClient({ clock, settings: { retries: 5, timeoutMs: 150, backoffBaseMs: 10, backoffMaxMs: 20 } }).pullUri(endpoint(), { doctype: buildDoctype(), digilockerId: 'd', params: { rollno: '1', year: '2024' } })).rejects.toMatchObject({ kind: 'timeout' });
    // 150 + 150 + back-off fits 2 × 150 + 20; a third attempt would not. On a loaded machine the
    // first timeout fires late and the second attempt no longer fits: one attempt, never three.
    expect(fake.seen.length).toBeGreaterThanOrEqual(1);
    expect(fake.seen.length).toBeLessThanOrEqual(2);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('a slow body also times out (the deadline covers reading the answer)', async () => {
    fake.answer({ delayMs: 400, body: (r) => issued(txnOf(r.body)) });
    await expect(client({ settings: { retries: 0, timeoutMs: 100 } }).pullUri(endpoint(), { doctype: buildDoctype(), digilockerId: 'd', params: { rollno: '1', year: '2024' } })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('the issuer refusing our HMAC (401) or a wrong endpoint (404) is a configuration error: final, no retries', async () => {
    for (const status of [401, 403, 404]) {
      fake.seen.length = 0;
      fake.answer({ status, body: 'no' });
      await expect(pullUri()).rejects.toMatchObject({ code: 'repository_service_configerror', kind: 'unavailable' });
      expect(fake.seen).toHaveLength(1);
    }
  });

  it('refuses an answer larger than the cap without reading it all', async () => {
    fake.answer({ body: (r) => issued(txnOf(r.body)) + ' '.repeat(5000) });
    await expect(client({ settings: { maxResponseBytes: 2000 } }).pullUri(endpoint(), { doctype: buildDoctype(), digilockerId: 'd', params: { rollno: '1', year: '2024' } })).rejects.toMatchObject({ code: 'repository_service_resperror' });
  });

  it('circuit breaker: opens after consecutive failures, then fails fast without calling; one probe after the cooldown closes it', async () => {
    const breakers = new BreakerRegistry({ failureThreshold: 3, cooldownMs: 30_000 }, clock);
    const c = client({ breakers, settings: { retries: 2 } });
    fake.answer({ status: 500, body: 'down' });
    await expect(pullUri(c)).rejects.toMatchObject({ code: 'repository_service_resperror' });
    expect(breakers.states()[ISSUER]).toBe('open');
    const calls = fake.seen.length;
    await expect(pullUri(c)).rejects.toMatchObject({ code: 'repository_service_unresponsive', kind: 'unavailable', details: { retry_after: 30 } });
    expect(fake.seen.length).toBe(calls); // the issuer was left alone

    // Still failing at the probe: open again for a full cooldown.
    clock.advance(30_000);
    await expect(pullUri(c)).rejects.toMatchObject({ code: 'repository_service_unresponsive' });
    expect(fake.seen.length).toBe(calls + 1);
    expect(breakers.states()[ISSUER]).toBe('open');

    // The issuer recovers; after the cooldown the probe succeeds and the circuit closes.
    fake.answer({ body: (r) => issued(txnOf(r.body)) });
    clock.advance(30_000);
    expect((await pullUri(c)).status).toBe('issued');
    expect(breakers.states()[ISSUER]).toBe('closed');
    expect((await pullUri(c)).status).toBe('issued');
  });

  it('a connection refused is retried, then reported as unresponsive; other issuers are unaffected', async () => {
    const breakers = new BreakerRegistry({ failureThreshold: 2, cooldownMs: 30_000 }, clock);
    const c = client({ breakers });
    const closedPort = `http://127.0.0.1:1`;
    await expect(c.pullUri(endpoint({ issuerId: 'in.gov.down', pullUriUrl: `${closedPort}/x` }), { doctype: buildDoctype(), digilockerId: 'd', params: { rollno: '1', year: '2024' } })).rejects.toMatchObject({ code: 'repository_service_unresponsive' });
    expect(breakers.states()['in.gov.down']).toBe('open');
    fake.answer({ body: (r) => issued(txnOf(r.body)) });
    expect((await pullUri(c)).status).toBe('issued');
  });

  it('never logs the key, the signature or document contents', async () => {
    const lines: string[] = [];
    fake.answer({ status: 500, body: 'x' });
    await expect(pullUri(client({ log: { warn: (o, m) => void lines.push(JSON.stringify(o) + m) } }))).rejects.toBeTruthy();
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('\n');
    expect(all).not.toContain(KEY);
    expect(all).not.toMatch(/hmac/i);
    expect(all).not.toContain('1100040');
  });

  it('two hundred concurrent pulls all complete, each with its own transaction id', async () => {
    fake.answer({ body: (r) => issued(txnOf(r.body)) });
    const c = client();
    await Promise.all(Array.from({ length: 200 }, () => pullUri(c)));
    expect(new Set(fake.seen.map((r) => txnOf(r.body))).size).toBe(200);
  });
});
