/**
 * Verifiable Credentials: any document as a W3C VC 2.0, as SD-JWT (the holder discloses
 * chosen claims only: name and result, not the marks; "age over 18" from the eAadhaar)
 * or with a Data Integrity proof (eddsa-rdfc-2022, did:key), through the VC API
 * (/credentials/issue, /credentials/verify, /presentations/verify) and /api/v1/verify.
 */
import crypto from 'node:crypto';
import { exportJWK } from 'jose';
import { expect, it } from 'vitest';
import { createPresentation, signDataIntegrityVp, issueDataIntegrityVc } from '../../src/crypto/vc/data-integrity.ts';
import { presentSdJwtVc } from '../../src/crypto/vc/sd-jwt.ts';
import { sampleDocument } from '../../src/sandbox/samples/documents.ts';
import { describeEachStack, randomId } from '../support/app.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

describeEachStack('verifiable credentials', (get) => {
  const asCredential = async (doc: object, format?: string, holder_jwk?: object) => {
    const res = await get().app.inject({ method: 'POST', url: '/api/v1/admin/credentials', headers: ADMIN, payload: { document: doc, ...(format ? { format } : {}), ...(holder_jwk ? { holder_jwk } : {}) } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it('a marksheet as SD-JWT: the holder discloses name and result, not the marks, and the verifier sees only those', async () => {
    const doc = sampleDocument('in.gov.cbse', 'HSCER', { seed: randomId() });
    const { credential, format } = await asCredential(doc);
    expect(format).toBe('vc+sd-jwt');
    const presented = await get().app.inject({ method: 'POST', url: '/api/v1/credentials/present', payload: { credential, disclose: ['name', 'result'] } });
    const sd = presented.json().credential as string;
    expect(sd.split('~').filter(Boolean).length).toBe(3); // JWT + 2 disclosures
    const v = await get().app.inject({ method: 'POST', url: '/api/v1/verify', payload: { credential: sd } });
    expect(v.json()).toMatchObject({ status: 'valid', source: 'credential', issuer_id: 'in.gov.cbse' });
    expect(v.json().fields).toEqual({ name: doc.holder.name, result: 'PASS' });
    expect(JSON.stringify(v.json())).not.toContain('subjectsAndMarks');
    // The full credential carries the marks.
    const full = await get().app.inject({ method: 'POST', url: '/api/v1/verify', payload: { credential } });
    expect(Object.keys(full.json().fields)).toEqual(expect.arrayContaining(['subjectsAndMarks', 'rollNo', 'birthDate']));
  });

  it('eAadhaar as SD-JWT proves "age over 18" without the date of birth; tampering a disclosure is caught', async () => {
    const doc = { ...sampleDocument('in.gov.uidai', 'ADHAR', { seed: randomId() }), holder: { name: 'Kiran Yadav', nameHi: 'किरण यादव', dob: '2000-02-29', gender: 'M' as const } };
    const { credential } = await asCredential(doc);
    const only = await presentSdJwtVc(credential, ['age_over_18', 'nameHindi']);
    const v = await get().app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+sd-jwt,${only}` } } });
    expect(v.json()).toMatchObject({ verified: true, status: 'valid', fields: { age_over_18: 'true', nameHindi: 'किरण यादव' } });
    expect(v.json().fields.birthDate).toBeUndefined();
    // Swap a disclosure's value: its digest no longer matches the signed payload.
    const parts = only.split('~');
    const disclosure = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown[];
    disclosure[2] = disclosure[1] === 'age_over_18' ? false : 'someone else';
    parts[1] = Buffer.from(JSON.stringify(disclosure)).toString('base64url');
    const bad = await get().app.inject({ method: 'POST', url: '/api/v1/verify', payload: { credential: parts.join('~') } });
    expect(bad.json().status).toBe('tampered');
  });

  it('holder binding: with holder_jwk the presentation needs a key-binding JWT over the verifier nonce', async () => {
    const holder = crypto.generateKeyPairSync('ed25519');
    const { credential } = await asCredential(sampleDocument('in.gov.transport', 'DRVLC', { seed: randomId() }), 'vc+sd-jwt', await exportJWK(holder.publicKey));
    const kb = await presentSdJwtVc(credential, ['dlNumber'], { key: holder.privateKey, aud: 'https://bank.example', nonce: 'n-123' });
    const ok = await get().app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: kb, options: { challenge: 'n-123' } } });
    expect(ok.json()).toMatchObject({ verified: true, checks: expect.arrayContaining(['holder_binding']) });
    const replay = await get().app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: kb, options: { challenge: 'other-nonce' } } });
    expect(replay.json().verified).toBe(false);
    const stranger = await presentSdJwtVc(credential, ['dlNumber'], { key: crypto.generateKeyPairSync('ed25519').privateKey, aud: 'x', nonce: 'n-123' });
    expect((await get().app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: stranger, options: { challenge: 'n-123' } } })).json().verified).toBe(false);
  });

  it('VC API: issue with Data Integrity (eddsa-rdfc-2022, did:key), verify, detect tampering', async () => {
    const credential = { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/undefined-terms/v2'], type: ['VerifiableCredential'], issuer: 'in.gov.cbse', credentialSubject: { name: 'अनन्या शर्मा', result: 'PASS' } };
    expect((await get().app.inject({ method: 'POST', url: '/credentials/issue', payload: { credential } })).statusCode).toBe(401);
    const issued = await get().app.inject({ method: 'POST', url: '/credentials/issue', headers: ADMIN, payload: { credential } });
    expect(issued.statusCode, issued.body).toBe(201);
    const vc = issued.json().verifiableCredential;
    expect(vc.proof).toMatchObject({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod' });
    expect(vc.issuer.id).toMatch(/^did:key:z6Mk/);
    const ok = await get().app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: vc } });
    expect(ok.json()).toMatchObject({ verified: true, status: 'valid', issuer_id: 'in.gov.cbse', fields: { name: 'अनन्या शर्मा' } });
    const bad = structuredClone(vc);
    bad.credentialSubject.result = 'FAIL';
    const tampered = await get().app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: bad } });
    expect(tampered.json()).toMatchObject({ verified: false, status: 'tampered' });
  });

  it('a Data Integrity credential from a did:key no issuer owns is unknown_issuer; a context we do not bundle is undetermined', async () => {
    const key = crypto.generateKeyPairSync('ed25519').privateKey;
    const { didKeyOf } = await import('../../src/crypto/vc/data-integrity.ts');
    const { did } = await didKeyOf(key);
    const vc = (await issueDataIntegrityVc({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: did, credentialSubject: { name: 'x' } }, key));
    const r = await get().app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: vc } });
    expect(r.json().status).toBe('unknown_issuer');
    const remote = { ...vc, '@context': ['https://www.w3.org/ns/credentials/v2', 'https://example.org/remote-context'] };
    const u = await get().app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: remote } });
    expect(u.statusCode).toBe(200);
    expect(['undetermined', 'unknown_issuer']).toContain(u.json().status);
    expect(u.json().verified).toBe(false);
  });

  it('VC API presentations: a holder-signed VP verifies against its challenge, not another; an unsigned VP only warns', async () => {
    const issued = await get().app.inject({ method: 'POST', url: '/credentials/issue', headers: ADMIN, payload: { credential: { '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/undefined-terms/v2'], type: ['VerifiableCredential'], issuer: 'in.gov.pan', credentialSubject: { pan: 'ABCPK1234Z' } } } });
    const vc = issued.json().verifiableCredential;
    const holder = crypto.generateKeyPairSync('ed25519').privateKey;
    const { didKeyOf } = await import('../../src/crypto/vc/data-integrity.ts');
    const vp = await signDataIntegrityVp(createPresentation([vc], (await didKeyOf(holder)).did), holder, 'challenge-42', 'bank.example');
    const ok = await get().app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: vp, options: { challenge: 'challenge-42', domain: 'bank.example' } } });
    expect(ok.json()).toMatchObject({ verified: true, checks: ['proof'], errors: [] });
    expect(ok.json().credentials[0]).toMatchObject({ verified: true, issuer_id: 'in.gov.pan' });
    const wrong = await get().app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: vp, options: { challenge: 'challenge-43', domain: 'bank.example' } } });
    expect(wrong.json().verified).toBe(false);
    const noChallenge = await get().app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: vp } });
    expect(noChallenge.statusCode).toBe(400);
    const unsigned = await get().app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: createPresentation([vc]) } });
    expect(unsigned.json()).toMatchObject({ verified: true, warnings: [expect.stringContaining('not signed')] });
  });

  it('credential input errors are 4xx', async () => {
    const app = get().app;
    expect((await app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: 'not-a-jwt' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/credentials/verify', payload: { verifiableCredential: [1, 2] } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/presentations/verify', payload: { verifiablePresentation: 'x' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/credentials/present', payload: { credential: 'x'.repeat(20), disclose: ['a'] } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/credentials/issue', headers: ADMIN, payload: { credential: { '@context': ['x'], issuer: 'in.gov.cbse', credentialSubject: {} } } })).statusCode).toBe(400);
  });
});
