/**
 * Signed documents checked by anyone, with standard tools: pdfsig (poppler/NSS),
 * `mutool sign -v` (MuPDF) and `openssl cms -verify` accept sandbox PDFs as valid and
 * trusted under the sandbox root, and report a flipped byte and an incremental update
 * after signing. pdfsig exits 0 even on a digest mismatch, so its text is read.
 * The QR code rendered from the PDF decodes with zbarimg and ZXing to the exact signed
 * text, Hindi names intact; pdftotext extracts the Hindi name as correct Unicode.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBarcodes, prepareZXingModule } from 'zxing-wasm/reader';
import type { CertificateDocument } from '../../src/domain/documents/certificate.ts';
import { issueSignedDocument, type SignedDocument } from '../../src/domain/verification/issue-signed-document.ts';
import { verifyPdf } from '../../src/domain/verification/verify-pdf.ts';
import { verifyQrText } from '../../src/domain/verification/verify-qr.ts';
import { renderCertificatePdf } from '../../src/rendering/certificate-pdf.ts';
import { SANDBOX_ISSUERS, sampleDocument } from '../../src/sandbox/samples/documents.ts';
import { openTestSqlStore, type TestSqlStore } from '../support/sql.ts';
import { appendIncrementalUpdate, extractSignature, flipByte, nssDbTrusting, renderPage, sandboxRootPem, tmpDir, tool, verificationDepsFor } from '../support/verification.ts';

const require = createRequire(import.meta.url);
const jsQRExport = require('jsqr') as { default?: unknown };
const jsQR = (jsQRExport.default ?? jsQRExport) as typeof import('jsqr').default;
prepareZXingModule({ overrides: { wasmBinary: fs.readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')) as unknown as ArrayBuffer } });

describe('signed PDFs under standard tools', () => {
  let sql: TestSqlStore;
  let dir: string;
  let doc: CertificateDocument;
  let signed: SignedDocument;
  let pdfPath: string;
  let rootPem: string;
  const deps = () => verificationDepsFor(sql);
  const verifier = () => ({ directory: deps().keys, now: () => new Date() });

  beforeAll(async () => {
    sql = await openTestSqlStore('sqlite');
    dir = tmpDir();
    // A Hindi holder name: seed chosen so the sample person is अनन्या शर्मा.
    doc = { ...sampleDocument('in.gov.cbse', 'HSCER', { seed: 'pdf-tools' }), holder: { name: 'Ananya Sharma', nameHi: 'अनन्या शर्मा', dob: '2007-03-14', gender: 'F' } };
    signed = await issueSignedDocument(deps(), doc);
    pdfPath = path.join(dir, 'marksheet.pdf');
    fs.writeFileSync(pdfPath, signed.pdf);
    rootPem = await sandboxRootPem(deps());
    fs.writeFileSync(path.join(dir, 'root.pem'), rootPem);
  });
  afterAll(async () => {
    await sql?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pdfsig: valid, whole document signed, PAdES subfilter; trusted once the sandbox root is', () => {
    const plain = tool('pdfsig', [pdfPath]).out;
    expect(plain).toContain('Signature Validation: Signature is Valid.');
    expect(plain).toContain('Total document signed');
    expect(plain).toContain('Signature Type: ETSI.CAdES.detached');
    expect(plain).toContain('Certificate issuer isn\'t Trusted');
    const trusted = tool('pdfsig', ['-nssdir', `sql:${nssDbTrusting(rootPem)}`, pdfPath]).out;
    expect(trusted).toContain('Signature Validation: Signature is Valid.');
    expect(trusted).toContain('Certificate Validation: Certificate is Trusted.');
  });

  it('mutool sign -v: unchanged since signing', () => {
    const r = tool('mutool', ['sign', '-v', pdfPath]).out;
    expect(r).toContain('The document is unchanged since signing.');
  });

  it('openssl cms -verify: the CMS verifies the signed ranges under the sandbox root, and is PAdES B-B (no signingTime, ESS signing-certificate-v2)', () => {
    const { content, cms } = extractSignature(signed.pdf);
    fs.writeFileSync(path.join(dir, 'content.bin'), content);
    fs.writeFileSync(path.join(dir, 'sig.der'), cms);
    const ok = tool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-content', 'content.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
    expect(ok.out).toContain('Verification successful');
    expect(ok.code).toBe(0);
    const printed = tool('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'sig.der'], { cwd: dir }).out;
    expect(printed).toMatch(/signingCertificateV2|id-smime-aa-signingCertificateV2/);
    expect(printed).not.toMatch(/object: signingTime/);
    // A different root refuses it: the trust is real, not "any certificate".
    fs.writeFileSync(path.join(dir, 'other.pem'), tool('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=Other', '-days', '1']).out.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0]);
    const other = tool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-content', 'content.bin', '-CAfile', 'other.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
    expect(other.code).not.toBe(0);
  });

  it('a one-byte change inside the signed range: every tool and our verifier say so', async () => {
    const [, l1] = extractSignature(signed.pdf).byteRange as [number, number, number, number];
    const bad = flipByte(signed.pdf, Math.floor(l1 / 2));
    const badPath = path.join(dir, 'flipped.pdf');
    fs.writeFileSync(badPath, bad);
    expect(tool('pdfsig', [badPath]).out).toContain('Digest Mismatch');
    expect(tool('mutool', ['sign', '-v', badPath]).out).toMatch(/invalidated by change|altered/i);
    const { content, cms } = extractSignature(bad);
    fs.writeFileSync(path.join(dir, 'bad-content.bin'), content);
    fs.writeFileSync(path.join(dir, 'bad-sig.der'), cms);
    const o = tool('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'bad-sig.der', '-content', 'bad-content.bin', '-CAfile', 'root.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
    expect(o.code).not.toBe(0);
    expect(o.out).toMatch(/digest failure|verification failure/i);
    const r = await verifyPdf(verifier(), bad);
    expect(r.status).toBe('tampered');
    expect(r.checks.find((c) => c.id === 'pdf_digest')?.result).toBe('failed');
    expect(r.fields).toEqual({});
  });

  it('an incremental update after signing: pdfsig "Not total document signed", mutool "edits since signing", ours tampered', async () => {
    const updated = appendIncrementalUpdate(signed.pdf);
    const p = path.join(dir, 'updated.pdf');
    fs.writeFileSync(p, updated);
    expect(tool('pdfinfo', [p]).out).toContain('Changed after signing');
    const ps = tool('pdfsig', [p]).out;
    expect(ps).toContain('Not total document signed');
    expect(tool('mutool', ['sign', '-v', p]).out).toContain('there have been edits since signing');
    const r = await verifyPdf(verifier(), updated);
    expect(r.status).toBe('tampered');
    expect(r.checks.find((c) => c.id === 'pdf_whole_document')?.result).toBe('failed');
  });

  it('pdftotext extracts the Hindi name and title as exact Unicode', () => {
    const text = tool('pdftotext', [pdfPath, '-']).out;
    expect(text).toContain('अनन्या शर्मा');
    expect(text).toContain(doc.titleHi!);
    expect(text).toContain(doc.uri);
  });

  it('the QR code is drawn seamlessly: a payload zbar misread at 150 dpi (when each module was its own rectangle) decodes exactly at 100–300 dpi', async () => {
    const qrText = fs.readFileSync(path.join(import.meta.dirname, '..', 'support', 'fixtures', 'qr-misread-at-150dpi.txt'), 'utf8').trim();
    const pdf = await renderCertificatePdf(doc, { qrText, verifyUrl: 'http://127.0.0.1/verify', signedXml: '<Certificate/>', now: new Date() });
    const p = path.join(dir, 'misread.pdf');
    fs.writeFileSync(p, await pdf.save());
    for (const dpi of [100, 150, 200, 300]) {
      const z = tool('zbarimg', ['-q', '--raw', '-Sbinary', renderPage(p, dpi)]);
      expect(z.stdout.trim(), `${dpi} dpi`).toBe(qrText);
    }
  });

  it('the QR code rendered from the PDF decodes with zbarimg and ZXing (and jsQR) to the signed text, Hindi name intact', async () => {
    const png = renderPage(pdfPath, 150);
    const z = tool('zbarimg', ['-q', '--raw', '-Sbinary', png]);
    expect(z.stdout.trim()).toBe(signed.qrText);
    const zx = await readBarcodes(new Uint8Array(fs.readFileSync(png)), { formats: ['QRCode'], tryHarder: true });
    expect(zx.map((x) => x.text)).toContain(signed.qrText);
    const img = PNG.sync.read(fs.readFileSync(png));
    expect(jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data).toBe(signed.qrText);
    const r = await verifyQrText(verifier(), z.stdout.trim());
    expect(r.status).toBe('valid');
    expect(r.fields.holder_name_hi).toBe('अनन्या शर्मा');
    expect(Buffer.from(r.fields.holder_name_hi!, 'utf8')).toEqual(Buffer.from('अनन्या शर्मा', 'utf8'));
  });

  it('the QR code still decodes from a 100 dpi JPEG (a phone photo of a printout is no sharper)', () => {
    const jpg = renderPage(pdfPath, 100, 'jpeg');
    expect(tool('zbarimg', ['-q', '--raw', '-Sbinary', jpg]).stdout.trim()).toBe(signed.qrText);
  });

  it('every sandbox document type issues a PDF that pdfsig and our verifier accept', async () => {
    for (const issuer of SANDBOX_ISSUERS) {
      for (const doctype of Object.keys(issuer.doctypes)) {
        const s = await issueSignedDocument(deps(), sampleDocument(issuer.id, doctype, { seed: `all-${doctype}` }));
        const p = path.join(dir, `${doctype}.pdf`);
        fs.writeFileSync(p, s.pdf);
        expect(tool('pdfsig', [p]).out, `${issuer.id} ${doctype}`).toContain('Signature is Valid.');
        const r = await verifyPdf(verifier(), s.pdf);
        expect(r.status, `${issuer.id} ${doctype}: ${JSON.stringify(r.checks)}`).toBe('valid');
        expect(r.issuer_id).toBe(issuer.id);
        expect(r.fields.doctype).toBe(doctype);
      }
    }
  }, 120_000);
});
