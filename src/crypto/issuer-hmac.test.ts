import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issuerHmac, verifyIssuerHmac } from './issuer-hmac.ts';

const body = '<PullURIRequest ver="1.0"><DocDetails><DocType>HSCER</DocType></DocDetails></PullURIRequest>';
const key = 'issuer-api-key-0123456789';

describe('x-digilocker-hmac', () => {
  it('base64-raw is Base64 of the 32 HMAC bytes; base64-hex is Base64 of the lower-case hex digest', () => {
    const raw = crypto.createHmac('sha256', key).update(body).digest();
    expect(issuerHmac(body, key, 'base64-raw')).toBe(raw.toString('base64'));
    expect(Buffer.from(issuerHmac(body, key, 'base64-raw'), 'base64')).toHaveLength(32);
    expect(Buffer.from(issuerHmac(body, key, 'base64-hex'), 'base64').toString()).toBe(raw.toString('hex'));
    expect(Buffer.from(issuerHmac(body, key, 'base64-hex'), 'base64').toString()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches what a PHP issuer computes: base64_encode(hash_hmac("sha256", $body, $key))', () => {
    // hash_hmac returns lower-case hex by default; this is the Assam RTPS / DIVOC form.
    const php = Buffer.from(crypto.createHmac('sha256', key).update(body).digest('hex')).toString('base64');
    expect(verifyIssuerHmac(body, key, php)).toBe(true);
  });

  it('verifies both encodings, with surrounding whitespace, from a Buffer or a string body', () => {
    for (const enc of ['base64-raw', 'base64-hex'] as const) {
      expect(verifyIssuerHmac(body, key, issuerHmac(body, key, enc))).toBe(true);
      expect(verifyIssuerHmac(Buffer.from(body), Buffer.from(key), ` ${issuerHmac(body, key, enc)}\t`)).toBe(true);
    }
  });

  it('refuses a wrong key, a changed body, a truncated or missing header, and the bare hex digest', () => {
    const good = issuerHmac(body, key, 'base64-hex');
    expect(verifyIssuerHmac(body, key + 'x', good)).toBe(false);
    expect(verifyIssuerHmac(body.replace('HSCER', 'SSCER'), key, good)).toBe(false);
    expect(verifyIssuerHmac(body + ' ', key, good)).toBe(false);
    expect(verifyIssuerHmac(body, key, good.slice(0, -4))).toBe(false);
    expect(verifyIssuerHmac(body, key, undefined)).toBe(false);
    expect(verifyIssuerHmac(body, key, '')).toBe(false);
    expect(verifyIssuerHmac(body, key, crypto.createHmac('sha256', key).update(body).digest('hex'))).toBe(false);
    expect(verifyIssuerHmac(body, key, 'A'.repeat(5000))).toBe(false);
  });
});
