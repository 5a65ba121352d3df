/**
 * X.509 for document signatures: the sandbox root CA and the issuers' signing
 * certificates under it (node-forge builds and signs the certificates; keys come from
 * node:crypto). Real issuers bring their own certificates; these helpers then only parse.
 *
 * Signing certificates carry keyUsage digitalSignature + nonRepudiation (contentCommitment)
 * and no extendedKeyUsage, which NSS (pdfsig), MuPDF and OpenSSL all accept for document
 * signatures.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';

export interface KeyAndCertificate {
  key: crypto.KeyObject;
  /** DER of the certificate. */
  certificate: Buffer;
}

export interface NameParts {
  commonName: string;
  organization: string;
  organizationalUnit?: string;
}

export function generateRsaKey(bits: 2048 | 3072 = 2048): crypto.KeyObject {
  return crypto.generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
}

function toForgeKeys(key: crypto.KeyObject) {
  const priv = forge.pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.publicKeyFromPem(crypto.createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString());
  return { priv, pub };
}

function forgeName(n: NameParts) {
  return [
    { name: 'countryName', value: 'IN' },
    { name: 'organizationName', value: n.organization },
    ...(n.organizationalUnit ? [{ name: 'organizationalUnitName', value: n.organizationalUnit }] : []),
    { name: 'commonName', value: n.commonName },
  ];
}

function certDer(c: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary');
}

function serial(): string {
  // 16 random bytes, high bit clear so the INTEGER stays positive.
  const b = crypto.randomBytes(16);
  b[0] = b[0]! & 0x7f | 0x10;
  return b.toString('hex');
}

/** A self-signed CA certificate (RSA-3072, SHA-256) valid for `years`. */
export function createRootCa(name: NameParts, now: Date, years = 20): KeyAndCertificate {
  const key = generateRsaKey(3072);
  const { priv, pub } = toForgeKeys(key);
  const c = forge.pki.createCertificate();
  c.publicKey = pub;
  c.serialNumber = serial();
  c.validity.notBefore = new Date(now.getTime() - 5 * 60_000);
  c.validity.notAfter = new Date(now.getTime() + years * 365 * 86_400_000);
  c.setSubject(forgeName(name));
  c.setIssuer(forgeName(name));
  c.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  c.sign(priv, forge.md.sha256.create());
  return { key, certificate: certDer(c) };
}

/** A document-signing certificate for `name`, issued by `ca`, valid for `years`. */
export function issueSigningCertificate(ca: KeyAndCertificate, name: NameParts, now: Date, years = 5): KeyAndCertificate {
  const key = generateRsaKey(2048);
  const { pub } = toForgeKeys(key);
  const caCert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(ca.certificate.toString('binary')));
  const { priv: caPriv } = toForgeKeys(ca.key);
  const c = forge.pki.createCertificate();
  c.publicKey = pub;
  c.serialNumber = serial();
  c.validity.notBefore = new Date(now.getTime() - 5 * 60_000);
  const notAfter = new Date(now.getTime() + years * 365 * 86_400_000);
  c.validity.notAfter = notAfter < caCert.validity.notAfter ? notAfter : caCert.validity.notAfter;
  c.setSubject(forgeName(name));
  c.setIssuer(caCert.subject.attributes);
  c.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  c.sign(caPriv, forge.md.sha256.create());
  return { key, certificate: certDer(c) };
}

export function sha256Hex(der: Buffer): string {
  return crypto.createHash('sha256').update(der).digest('hex');
}

export function derToPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** Every certificate in a PEM bundle, as DER. Throws on anything that is not a certificate. */
export function pemToDers(pem: string): Buffer[] {
  const out: Buffer[] = [];
  for (const m of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    const der = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
    new crypto.X509Certificate(der); // throws if malformed
    out.push(der);
  }
  return out;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
  sha256: string;
  publicKey: crypto.KeyObject;
  isCa: boolean;
}

export function describeCertificate(der: Buffer): CertificateSummary {
  const x = new crypto.X509Certificate(der);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(x.subject)?.[1] ?? x.subject;
  return {
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    commonName: cn,
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    sha256: sha256Hex(der),
    publicKey: x.publicKey,
    isCa: x.ca,
  };
}

/** True when `child` was signed by `parent`'s key and names it as issuer. */
export function issuedBy(child: Buffer, parent: Buffer): boolean {
  const c = new crypto.X509Certificate(child);
  const p = new crypto.X509Certificate(parent);
  return c.checkIssued(p) && c.verify(p.publicKey);
}
