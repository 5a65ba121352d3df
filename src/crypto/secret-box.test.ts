import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { masterKeyFromBytes } from './master-key.ts';
import { secretBox } from './secret-box.ts';

const mk = masterKeyFromBytes(crypto.randomBytes(32));

describe('secret box (issuer HMAC keys at rest)', () => {
  it('round-trips, and two seals of one secret differ (fresh nonce) and do not contain it', () => {
    const box = secretBox(mk, 'issuer-hmac-keys');
    const secret = Buffer.from('a-very-secret-issuer-api-key');
    const a = box.seal(secret, 'in.gov.cbse');
    const b = box.seal(secret, 'in.gov.cbse');
    expect(a).not.toBe(b);
    expect(a).not.toContain('very-secret');
    expect(Buffer.from(a.slice(3), 'base64url').includes(secret)).toBe(false);
    expect(box.open(a, 'in.gov.cbse').toString()).toBe('a-very-secret-issuer-api-key');
  });

  it('does not open for another issuer (a key copied onto another row), another purpose or master key, or when tampered', () => {
    const box = secretBox(mk, 'issuer-hmac-keys');
    const sealed = box.seal(Buffer.from('k'.repeat(20)), 'in.gov.cbse');
    expect(() => box.open(sealed, 'in.gov.pan')).toThrow();
    expect(() => secretBox(mk, 'other-purpose').open(sealed, 'in.gov.cbse')).toThrow();
    expect(() => secretBox(masterKeyFromBytes(crypto.randomBytes(32)), 'issuer-hmac-keys').open(sealed, 'in.gov.cbse')).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 20]! ^= 1;
    expect(() => box.open('v1.' + raw.toString('base64url'), 'in.gov.cbse')).toThrow();
    expect(() => box.open('v1.AAAA', 'in.gov.cbse')).toThrow(/truncated/);
    expect(() => box.open('v2.' + sealed.slice(3), 'in.gov.cbse')).toThrow(/format/);
  });
});
