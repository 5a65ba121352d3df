import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compatVerifier, hexChallengeOf, isHexChallenge, wrapHexChallenge } from './pkce-compat.ts';

const s256 = (v: string) => crypto.createHash('sha256').update(v).digest('base64url');

describe('digilocker-sdk PKCE compatibility', () => {
  const verifier = 'aB3@#*!xYz1717000000000';

  it('recognises the hex challenge and nothing else', () => {
    expect(isHexChallenge(hexChallengeOf(verifier))).toBe(true);
    expect(isHexChallenge(s256('x'.repeat(43)))).toBe(false);
    expect(isHexChallenge('A'.repeat(86))).toBe(false);
  });

  it('maps the SDK verifier to one whose S256 is the wrapped challenge — and only the right verifier', () => {
    const stored = wrapHexChallenge(hexChallengeOf(verifier));
    const v2 = compatVerifier(verifier, stored);
    expect(s256(v2)).toBe(stored);
    expect(/^[A-Za-z0-9_-]{43,128}$/.test(v2)).toBe(true);
    expect(compatVerifier('aB3@#*!xYz1717000000001', stored)).toBe('aB3@#*!xYz1717000000001');
    // An RFC verifier is handed on unchanged (its own S256 check decides).
    const rfc = 'x'.repeat(50);
    expect(compatVerifier(rfc, s256(rfc))).toBe(rfc);
  });
});
