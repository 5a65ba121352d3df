/**
 * Random and malicious input to every accounts endpoint (property-based, fast-check): the
 * answer is always a 4xx (or a success) with the error shape — never a 5xx, never a hang.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { randomIp, signUpCitizen } from '../support/citizen.ts';

const ENDPOINTS = [
  ['POST', '/api/v1/auth/otp'],
  ['POST', '/api/v1/auth/signup'],
  ['POST', '/api/v1/auth/login'],
  ['POST', '/api/v1/auth/pin/reset'],
  ['POST', '/api/v1/auth/pin/change'],
  ['POST', '/api/v1/auth/logout'],
  ['PATCH', '/api/v1/me'],
  ['POST', '/api/v1/me/otp'],
  ['POST', '/api/v1/me/delete'],
  ['POST', '/api/v1/me/mobile/otp'],
  ['POST', '/api/v1/me/mobile'],
] as const;

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', ' ', '0', '-1', '999999', '1e9', 'null', '<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '\u0000', '\u202e', 'ols_' + 'A'.repeat(43), '9876543210', '+919876543210', '2026-02-30'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const body = fc.oneof(
  fc.dictionary(fc.constantFrom('mobile', 'purpose', 'challenge_id', 'otp', 'pin', 'new_pin', 'current_pin', 'name', 'dob', 'gender', 'email', 'new_mobile', 'new_challenge_id', 'new_otp', 'all', '__proto__', 'constructor'), nasty),
  fc.anything(),
);

function asText(v: unknown): string {
  if (v !== null && typeof v === 'object') {
    try {
      return new URLSearchParams(Object.entries(v as object).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x) ?? ''])).toString();
    } catch {
      return '';
    }
  }
  return String(v);
}

describeEachStack('accounts endpoints under random input', (get) => {
  it('never answer 5xx', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), body, fc.boolean(), fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'), async ([method, url], payload, signedIn, type) => {
        const res = await app.inject({
          method,
          url,
          remoteAddress: randomIp(),
          headers: { 'content-type': type, ...(signedIn ? c.headers : {}) },
          payload: type === 'application/json' ? (JSON.stringify(payload) ?? 'null') : asText(payload),
        });
        expect(res.statusCode, `${method} ${url} ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(typeof res.json().error).toBe('string');
      }),
      { numRuns: 150 },
    );
    // The citizen's session survived the storm unless a logout happened to be valid.
    expect([200, 401]).toContain((await app.inject({ url: '/api/v1/me', headers: c.headers })).statusCode);
  });

  it('activity queries never answer 5xx', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('type', 'from', 'to', 'subject_kind', 'subject_id', 'cursor', 'limit', 'x'), fc.string({ maxLength: 60 })), async (q) => {
        const res = await app.inject({ url: `/api/v1/activity?${new URLSearchParams(q).toString()}`, headers: c.headers });
        expect(res.statusCode, res.body).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });
});
