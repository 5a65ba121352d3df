/**
 * Verifies an uploaded file, whatever it is: a signed PDF, a photo or scan of a QR code
 * (PNG/JPEG), or a certificate XML. The type is sniffed from the content, never taken
 * from the file name or the client's Content-Type.
 */
import crypto from 'node:crypto';
import { readQrCodes } from '../../crypto/qr-image.ts';
import { qrTextToJws } from '../../crypto/qr-code.ts';
import { extractKycRes, inspectCertificateXml, verifyCertificateXml } from '../../crypto/signing/xml-dsig.ts';
import { AppError, invalid } from '../errors.ts';
import { KeyDirectoryUnavailable } from './ports.ts';
import { verifyPdf } from './verify-pdf.ts';
import { checkKeyStatus, result, Verdict, type VerifyResult } from './verify-result.ts';
import { verifyQrText, type VerifierDeps } from './verify-qr.ts';

export type UploadKind = 'pdf' | 'image' | 'xml';

export function sniffUpload(b: Buffer): UploadKind | null {
  const head = b.subarray(0, 1024).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  if ((b[0] === 0x89 && head.startsWith('\x89PNG')) || (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff)) return 'image';
  // A certificate XML, or UIDAI's e-KYC answer taken out of an eAadhaar certificate.
  if (/^\s*(<\?xml[^>]*\?>\s*)?<(Certificate|KycRes)[\s>]/.test(head.replace(/^\uFEFF/, ''))) return 'xml';
  return null;
}

export async function verifyUpload(deps: VerifierDeps, file: Buffer): Promise<VerifyResult> {
  switch (sniffUpload(file)) {
    case 'pdf':
      return verifyPdf(deps, file);
    case 'image':
      return verifyQrImage(deps, file);
    case 'xml':
      return verifyXml(deps, file.toString('utf8'));
    default:
      throw new AppError('unsupported', 'unsupported_file', 'Upload a signed PDF, a photo of the QR code (JPEG or PNG), or a certificate XML.');
  }
}

export async function verifyQrImage(deps: VerifierDeps, image: Buffer): Promise<VerifyResult> {
  const found = await readQrCodes(image);
  if (!found.ok) {
    if (found.reason === 'too_large') throw new AppError('too_large', 'image_too_large', 'The image has too many pixels. Take a closer photo of the QR code, or a smaller one.');
    if (found.reason === 'not_an_image') throw invalid('unreadable_image', 'The image cannot be read. Upload a JPEG or PNG photo of the QR code.');
    throw invalid('qr_not_found', 'No QR code was found in the image. Hold the camera closer, keep the code flat and in focus, and try again.');
  }
  const ours = found.texts.find((t) => qrTextToJws(t));
  if (!ours) throw invalid('invalid_qr', 'The image has a QR code, but not one of a document signed through OpenLocker.');
  return verifyQrText(deps, ours);
}

export async function verifyXml(deps: VerifierDeps, xml: string): Promise<VerifyResult> {
  const info = inspectCertificateXml(xml);
  if (!info?.certificate) throw invalid('invalid_xml', 'The XML carries no enveloped signature with a certificate.');
  const v = new Verdict();
  const sha = crypto.createHash('sha256').update(info.certificate).digest('hex');
  let key = null;
  try {
    key = await deps.directory.findByCertificate(sha);
  } catch (err) {
    if (!(err instanceof KeyDirectoryUnavailable)) throw err;
    v.undetermined = true;
    v.check('issuer_key', 'error', 'issuer_key.directory_down');
  }
  if (!key && !v.undetermined) {
    v.unknownIssuer = true;
    v.check('issuer_key', 'failed', 'issuer_key.unknown_xml');
  }
  const cert = key?.certificate ?? info.certificate;
  if (verifyCertificateXml(xml, cert)) v.check('xml_signature', 'passed', 'xml_signature.valid');
  else {
    v.tampered = true;
    v.check('xml_signature', 'failed', 'xml_signature.changed');
  }
  // An eAadhaar's KycRes signed on its own (as UIDAI signs its e-KYC answer) is checked on its own too.
  const kycRes = extractKycRes(xml);
  if (kycRes && inspectCertificateXml(kycRes)) {
    if (verifyCertificateXml(kycRes, cert)) v.check('kycres_signature', 'passed', 'kycres_signature.valid');
    else {
      v.tampered = true;
      v.check('kycres_signature', 'failed', 'kycres_signature.changed');
    }
  }
  if (key) {
    v.check('issuer_key', 'passed', 'issuer_key.certificate', { issuer_name: key.issuerName, issuer_id: key.issuerId });
    checkKeyStatus(v, key, null, deps.now());
  }
  return result(v, 'xml', { issuer_id: key?.issuerId ?? null, issuer_name: key?.issuerName ?? null, key_id: key?.kid ?? null });
}
