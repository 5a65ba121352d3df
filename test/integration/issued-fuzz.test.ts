/**
 * Random and malicious input to every issued-documents endpoint (fast-check), with the
 * sandbox issuers connected: always a 4xx (or a success) in the error shape, never a 5xx.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { randomIp, signUpCitizen } from '../support/citizen.ts';
import { useSandbox } from '../support/issued.ts';

const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '2410001', '2024', 'in.gov.cbse', 'HSCER', 'in.gov.cbse-HSCER-20242410001', '999900000016', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '\u0000', '\u202e', 'A', 'D', 'U', '13052024'),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const params = fc.dictionary(fc.constantFrom('rollno', 'year', 'dlno', '__proto__', 'x'), nasty);
const body = fc.oneof(
  fc.record({ issuer_id: nasty, doctype: nasty, params: fc.oneof(params, nasty) }, { requiredKeys: [] }),
  fc.dictionary(fc.constantFrom('clientid', 'ts', 'hmac', 'digilockerid', 'uri', 'action', 'issuedate', 'items', 'students', 'aadhaar', 'txn', 'otp', 'mobile'), nasty),
  fc.record({ clientid: nasty, ts: nasty, hmac: nasty, items: fc.array(fc.dictionary(fc.constantFrom('uri', 'digilockerid', 'mobile', 'action', 'issuedate'), nasty), { maxLength: 3 }) }),
  fc.anything(),
);
const ENDPOINTS = [
  ['POST', '/api/v1/issued/pull'],
  ['POST', '/public/account/1/pushuri'],
  ['POST', '/public/account/1/pushuri/bulk'],
  ['POST', '/public/account/1/provision'],
  ['POST', '/api/v1/aadhaar/otp'],
  ['POST', '/api/v1/aadhaar/link'],
] as const;

describeEachStack('issued endpoints under random input', (get) => {
  useSandbox(get);
  it('never answer 5xx', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), body, fc.constantFrom('application/json', 'application/x-www-form-urlencoded'), async ([method, url], payload, type) => {
        const res = await app.inject({
          method,
          url,
          remoteAddress: randomIp(),
          headers: { 'content-type': type, ...c.headers },
          payload: type === 'application/json' ? (JSON.stringify(payload) ?? 'null') : new URLSearchParams(payload && typeof payload === 'object' ? Object.entries(payload as object).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')]) : []).toString(),
        });
        expect(res.statusCode, `${method} ${url} ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(typeof res.json().error).toBe('string');
      }),
      { numRuns: 150 },
    );
  });

  it('document paths and formats never answer 5xx', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom('in.gov.cbse-HSCER-1', 'x', '%00', '..%2F..')), fc.constantFrom('', '?format=xml', '?format=pdf', '?format=zip'), async (uri, q) => {
        const file = await app.inject({ url: `/api/v1/issued/${encodeURIComponent(uri)}/file${q}`, headers: c.headers });
        expect(file.statusCode, file.body).toBeLessThan(500);
        const page = await app.inject({ url: `/issued/view/${encodeURIComponent(uri)}${q}`, headers: { cookie: c.cookie } });
        expect(page.statusCode).toBeLessThan(500);
        const del = await app.inject({ method: 'DELETE', url: `/api/v1/issued/${encodeURIComponent(uri)}`, headers: c.headers });
        expect(del.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
