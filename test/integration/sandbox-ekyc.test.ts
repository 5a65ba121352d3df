/**
 * The sandbox UIDAI's eKYC through the locker's eKYC client over real HTTP: the OTP goes by
 * SMS to the Aadhaar-linked mobile (and, beside the locker, into the dev outbox); verified,
 * it yields the resident's details and an eAadhaar URI the registry resolves and the
 * Issuer API serves. OTP rules are attacked: wrong, reused, expired, too many tries,
 * floods, bad numbers, unsigned calls, forged answers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issuerHmac } from '../../src/crypto/issuer-hmac.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { createEkycClient } from '../../src/integrations/uidai/ekyc-client.ts';
import { isAadhaarNumber } from '../../src/sandbox/verhoeff.ts';
import { startFakeIssuer } from '../support/fake-issuer.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

const RAHUL_UID = '999900000028';
const RAHUL_PHONE = '+919000000002';

describe('sandbox UIDAI eKYC', () => {
  let sandbox: TestSandbox;
  const clock = new ManualClock('2025-02-01T10:00:00Z');
  const ekyc = (key?: string) => createEkycClient({ baseUrl: `${sandbox.url}/uidai/ekyc`, hmacKey: key ?? sandbox.store.issuerKey('in.gov.uidai') });

  beforeAll(async () => {
    sandbox = await startTestSandbox({ clock });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  beforeEach(() => {
    clock.advance(60 * 60_000); // a fresh rate-limit window per test
  });

  it('texts an OTP to the Aadhaar-linked mobile; verifying it returns the verified details and the eAadhaar URI', async () => {
    const otp = await ekyc().requestOtp('9999 0000 0028');
    expect(otp).toMatchObject({ maskedMobile: 'XXXXXX0002', expiresIn: 600 });
    const code = sandbox.lastOtp(RAHUL_PHONE)!;
    expect(code).toMatch(/^\d{6}$/);
    expect(sandbox.sms.at(-1)!.message).toContain('XXXX XXXX 0028');
    expect(sandbox.sms.at(-1)!.message).not.toContain(RAHUL_UID);
    const kyc = await ekyc().verifyOtp(otp.txn, code);
    expect(kyc).toMatchObject({ uidLast4: '0028', name: 'Rahul Sharma', nameHi: 'राहुल शर्मा', dob: '1990-07-22', gender: 'M', careOf: 'Suresh Sharma', maskedMobile: 'XXXXXX0002', address: { district: 'Kanpur Nagar', state: 'Uttar Pradesh' } });
    expect(kyc.photo.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8])); // JPEG
    expect(kyc.eaadhaarUri).toMatch(/^in\.gov\.uidai-ADHAR-[0-9a-f]{32}$/);
    expect(sandbox.store.byUri(kyc.eaadhaarUri)?.personId).toBe('rahul');
  });

  it('an OTP works once; a wrong one leaves fewer tries; three wrong ones end the challenge', async () => {
    const a = await ekyc().requestOtp(RAHUL_UID);
    const code = sandbox.lastOtp(RAHUL_PHONE)!;
    const wrong = code === '000000' ? '111111' : '000000';
    await expect(ekyc().verifyOtp(a.txn, wrong)).rejects.toMatchObject({ code: 'otp_invalid', kind: 'invalid', details: { tries_left: 2 } });
    await ekyc().verifyOtp(a.txn, code);
    await expect(ekyc().verifyOtp(a.txn, code)).rejects.toMatchObject({ code: 'otp_used', kind: 'gone' });

    const b = await ekyc().requestOtp(RAHUL_UID);
    const bCode = sandbox.lastOtp(RAHUL_PHONE)!;
    const bWrong = bCode === '000000' ? '111111' : '000000';
    await expect(ekyc().verifyOtp(b.txn, bWrong)).rejects.toMatchObject({ details: { tries_left: 2 } });
    await expect(ekyc().verifyOtp(b.txn, bWrong)).rejects.toMatchObject({ details: { tries_left: 1 } });
    await expect(ekyc().verifyOtp(b.txn, bWrong)).rejects.toMatchObject({ code: 'otp_attempts_exceeded', kind: 'rate_limited' });
    await expect(ekyc().verifyOtp(b.txn, bCode)).rejects.toMatchObject({ code: 'otp_attempts_exceeded' }); // even the right one, now
  });

  it('concurrent verifications of one OTP: exactly one succeeds', async () => {
    const a = await ekyc().requestOtp(RAHUL_UID);
    const code = sandbox.lastOtp(RAHUL_PHONE)!;
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => ekyc().verifyOtp(a.txn, code)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('an OTP expires after 10 minutes', async () => {
    const a = await ekyc().requestOtp(RAHUL_UID);
    const code = sandbox.lastOtp(RAHUL_PHONE)!;
    clock.advance(600_001);
    await expect(ekyc().verifyOtp(a.txn, code)).rejects.toMatchObject({ code: 'otp_expired', kind: 'gone' });
  });

  it('limits OTP requests per Aadhaar number (5 per 15 minutes)', async () => {
    for (let i = 0; i < 5; i++) await ekyc().requestOtp('999900000037');
    await expect(ekyc().requestOtp('999900000037')).rejects.toMatchObject({ code: 'rate_limited', kind: 'rate_limited' });
    clock.advance(15 * 60_000 + 1);
    await expect(ekyc().requestOtp('999900000037')).resolves.toMatchObject({ maskedMobile: 'XXXXXX0003' });
  });

  it('refuses bad numbers, unknown residents and garbage with clear 4xx codes', async () => {
    await expect(ekyc().requestOtp('12345')).rejects.toMatchObject({ code: 'invalid_uid' });
    await expect(ekyc().requestOtp('999900000027')).rejects.toMatchObject({ code: 'invalid_uid', message: expect.stringContaining('check the digits') });
    expect(isAadhaarNumber('999941057058')).toBe(true); // UIDAI's published test number: valid, but no sandbox resident
    await expect(ekyc().requestOtp('999941057058')).rejects.toMatchObject({ code: 'aadhaar_not_found', kind: 'not_found' });
    await expect(ekyc().verifyOtp('not-a-txn', '123456')).rejects.toMatchObject({ code: 'invalid_txn' });
    await expect(ekyc().verifyOtp('00000000-0000-0000-0000-000000000000', '123456')).rejects.toMatchObject({ code: 'invalid_txn', kind: 'not_found' });
    await expect(ekyc().verifyOtp('00000000-0000-0000-0000-000000000000', '12')).rejects.toMatchObject({ code: 'otp_invalid' });
    const raw = await fetch(`${sandbox.url}/uidai/ekyc/otp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-digilocker-hmac': issuerHmac('{', sandbox.store.issuerKey('in.gov.uidai'), 'base64-raw') }, body: '{' });
    expect(raw.status).toBe(400);
  });

  it('unsigned or wrongly signed requests are refused; nothing is texted', async () => {
    const before = sandbox.sms.length;
    await expect(ekyc('a-wrong-uidai-key-0000000').requestOtp(RAHUL_UID)).rejects.toMatchObject({ code: 'uidai_unavailable' });
    const raw = await fetch(`${sandbox.url}/uidai/ekyc/otp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ uid: RAHUL_UID }) });
    expect(raw.status).toBe(401);
    expect(sandbox.sms.length).toBe(before);
  });

  it('the client refuses an answer that is not signed with the UIDAI key (a forged eKYC response)', async () => {
    const fake = await startFakeIssuer();
    try {
      fake.answer({ status: 200, contentType: 'application/json', body: JSON.stringify({ txn: 'x', masked_mobile: 'XXXXXX9999', expires_in: 600 }) });
      await expect(createEkycClient({ baseUrl: fake.url, hmacKey: 'some-key-0123456789' }).requestOtp(RAHUL_UID)).rejects.toMatchObject({ code: 'uidai_unavailable' });
      await fake.close();
      await expect(createEkycClient({ baseUrl: fake.url, hmacKey: 'some-key-0123456789', timeoutMs: 500 }).requestOtp(RAHUL_UID)).rejects.toMatchObject({ code: 'uidai_unavailable', kind: 'unavailable' });
    } finally {
      await fake.close().catch(() => {});
    }
  });
});
