import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { disclosuresAllReferenced, issueSdJwtVc, presentSdJwtVc, verifySdJwtVc } from './sd-jwt.ts';

describe('SD-JWT credentials', () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const credential = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: 'did:key:x', credentialSubject: { name: 'A', marks: [{ subject: 'Maths', marks: '90' }], result: 'PASS' } };

  it('presents chosen claims only, and the verifier sees exactly those', async () => {
    const sd = await issueSdJwtVc(credential, privateKey, 'k1');
    const shown = await presentSdJwtVc(sd, ['result']);
    const r = await verifySdJwtVc(shown, publicKey);
    expect(r.ok && r.payload.credentialSubject).toEqual({ result: 'PASS' });
  });

  it('rejects an extra disclosure the issuer never signed, a duplicate, and a wrong issuer key', async () => {
    const sd = await issueSdJwtVc(credential, privateKey, 'k1');
    const forged = Buffer.from(JSON.stringify(['c2FsdA', 'result', 'FAIL'])).toString('base64url');
    expect(disclosuresAllReferenced(`${sd}${forged}~`)).toBe(false);
    expect((await verifySdJwtVc(`${sd}${forged}~`, publicKey)).ok).toBe(false);
    const parts = sd.split('~');
    expect(disclosuresAllReferenced(`${parts.join('~')}${parts[1]}~`)).toBe(false);
    expect(disclosuresAllReferenced(sd)).toBe(true);
    expect((await verifySdJwtVc(sd, crypto.generateKeyPairSync('ed25519').publicKey)).ok).toBe(false);
  });
});
