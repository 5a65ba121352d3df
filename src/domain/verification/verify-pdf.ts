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
import { checkDetail } from './check-details.ts';
import { KeyDirectoryUnavailable, type IssuerKey } from './ports.ts';
import { checkKeyStatus, result, Verdict, type VerifyResult } from './verify-result.ts';
import { checkQrJws, claimsToFields, type VerifierDeps } from './verify-qr.ts';

export async function verifyPdf(deps: VerifierDeps, pdf: Buffer): Promise<VerifyResult> {
  const v = new Verdict();
  const sigs = await readPdfSignatures(pdf);
  if (sigs.length === 0) {
    v.unknownIssuer = true;
    v.check('pdf_signature_present', 'failed', 'pdf_signature_present.none');
    return result(v, 'pdf', {});
  }
  if (sigs.length === 1) v.check('pdf_signature_present', 'passed', 'pdf_signature_present.one');
  else v.check('pdf_signature_present', 'passed', 'pdf_signature_present.many', { count: sigs.length });
  // The issuer's signature is the first; any later one would sign a later revision.
  const sig = [...sigs].sort((a, b) => a.revisionEnd - b.revisionEnd)[0]!;

  if (!sig.parsed || (sig.problem && !sig.signerCertificate)) {
    v.tampered = true;
    if (sig.problem !== undefined) v.check('pdf_signature', 'failed', 'pdf_signature.damaged', { problem: sig.problem });
    else v.check('pdf_signature', 'failed', 'pdf_signature.unreadable');
    return result(v, 'pdf', {});
  }
  if (!sig.digestMatches) {
    v.tampered = true;
    v.check('pdf_digest', 'failed', 'pdf_digest.mismatch');
  } else {
    v.check('pdf_digest', 'passed', 'pdf_digest.match');
    if (sig.signatureValid) v.check('pdf_signature', 'passed', 'pdf_signature.valid');
    else {
      v.tampered = true;
      v.check('pdf_signature', 'failed', 'pdf_signature.forged');
    }
  }
  if (sig.coversWholeFile) v.check('pdf_whole_document', 'passed', 'pdf_whole_document.covered');
  else {
    v.tampered = true;
    v.check('pdf_whole_document', 'failed', 'pdf_whole_document.appended');
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
    v.check('issuer_key', 'error', 'issuer_key.directory_down_pdf');
  }
  if (!key && !v.undetermined) {
    v.unknownIssuer = true;
    v.check('issuer_key', 'failed', 'issuer_key.unknown_certificate', { subject: summary.subject });
  }
  if (key) {
    v.check('issuer_key', 'passed', 'issuer_key.certificate_kid', { issuer_name: key.issuerName, issuer_id: key.issuerId, kid: key.kid });
    checkKeyStatus(v, key, signedAt, deps.now());
    const at = signedAt ?? deps.now();
    if (at < summary.notBefore || at > summary.notAfter) {
      v.revoked = true;
      v.check('certificate_validity', 'failed', 'certificate_validity.outside', { not_before: summary.notBefore.toISOString(), not_after: summary.notAfter.toISOString() });
    } else v.check('certificate_validity', 'passed', 'certificate_validity.valid');
    if (key.chain[0]) {
      if (issuedBy(cert, key.chain[0])) v.check('certificate_chain', 'passed', 'certificate_chain.issued_by', { ca_name: describeCertificate(key.chain[0]).commonName });
      else {
        v.tampered = true;
        v.check('certificate_chain', 'failed', 'certificate_chain.broken');
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
    v.check('qr_payload', 'skipped', 'qr_payload.unreadable_attachments');
    return {};
  }
  const qrText = files.get('qr.txt')?.toString('utf8');
  const jws = qrText ? qrTextToJws(qrText) : null;
  if (!jws) {
    v.check('qr_payload', 'skipped', 'qr_payload.absent');
    return {};
  }
  const sub = new Verdict();
  const { claims, key } = await checkQrJws(deps, jws, sub);
  const qrOk = claims && key && sub.status === 'valid';
  if (sub.undetermined) v.undetermined = true;
  if (!qrOk || !claims) {
    if (sub.tampered || sub.unknownIssuer) v.tampered = true;
    if (sub.revoked) v.revoked = true;
    // The QR's own failures explain this one (in the page's language too, sentence by sentence).
    const why = sub.checks.filter((c) => c.result !== 'passed').flatMap((c) => c.detailParts);
    v.checkParts('qr_payload', sub.undetermined ? 'error' : 'failed', why.length ? why : [checkDetail('qr_payload.not_verified')]);
    return {};
  }
  if (key.issuerId !== pdfKey.issuerId) {
    v.tampered = true;
    v.check('qr_payload', 'failed', 'qr_payload.other_issuer', { qr_issuer_id: key.issuerId, pdf_issuer_id: pdfKey.issuerId });
    return {};
  }
  v.check('qr_payload', 'passed', 'qr_payload.same_issuer');
  const xml = files.get('certificate.xml')?.toString('utf8');
  if (xml && pdfKey.certificate) {
    const info = inspectCertificateXml(xml);
    const digest = info?.digest ? Buffer.from(info.digest, 'base64').toString('base64url') : null;
    const sameCert = info?.certificate && crypto.createHash('sha256').update(info.certificate).digest('hex') === pdfKey.certSha256;
    if (!sameCert || !verifyCertificateXml(xml, pdfKey.certificate)) {
      v.tampered = true;
      v.check('xml_signature', 'failed', 'xml_signature.not_issuer');
    } else if (digest !== claims.h) {
      v.tampered = true;
      v.check('xml_signature', 'failed', 'xml_signature.other_document');
    } else v.check('xml_signature', 'passed', 'xml_signature.attached_valid');
  }
  return claimsToFields(claims);
}
