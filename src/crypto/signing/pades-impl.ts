/**
 * PAdES baseline B-B signatures for PDFs: a detached CMS SignedData (pkijs) whose signed
 * attributes are exactly contentType, messageDigest and ESS signing-certificate-v2 — no
 * signingTime, which PAdES forbids (the time lives in the signature dictionary's /M).
 * @signpdf places the ByteRange/Contents placeholder and splices the CMS in; pdfsig,
 * `mutool sign -v` and `openssl cms -verify` accept the result.
 */
import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { PDFDocument } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';

import { OID, type PlaceholderOptions, type SigningIdentity } from './pades.ts';

const ab = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Builds the DER CMS SignedData over `content` (detached). */
export async function createCadesSignature(content: Buffer, id: SigningIdentity): Promise<Buffer> {
  const cert = pkijs.Certificate.fromBER(ab(id.certificate));
  const digest = crypto.createHash('sha256').update(content).digest();
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      // hashAlgorithm omitted: DEFAULT sha256.
      new asn1js.OctetString({ valueHex: ab(crypto.createHash('sha256').update(id.certificate).digest()) }),
      new asn1js.Sequence({
        value: [new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }).toSchema(), cert.serialNumber],
      }),
    ],
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
            new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(digest) })] }),
            new pkijs.Attribute({ type: OID.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })] }),
          ],
        }),
      }),
    ],
    certificates: [cert, ...id.chain.map((d) => pkijs.Certificate.fromBER(ab(d)))],
  });
  const webKey = await crypto.webcrypto.subtle.importKey(
    'pkcs8',
    id.key.export({ type: 'pkcs8', format: 'der' }),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  await signedData.sign(webKey, 0, 'SHA-256');
  const ci = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return Buffer.from(ci.toSchema().toBER(false));
}

class PadesSigner extends Signer {
  constructor(private readonly id: SigningIdentity) {
    super();
  }
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return createCadesSignature(pdfBuffer, this.id);
  }
}

/** Bytes reserved for the CMS: an RSA-2048 signature with a two-certificate chain needs ~3.5 KB. */
const SIGNATURE_LENGTH = 16_384;

/** Adds the signature field and placeholder to `doc` and returns the bytes to sign. */
export async function preparePdfForSigning(doc: PDFDocument, opts: PlaceholderOptions): Promise<Buffer> {
  pdflibAddPlaceholder({
    pdfDoc: doc,
    ...(opts.page ? { pdfPage: opts.page } : {}),
    reason: opts.reason,
    contactInfo: opts.contactInfo,
    name: opts.name,
    location: opts.location,
    signingTime: opts.signingTime,
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'OpenLocker',
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** Signs a PDF prepared by `preparePdfForSigning`. */
export async function signPreparedPdf(prepared: Buffer, id: SigningIdentity): Promise<Buffer> {
  return new SignPdf().sign(prepared, new PadesSigner(id));
}
