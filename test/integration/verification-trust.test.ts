/**
 * Trust and its failure modes: "undetermined" (never "invalid") when the key directory
 * cannot be consulted, while tampering is still detected; real issuers registering their
 * own certificate and key through the admin API (and everyone else refused); the public
 * key log and sandbox root.
 */
import crypto from 'node:crypto';
import { CompactSign, exportJWK } from 'jose';
import { expect, it } from 'vitest';
import { verificationDeps } from '../../src/compose/verification.ts';
import { jwsToQrText } from '../../src/crypto/qr-code.ts';
import { signQrPayload } from '../../src/crypto/qr-payload.ts';
import { preparePdfForSigning, signPreparedPdf } from '../../src/crypto/signing/pades.ts';
import { createRootCa, derToPem, issueSigningCertificate } from '../../src/crypto/signing/x509.ts';
import { checkKeyLogChain } from '../../src/domain/verification/key-log.ts';
import { issueSignedDocument } from '../../src/domain/verification/issue-signed-document.ts';
import { KeyDirectoryUnavailable, type KeyDirectory } from '../../src/domain/verification/ports.ts';
import { verificationModule } from '../../src/http/routes/verification/index.ts';
import { renderCertificatePdf } from '../../src/rendering/certificate-pdf.ts';
import { certificateXml } from '../../src/rendering/certificate-xml.ts';
import { inspectCertificateXml, signCertificateXml } from '../../src/crypto/signing/xml-dsig.ts';
import { sampleDocument } from '../../src/sandbox/samples/documents.ts';
import { describeEachStack, randomId, startTestApp } from '../support/app.ts';
import { flipByte, verifyFile } from '../support/verification.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

const unreachable: KeyDirectory = {
  findByKid: () => Promise.reject(new KeyDirectoryUnavailable(new Error('connection refused'))),
  findByCertificate: () => Promise.reject(new KeyDirectoryUnavailable(new Error('connection refused'))),
  findByDid: () => Promise.reject(new KeyDirectoryUnavailable(new Error('connection refused'))),
};

it('undetermined when the key directory is unreachable — and a tampered PDF is still reported tampered', async () => {
  const t = await startTestApp({ build: { modules: [verificationModule({ directory: unreachable })] } });
  try {
    const signed = await issueSignedDocument(verificationDeps(t.deps), sampleDocument('in.gov.cbse', 'SPCER', { seed: randomId() }));
    const q = await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: signed.qrText } });
    expect(q.statusCode).toBe(200);
    expect(q.json()).toMatchObject({ status: 'undetermined', fields: {} });
    expect(q.json().checks.find((c: { id: string }) => c.id === 'issuer_key').result).toBe('error');
    const pdf = await verifyFile(t.app, signed.pdf);
    expect(pdf.body.status).toBe('undetermined');
    expect(pdf.body.checks.find((c: { id: string }) => c.id === 'pdf_digest').result).toBe('passed');
    expect((await verifyFile(t.app, flipByte(signed.pdf, 1500))).body.status).toBe('tampered');
  } finally {
    await t.close();
  }
});

it('undetermined when the database itself goes away mid-service (no 5xx)', async () => {
  const t = await startTestApp();
  try {
    const signed = await issueSignedDocument(verificationDeps(t.deps), sampleDocument('in.gov.cbse', 'HPCER', { seed: randomId() }));
    await t.sql.close();
    const q = await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: signed.qrText } });
    expect(q.statusCode).toBe(200);
    expect(q.json().status).toBe('undetermined');
  } finally {
    await t.close().catch(() => {});
  }
});

describeEachStack('issuer trust administration', (get) => {
  it('a real issuer registers its certificate and key; documents it signs itself then verify', async () => {
    const t = get();
    const issuerId = `in.gov.real${randomId()}`;
    const ca = createRootCa({ commonName: 'Real CA', organization: 'Real CA' }, new Date());
    const signer = issueSigningCertificate(ca, { commonName: 'Real Board', organization: 'Real Board' }, new Date());
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const jwk = await exportJWK(publicKey);
    const body = { issuer_name: 'Real Board', certificate_pem: derToPem(signer.certificate) + derToPem(ca.certificate), jwk };
    const denied = [
      await t.app.inject({ method: 'POST', url: `/api/v1/admin/issuers/${issuerId}/keys`, payload: body }),
      await t.app.inject({ method: 'POST', url: `/api/v1/admin/issuers/${issuerId}/keys`, payload: body, headers: { authorization: 'Bearer nope' } }),
    ];
    for (const d of denied) expect(d.statusCode).toBe(401);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/admin/issuers/${issuerId}/keys`, payload: body, headers: ADMIN });
    expect(res.statusCode).toBe(201);
    const keys = res.json().keys as Array<{ kid: string; kind: string; origin: string }>;
    expect(keys.map((k) => [k.kind, k.origin])).toEqual([['x509', 'registered'], ['jws', 'registered']]);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/admin/issuers/${issuerId}/keys`, payload: body, headers: ADMIN });
    expect(again.statusCode).toBe(409);

    // The issuer signs on its own systems; the locker only verifies.
    const doc = { ...sampleDocument('in.gov.cbse', 'SSCER', { seed: randomId() }), issuer: { id: issuerId, name: 'Real Board' }, sandbox: false };
    doc.uri = `${issuerId}-SSCER-${doc.number}`;
    const xml = signCertificateXml(certificateXml(doc), signer.key, signer.certificate);
    const h = Buffer.from(inspectCertificateXml(xml)!.digest!, 'base64').toString('base64url');
    const qrJws = await signQrPayload({ v: 1, iss: issuerId, iat: Math.floor(Date.now() / 1000), u: doc.uri, t: 'SSCER', d: doc.issuedOn, n: doc.holder.name, f: { result: 'PASS' }, h }, privateKey, keys[1]!.kid, 'EdDSA');
    const q = await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: jwsToQrText(qrJws) } });
    expect(q.json()).toMatchObject({ status: 'valid', issuer_id: issuerId, issuer_name: 'Real Board' });
    const pdfDoc = await renderCertificatePdf(doc, { qrText: jwsToQrText(qrJws), verifyUrl: 'http://x/verify', signedXml: xml, now: new Date() });
    const pdf = await signPreparedPdf(await preparePdfForSigning(pdfDoc, { name: 'Real Board', reason: 'issued', location: 'IN', contactInfo: issuerId, signingTime: new Date() }), { key: signer.key, certificate: signer.certificate, chain: [ca.certificate] });
    const v = await verifyFile(t.app, pdf);
    expect(v.body).toMatchObject({ status: 'valid', issuer_id: issuerId });
    // Rotation is for keys the locker made; a real issuer registers a new certificate instead.
    const rot = await t.app.inject({ method: 'POST', url: `/api/v1/admin/issuers/${issuerId}/keys/rotate`, headers: ADMIN });
    expect(rot.json().error).toBe('registered_issuer');
    // Even "signed by the right kid" fails if the key is not that issuer's.
    const stranger = await new CompactSign(Buffer.from('{}')).setProtectedHeader({ alg: 'EdDSA', kid: keys[1]!.kid }).sign(crypto.generateKeyPairSync('ed25519').privateKey);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: jwsToQrText(stranger) } })).json().status).toBe('tampered');
  });

  it('registration refuses private keys, CA certificates, expired or garbage certificates, bad ids', async () => {
    const app = get().app;
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const ca = createRootCa({ commonName: 'CA', organization: 'CA' }, new Date());
    const expiredCa = createRootCa({ commonName: 'Old', organization: 'Old' }, new Date('2001-01-01'), 1);
    const cases: Array<[unknown, string, string]> = [
      [{ issuer_name: 'Example Issuer', jwk: privateKey.export({ format: 'jwk' }) }, 'in.gov.x', 'invalid_jwk'],
      [{ issuer_name: 'Example Issuer', certificate_pem: derToPem(ca.certificate) }, 'in.gov.x', 'invalid_certificate'],
      [{ issuer_name: 'Example Issuer', certificate_pem: derToPem(issueSigningCertificate(expiredCa, { commonName: 'x', organization: 'x' }, new Date('2001-01-01'), 1).certificate) }, 'in.gov.x', 'invalid_certificate'],
      [{ issuer_name: 'Example Issuer', certificate_pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }, 'in.gov.x', 'invalid_certificate'],
      [{ issuer_name: 'Example Issuer' }, 'in.gov.x', 'nothing_to_register'],
      [{ issuer_name: 'Example Issuer', jwk: { kty: 'oct', k: 'AAAA' } }, 'in.gov.x', 'invalid_jwk'],
    ];
    for (const [payload, id, code] of cases) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/admin/issuers/${id}/keys`, payload: payload as object, headers: ADMIN });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json().error).toBe(code);
    }
    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/issuers/BAD ID/keys', payload: { issuer_name: 'Example Issuer' }, headers: ADMIN })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/keys/nokey0000/revoke', payload: { reason: 'test' }, headers: ADMIN })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/v1/admin/keys/nokey0000/revoke', payload: { reason: 'test' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/issuers/in.gov.nobody/jwks.json' })).statusCode).toBe(404);
  });

  it('the key log is public, paged and one valid hash chain; the sandbox root is downloadable as PEM', async () => {
    const t = get();
    await issueSignedDocument(verificationDeps(t.deps), sampleDocument('in.gov.transport', 'DRVLC', { seed: randomId() }));
    const first = (await t.app.inject({ url: '/keys/log?limit=2' })).json();
    expect(first.entries).toHaveLength(2);
    expect(first.more).toBe(true);
    const all = (await t.app.inject({ url: '/keys/log?limit=1000' })).json();
    const records = all.entries.map(({ hash, ...entry }: { hash: string }) => ({ entry, hash }));
    expect(checkKeyLogChain(records).ok).toBe(true);
    expect(all.entries.filter((e: { event: string }) => e.event === 'anchor_added')).toHaveLength(1);
    const pem = await t.app.inject({ url: '/keys/sandbox-root.pem' });
    expect(pem.statusCode).toBe(200);
    expect(pem.body).toContain('BEGIN CERTIFICATE');
    expect(new crypto.X509Certificate(pem.body).ca).toBe(true);
    expect((await t.app.inject({ url: '/keys/log?limit=0' })).statusCode).toBe(400);
  });
});
