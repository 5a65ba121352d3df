/**
 * Verifies a signed PDF:
 *   1. a signature is present and well-formed, and covers the whole file (nothing was
 *      appended after signing — an incremental update is a change);
 *   2. the CMS message digest matches the signed bytes and the signer's signature holds
 *      (these need no directory: tampering is detected even when the directory is down);
 *   3. the signing certificate belongs to a known issuer key, not revoked, valid at the
 *      signing time (/M), and chains to the certificate above it;
 *   4. the attached QR payload and certificate XML verify and agree with each other.
 */
import crypto from 'node:crypto';
import { qrTextToJws } from '../../crypto/qr-code.ts';
import { readPdfAttachments } from '../../crypto/signing/pdf-attachments.ts';
import { readPdfSignatures } from '../../crypto/signing/pdf-signature.ts';
import { describeCertificate, issuedBy } from '../../crypto/signing/x509.ts';
import { inspectCertificateXml, verifyCertificateXml } from '../../crypto/signing/xml-dsig.ts';
import { KeyDirectoryUnavailable, type IssuerKey } from './ports.ts';
import { checkKeyStatus, result, Verdict, type VerifyResult } from './verify-result.ts';
import { checkQrJws, claimsToFields, type VerifierDeps } from './verify-qr.ts';

export async function verifyPdf(deps: VerifierDeps, pdf: Buffer): Promise<VerifyResult> {
  const v = new Verdict();
  const sigs = await readPdfSignatures(pdf);
  if (sigs.length === 0) {
    v.unknownIssuer = true;
    v.check('pdf_signature_present', 'failed', 'The PDF carries no digital signature.');
    return result(v, 'pdf', {});
  }
  v.check('pdf_signature_present', 'passed', sigs.length === 1 ? 'The PDF carries one digital signature.' : `The PDF carries ${sigs.length} digital signatures.`);
  // The issuer's signature is the first; any later one would sign a later revision.
  const sig = [...sigs].sort((a, b) => a.revisionEnd - b.revisionEnd)[0]!;

  if (!sig.parsed || (sig.problem && !sig.signerCertificate)) {
    v.tampered = true;
    v.check('pdf_signature', 'failed', `The signature is damaged: ${sig.problem ?? 'unreadable'}.`);
    return result(v, 'pdf', {});
  }
  if (!sig.digestMatches) {
    v.tampered = true;
    v.check('pdf_digest', 'failed', 'The signed content was changed after signing (digest mismatch).');
  } else {
    v.check('pdf_digest', 'passed', 'The signed content is exactly what was signed.');
    if (sig.signatureValid) v.check('pdf_signature', 'passed', 'The signature over the content is valid.');
    else {
      v.tampered = true;
      v.check('pdf_signature', 'failed', 'The signature does not match its certificate: it is forged or damaged.');
    }
  }
  if (sig.coversWholeFile) v.check('pdf_whole_document', 'passed', 'The signature covers the whole file.');
  else {
    v.tampered = true;
    v.check('pdf_whole_document', 'failed', 'Content was added to the file after it was signed (an incremental update or appended data).');
  }
  const signedAt = sig.signingTime;
  const cert = sig.signerCertificate!;
  const summary = describeCertificate(cert);

  let key: IssuerKey | null = null;
  try {
    key = await deps.directory.findByCertificate(summary.sha256);
  } catch (err) {
    if (!(err instanceof KeyDirectoryUnavailable)) throw err;
    v.undetermined = true;
    v.check('issuer_key', 'error', 'The issuer key directory could not be consulted, so the signer cannot be confirmed now. Try again later.');
  }
  if (!key && !v.undetermined) {
    v.unknownIssuer = true;
    v.check('issuer_key', 'failed', `The signing certificate (${summary.subject}) belongs to no issuer known to this locker.`);
  }
  if (key) {
    v.check('issuer_key', 'passed', `Signed with the certificate of ${key.issuerName} (${key.issuerId}), key ${key.kid}.`);
    checkKeyStatus(v, key, signedAt, deps.now());
    const at = signedAt ?? deps.now();
    if (at < summary.notBefore || at > summary.notAfter) {
      v.revoked = true;
      v.check('certificate_validity', 'failed', `The certificate was valid from ${summary.notBefore.toISOString()} to ${summary.notAfter.toISOString()}, not at the signing time.`);
    } else v.check('certificate_validity', 'passed', 'The certificate was valid at the signing time.');
    if (key.chain[0]) {
      if (issuedBy(cert, key.chain[0])) v.check('certificate_chain', 'passed', `The certificate was issued by ${describeCertificate(key.chain[0]).commonName}.`);
      else {
        v.tampered = true;
        v.check('certificate_chain', 'failed', 'The certificate does not chain to its registered issuing CA.');
      }
    }
  }

  let fields: Record<string, string> = {};
  if (!v.tampered && key) fields = await checkAttachments(deps, pdf.subarray(0, sig.revisionEnd), key, v);
  return result(v, 'pdf', {
    issuer_id: key?.issuerId ?? null,
    issuer_name: key?.issuerName ?? summary.commonName,
    signed_at: signedAt?.toISOString() ?? null,
    key_id: key?.kid ?? null,
    fields,
  });
}

/** The QR text and certificate XML the issuer attached, checked against each other. */
async function checkAttachments(deps: VerifierDeps, signedRevision: Buffer, pdfKey: IssuerKey, v: Verdict): Promise<Record<string, string>> {
  let files: Map<string, Buffer>;
  try {
    files = await readPdfAttachments(signedRevision);
  } catch {
    v.check('qr_payload', 'skipped', 'The attachments of the PDF could not be read.');
    return {};
  }
  const qrText = files.get('qr.txt')?.toString('utf8');
  const jws = qrText ? qrTextToJws(qrText) : null;
  if (!jws) {
    v.check('qr_payload', 'skipped', 'The PDF has no attached QR payload; its signature alone vouches for it.');
    return {};
  }
  const sub = new Verdict();
  const { claims, key } = await checkQrJws(deps, jws, sub);
  const qrOk = claims && key && sub.status === 'valid';
  if (sub.undetermined) v.undetermined = true;
  if (!qrOk || !claims) {
    if (sub.tampered || sub.unknownIssuer) v.tampered = true;
    if (sub.revoked) v.revoked = true;
    v.check('qr_payload', sub.undetermined ? 'error' : 'failed', sub.checks.filter((c) => c.result !== 'passed').map((c) => c.detail).join(' ') || 'The QR payload does not verify.');
    return {};
  }
  if (key.issuerId !== pdfKey.issuerId) {
    v.tampered = true;
    v.check('qr_payload', 'failed', `The QR code was signed by ${key.issuerId}, the PDF by ${pdfKey.issuerId}.`);
    return {};
  }
  v.check('qr_payload', 'passed', 'The QR code printed on the document is signed by the same issuer.');
  const xml = files.get('certificate.xml')?.toString('utf8');
  if (xml && pdfKey.certificate) {
    const info = inspectCertificateXml(xml);
    const digest = info?.digest ? Buffer.from(info.digest, 'base64').toString('base64url') : null;
    const sameCert = info?.certificate && crypto.createHash('sha256').update(info.certificate).digest('hex') === pdfKey.certSha256;
    if (!sameCert || !verifyCertificateXml(xml, pdfKey.certificate)) {
      v.tampered = true;
      v.check('xml_signature', 'failed', 'The attached certificate XML does not carry a valid signature of this issuer.');
    } else if (digest !== claims.h) {
      v.tampered = true;
      v.check('xml_signature', 'failed', 'The attached certificate XML is not the document the QR code vouches for.');
    } else v.check('xml_signature', 'passed', 'The attached certificate XML is signed by the issuer and matches the QR code.');
  }
  return claimsToFields(claims);
}
