/**
 * Issues a document: renders its PDF with the QR code, and signs the QR payload (Ed25519
 * JWS), the certificate XML (XMLDSig) and the PDF (PAdES B-B) with the issuer's current
 * keys — created on first use, under the sandbox root CA, for sandbox issuers.
 *
 * The QR payload carries the XMLDSig reference digest of the certificate XML as the
 * document hash; the PDF carries the signed XML and the QR text as attachments. So each
 * artefact checks on its own, and together they check against each other.
 */
import type { CertificateDocument } from '../documents/certificate.ts';
import { splitDocumentUri } from '../documents/certificate.ts';
import { jwsToQrText } from '../../crypto/qr-code.ts';
import { signQrPayload, type QrClaims } from '../../crypto/qr-payload.ts';
import { preparePdfForSigning, signPreparedPdf } from '../../crypto/signing/pades.ts';
import { inspectCertificateXml, signCertificateXml } from '../../crypto/signing/xml-dsig.ts';
import { certificateXml } from '../../rendering/certificate-xml.ts';
import { renderCertificatePdf } from '../../rendering/certificate-pdf.ts';
import { invalid } from '../errors.ts';
import type { VerificationDeps } from './deps.ts';
import { signingKeysFor } from './issuer-keys.ts';

export interface SignedDocument {
  /** The signed PDF (PAdES B-B, ETSI.CAdES.detached). */
  pdf: Buffer;
  /** The certificate XML with its enveloped XMLDSig signature. */
  xml: string;
  /** The text of the QR code printed on the PDF (`OL1:/…`). */
  qrText: string;
  /** Key id of the JWS key that signed the QR payload. */
  keyId: string;
  /** Key id of the X.509 key that signed the PDF and the XML. */
  certificateKeyId: string;
}

function validate(doc: CertificateDocument): void {
  const parts = splitDocumentUri(doc.uri);
  if (!parts || !doc.uri.startsWith(`${doc.issuer.id}-${doc.doctype}-`)) {
    throw invalid('invalid_uri', `The document URI ${doc.uri} must be ${doc.issuer.id}-${doc.doctype}-<document id>.`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(doc.issuedOn)) throw invalid('invalid_document', 'issuedOn must be a date written YYYY-MM-DD.');
  if (!doc.holder.name.trim()) throw invalid('invalid_document', 'The holder needs a name.');
  if (doc.fields.some((f) => !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(f.key))) throw invalid('invalid_document', 'Field keys must be short identifiers (letters, digits, _).');
}

export async function issueSignedDocument(deps: VerificationDeps, doc: CertificateDocument): Promise<SignedDocument> {
  validate(doc);
  const keys = await signingKeysFor(deps, { id: doc.issuer.id, name: doc.issuer.name, sandbox: doc.sandbox === true });
  const now = deps.clock.now();

  const sign = (x: string) => signCertificateXml(x, keys.x509.key, keys.x509.certificate);
  // The eAadhaar's KycRes is signed on its own too (UIDAI's signature), then the whole certificate.
  const xml = sign(certificateXml(doc, { signKycRes: sign }));
  const digest = inspectCertificateXml(xml)?.digest;
  if (!digest) throw new Error('the signed XML has no reference digest');

  const claims: QrClaims = {
    v: 1,
    iss: doc.issuer.id,
    iat: Math.floor(now.getTime() / 1000),
    u: doc.uri,
    t: doc.doctype,
    d: doc.issuedOn,
    n: doc.holder.name,
    ...(doc.holder.nameHi ? { nh: doc.holder.nameHi } : {}),
    f: Object.fromEntries(doc.fields.filter((f) => f.inQr).map((f) => [f.key, f.value])),
    h: Buffer.from(digest, 'base64').toString('base64url'),
  };
  const jws = await signQrPayload(claims, keys.jws.key, keys.jws.kid, keys.jws.alg);
  const qrText = jwsToQrText(jws);

  const pdfDoc = await renderCertificatePdf(doc, { qrText, verifyUrl: `${deps.publicUrl}/verify`, signedXml: xml, now });
  const prepared = await preparePdfForSigning(pdfDoc, {
    name: doc.issuer.name,
    reason: `Issued: ${doc.title} ${doc.number}`,
    location: 'IN',
    contactInfo: doc.issuer.id,
    signingTime: now,
  });
  const pdf = await signPreparedPdf(prepared, keys.x509);
  return { pdf, xml, qrText, keyId: keys.jws.kid, certificateKeyId: keys.x509.kid };
}
