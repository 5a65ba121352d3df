/**
 * XMLDSig enveloped signatures over the certificate XML (xml-crypto): RSA-SHA256 over
 * exclusive-C14N SignedInfo, one Reference to the whole document (URI="") with the
 * enveloped-signature and exc-C14N transforms and a SHA-256 digest, and the signer's
 * certificate in KeyInfo/X509Data — the layout DigiLocker's XMLFormatSchema describes.
 *
 * Verification trusts only the certificate it is given (from the key directory), never
 * the one in KeyInfo, and accepts only a signature whose single reference covers the
 * whole document (no wrapping attacks).
 */
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type crypto from 'node:crypto';
import { derToPem } from './x509.ts';

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

export function signCertificateXml(xml: string, key: crypto.KeyObject, certificate: Buffer): string {
  const sig = new SignedXml({
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }),
    publicCert: derToPem(certificate),
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({
    xpath: '/*',
    isEmptyUri: true,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
  });
  sig.computeSignature(xml, { location: { reference: '/*', action: 'append' } });
  return sig.getSignedXml();
}

export interface XmlSignatureInfo {
  /** DER of the certificate in KeyInfo/X509Data (to look up in the key directory). */
  certificate: Buffer | null;
  /** base64 SHA-256 reference digest (the document hash the QR code carries). */
  digest: string | null;
}

/** The root element, or null for XML that does not parse. */
function parseRoot(xml: string) {
  try {
    // xmldom 0.9 throws on fatal errors (unclosed tags…): malformed XML is simply "no signature".
    return new DOMParser({ onError: () => {} }).parseFromString(xml, 'text/xml').documentElement ?? null;
  } catch {
    return null;
  }
}

function parse(xml: string) {
  const root = parseRoot(xml);
  if (!root) return null;
  const sigs = Array.from(root.childNodes as unknown as ArrayLike<Element>).filter((n) => n.nodeType === 1 && n.localName === 'Signature' && n.namespaceURI === DSIG_NS);
  return { root, signature: sigs.length === 1 ? sigs[0]! : null };
}

/** Reads the KeyInfo certificate and the reference digest, without verifying. */
export function inspectCertificateXml(xml: string): XmlSignatureInfo | null {
  const p = parse(xml);
  if (!p?.signature) return null;
  const certText = p.signature.getElementsByTagNameNS(DSIG_NS, 'X509Certificate')[0]?.textContent ?? null;
  const digest = p.signature.getElementsByTagNameNS(DSIG_NS, 'DigestValue')[0]?.textContent?.trim() ?? null;
  return { certificate: certText ? Buffer.from(certText.replace(/\s+/g, ''), 'base64') : null, digest };
}

/** True when the enveloped signature is valid under `certificate` and covers the whole document. */
export function verifyCertificateXml(xml: string, certificate: Buffer): boolean {
  const p = parse(xml);
  if (!p?.signature) return false;
  try {
    const sig = new SignedXml({ publicCert: derToPem(certificate), getCertFromKeyInfo: () => null });
    sig.loadSignature(p.signature);
    if (!sig.checkSignature(xml)) return false;
    const refs = sig.getSignedReferences();
    return refs.length === 1 && sig.getReferences().every((r) => r.uri === '' || r.uri === undefined);
  } catch {
    return false;
  }
}

/**
 * The eAadhaar's `KycRes` as a document of its own (UIDAI signs its e-KYC answer that way:
 * root `KycRes`, enveloped signature over `URI=""`), taken out of a certificate XML
 * (`Certificate/CertificateData/KycRes`); null when there is none. Check it with
 * verifyCertificateXml and UIDAI's certificate.
 */
export function extractKycRes(xml: string): string | null {
  const root = parseRoot(xml);
  if (root?.localName !== 'Certificate') return null;
  const kyc = root.getElementsByTagName('CertificateData')[0]?.getElementsByTagName('KycRes')[0];
  return kyc ? new XMLSerializer().serializeToString(kyc) : null;
}
