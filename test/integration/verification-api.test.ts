/**
 * POST /api/v1/verify on every stack: a signed PDF, a photo of the QR code, the QR text;
 * the five statuses (valid, tampered, revoked, unknown issuer, undetermined), verification
 * after a key rotation, and 4xx — never 5xx — for input that cannot be read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CompactSign } from 'jose';
import { expect, it } from 'vitest';
import { verificationDeps } from '../../src/compose/verification.ts';
import { jwsToQrText, qrPng, qrTextToJws } from '../../src/crypto/qr-code.ts';
import { preparePdfForSigning, signPreparedPdf } from '../../src/crypto/signing/pades.ts';
import { createRootCa, issueSigningCertificate } from '../../src/crypto/signing/x509.ts';
import { issueSignedDocument } from '../../src/domain/verification/issue-signed-document.ts';
import { sampleDocument } from '../../src/sandbox/samples/documents.ts';
import { renderCertificatePdf } from '../../src/rendering/certificate-pdf.ts';
import { describeEachStack, randomId, type TestApp } from '../support/app.ts';
import { appendIncrementalUpdate, flipByte, multipart, renderPage, tmpDir, verifyFile } from '../support/verification.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

async function issue(t: TestApp, seed = randomId(), issuer = 'in.gov.cbse', doctype = 'HSCER') {
  const doc = sampleDocument(issuer, doctype, { seed });
  return { doc, signed: await issueSignedDocument(verificationDeps(t.deps), doc) };
}

describeEachStack('verify API', (get) => {
  it('a signed PDF is valid, with its issuer, signing time, checks and the fields its QR vouches for', async () => {
    const { doc, signed } = await issue(get());
    const { code, body } = await verifyFile(get().app, signed.pdf);
    expect(code).toBe(200);
    expect(body).toMatchObject({ status: 'valid', source: 'pdf', issuer_id: 'in.gov.cbse', key_id: signed.certificateKeyId });
    expect(Date.parse(body.signed_at)).toBeGreaterThan(Date.now() - 120_000);
    expect(body.checks.every((c: { result: string }) => c.result === 'passed')).toBe(true);
    expect(body.fields).toMatchObject({ uri: doc.uri, holder_name: doc.holder.name, result: 'PASS' });
  });

  it('the QR text and a photo of the QR are valid; the QR text carries Hindi names byte-exact', async () => {
    const doc = { ...sampleDocument('in.gov.uidai', 'ADHAR', { seed: randomId() }), holder: { name: 'Kiran Yadav', nameHi: 'किरण यादव', dob: '1990-01-02' } };
    const signed = await issueSignedDocument(verificationDeps(get().deps), doc);
    const byText = await get().app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: signed.qrText } });
    expect(byText.json()).toMatchObject({ status: 'valid', source: 'qr', issuer_id: 'in.gov.uidai', key_id: signed.keyId });
    expect(byText.json().fields.holder_name_hi).toBe('किरण यादव');
    const byImage = await verifyFile(get().app, await qrPng(signed.qrText, 4));
    expect(byImage.body.status).toBe('valid');
    // A "photo" of the printed page: rendered at 100 dpi as JPEG.
    const dir = tmpDir();
    try {
      fs.writeFileSync(path.join(dir, 'doc.pdf'), signed.pdf);
      const photo = fs.readFileSync(renderPage(path.join(dir, 'doc.pdf'), 100, 'jpeg'));
      expect((await verifyFile(get().app, photo)).body).toMatchObject({ status: 'valid', source: 'qr' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tampering: a flipped byte, an incremental update, an edited QR, a QR signed with the wrong key', async () => {
    const { signed } = await issue(get());
    expect((await verifyFile(get().app, flipByte(signed.pdf, 1500))).body.status).toBe('tampered');
    expect((await verifyFile(get().app, appendIncrementalUpdate(signed.pdf))).body.status).toBe('tampered');
    const jws = qrTextToJws(signed.qrText)!;
    const [h, p, s] = jws.split('.') as [string, string, string];
    const edited = `${h}.${p.slice(0, 10)}${p[10] === 'A' ? 'B' : 'A'}${p.slice(11)}.${s}`;
    const r1 = await get().app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: jwsToQrText(edited) } });
    expect(r1.json()).toMatchObject({ status: 'tampered', fields: {} });
    // Same kid in the header, signed by another key.
    const other = crypto.generateKeyPairSync('ed25519').privateKey;
    const forged = await new CompactSign(Buffer.from(p, 'base64url')).setProtectedHeader({ alg: 'EdDSA', kid: signed.keyId, zip: 'DEF' }).sign(other);
    const r2 = await get().app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: jwsToQrText(forged) } });
    expect(r2.json().status).toBe('tampered');
  });

  it('unknown issuer: a QR from an unknown key, a PDF signed under another CA, an unsigned PDF', async () => {
    const key = crypto.generateKeyPairSync('ed25519').privateKey;
    const fake = await new CompactSign(Buffer.from('{}')).setProtectedHeader({ alg: 'EdDSA', kid: 'not-a-known-kid' }).sign(key);
    const q = await get().app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: jwsToQrText(fake) } });
    expect(q.json()).toMatchObject({ status: 'unknown_issuer', issuer_id: null, fields: {} });

    const doc = sampleDocument('in.gov.cbse', 'SSCER', { seed: randomId() });
    const ca = createRootCa({ commonName: 'Forger Root', organization: 'Forgers' }, new Date());
    const id = issueSigningCertificate(ca, { commonName: 'Central Board of Secondary Education', organization: 'CBSE' }, new Date());
    const pdfDoc = await renderCertificatePdf(doc, { qrText: 'OL1:/00', verifyUrl: 'http://x/verify', signedXml: '<Certificate/>', now: new Date() });
    const forged = await signPreparedPdf(await preparePdfForSigning(pdfDoc, { name: 'CBSE', reason: 'x', location: 'IN', contactInfo: 'x', signingTime: new Date() }), { key: id.key, certificate: id.certificate, chain: [ca.certificate] });
    const r = await verifyFile(get().app, forged);
    expect(r.body.status).toBe('unknown_issuer');
    expect(r.body.checks.find((c: { id: string }) => c.id === 'pdf_signature')?.result).toBe('passed');
    expect(r.body.fields).toEqual({});

    const unsigned = Buffer.from(await (await renderCertificatePdf(doc, { qrText: 'OL1:/00', verifyUrl: 'http://x/verify', signedXml: '<x/>', now: new Date() })).save());
    expect((await verifyFile(get().app, unsigned)).body.status).toBe('unknown_issuer');
  });

  it('after a key rotation, documents signed before and after both verify; the JWKS lists both keys', async () => {
    const t = get();
    const before = await issue(t, randomId(), 'in.gov.pan', 'PANCR');
    const rot = await t.app.inject({ method: 'POST', url: '/api/v1/admin/issuers/in.gov.pan/keys/rotate', headers: ADMIN });
    expect(rot.statusCode).toBe(200);
    expect(rot.json().retired).toEqual(expect.arrayContaining([before.signed.keyId, before.signed.certificateKeyId]));
    const after = await issue(t, randomId(), 'in.gov.pan', 'PANCR');
    expect(after.signed.keyId).not.toBe(before.signed.keyId);
    for (const s of [before.signed, after.signed]) {
      expect((await verifyFile(t.app, s.pdf)).body.status).toBe('valid');
      const q = await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: s.qrText } });
      expect(q.json().status).toBe('valid');
    }
    const old = await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: before.signed.qrText } });
    expect(old.json().checks.find((c: { id: string }) => c.id === 'key_valid_at_signing').detail).toContain('rotated');
    const jwks = (await t.app.inject({ url: '/issuers/in.gov.pan/jwks.json' })).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual(expect.arrayContaining([before.signed.keyId, after.signed.keyId, before.signed.certificateKeyId]));
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/);
  });

  it('after a key revocation, its documents verify as revoked; the key leaves the JWKS and enters the key log', async () => {
    const t = get();
    const { signed } = await issue(t, randomId(), 'in.gov.up.edistrict', 'CTCER');
    for (const kid of [signed.keyId, signed.certificateKeyId]) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/admin/keys/${kid}/revoke`, headers: ADMIN, payload: { reason: 'key compromise' } });
      expect(res.json()).toMatchObject({ kid, status: 'revoked', revocation_reason: 'key compromise' });
    }
    const pdf = await verifyFile(t.app, signed.pdf);
    expect(pdf.body.status).toBe('revoked');
    expect(pdf.body.checks.find((c: { id: string }) => c.id === 'key_status').result).toBe('failed');
    const q = await t.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: signed.qrText } });
    expect(q.json().status).toBe('revoked');
    const jwks = (await t.app.inject({ url: '/issuers/in.gov.up.edistrict/jwks.json' })).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).not.toContain(signed.keyId);
    const log = (await t.app.inject({ url: '/keys/log?limit=1000' })).json();
    expect(log.entries.filter((e: { event: string; kid: string }) => e.event === 'key_revoked' && e.kid === signed.keyId)).toHaveLength(1);
    // A tampered copy of a document with a revoked key is still reported as tampered first.
    expect((await verifyFile(t.app, flipByte(signed.pdf, 1500))).body.status).toBe('tampered');
    // New documents of that issuer get fresh keys.
    const next = await issue(t, randomId(), 'in.gov.up.edistrict', 'CTCER');
    expect(next.signed.keyId).not.toBe(signed.keyId);
    expect((await verifyFile(t.app, next.signed.pdf)).body.status).toBe('valid');
  });

  it('unreadable input is a 4xx with a stable code and a sentence, never a 5xx', async () => {
    const app = get().app;
    const cases: Array<[string, Awaited<ReturnType<typeof app.inject>>, number, string]> = [
      ['random bytes', await app.inject({ method: 'POST', url: '/api/v1/verify', ...multipart('file', crypto.randomBytes(2000)) }), 415, 'unsupported_file'],
      ['no file and no qr', await app.inject({ method: 'POST', url: '/api/v1/verify', payload: {} }), 400, 'nothing_to_verify'],
      ['empty file', await app.inject({ method: 'POST', url: '/api/v1/verify', ...multipart('file', Buffer.alloc(0)) }), 400, 'nothing_to_verify'],
      ['garbage qr', await app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: 'hello world' } }), 400, 'invalid_qr'],
      ['qr of the wrong type', await app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: 12 } }), 400, 'invalid_request'],
      ['qr digits that decode to nothing', await app.inject({ method: 'POST', url: '/api/v1/verify', payload: { qr: 'OL1:/999999' } }), 400, 'invalid_qr'],
      ['image without a QR', await app.inject({ method: 'POST', url: '/api/v1/verify', ...multipart('file', await qrPngBlank()) }), 400, 'qr_not_found'],
      ['image claiming 100k x 100k pixels', await app.inject({ method: 'POST', url: '/api/v1/verify', ...multipart('file', hugePngHeader()) }), 413, 'image_too_large'],
      ['a PDF that is only a header', await app.inject({ method: 'POST', url: '/api/v1/verify', ...multipart('file', Buffer.from('%PDF-1.7\n%%EOF')) }), 200, ''],
      ['file over the upload limit', await app.inject({ method: 'POST', url: '/api/v1/verify', ...multipart('file', Buffer.alloc(get().deps.config.uploadMaxBytes + 10, 0x25)) }), 413, 'payload_too_large'],
      ['broken JSON', await app.inject({ method: 'POST', url: '/api/v1/verify', headers: { 'content-type': 'application/json' }, payload: '{"qr":' }), 400, 'invalid_json'],
    ];
    for (const [name, res, status, code] of cases) {
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      if (code) {
        expect(res.json().error, name).toBe(code);
        expect(res.json().error_description.length, name).toBeGreaterThan(10);
      }
    }
    expect(cases[8]![1].json().status).toBe('unknown_issuer');
  });
});

async function qrPngBlank(): Promise<Buffer> {
  const { PNG } = await import('pngjs');
  const png = new PNG({ width: 64, height: 64 });
  png.data.fill(255);
  return PNG.sync.write(png);
}

function hugePngHeader(): Buffer {
  const b = Buffer.alloc(64);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(100_000, 16);
  b.writeUInt32BE(100_000, 20);
  return b;
}
