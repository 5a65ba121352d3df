/**
 * PAdES signing (see pades-impl.ts for how). This facade keeps the PDF libraries
 * (pdf-lib, @signpdf, ~1 s of module loading) out of start-up: they load on the first
 * signature. The OIDs and types live here so verifiers can name them without loading them.
 */
import type crypto from 'node:crypto';
import type { PDFDocument, PDFPage } from 'pdf-lib';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

export interface SigningIdentity {
  key: crypto.KeyObject;
  /** DER of the signing certificate. */
  certificate: Buffer;
  /** DER of the CA certificates above it (included so offline verifiers can build the path). */
  chain: Buffer[];
}

export interface PlaceholderOptions {
  name: string;
  reason: string;
  location: string;
  contactInfo: string;
  signingTime: Date;
  /** Page that holds the (invisible) signature widget; default the first. */
  page?: PDFPage;
}

const impl = () => import('./pades-impl.ts');

/** Builds the DER CMS SignedData over `content` (detached). */
export async function createCadesSignature(content: Buffer, id: SigningIdentity): Promise<Buffer> {
  return (await impl()).createCadesSignature(content, id);
}

/** Adds the signature field and placeholder to `doc` and returns the bytes to sign. */
export async function preparePdfForSigning(doc: PDFDocument, opts: PlaceholderOptions): Promise<Buffer> {
  return (await impl()).preparePdfForSigning(doc, opts);
}

/** Signs a prepared PDF: computes the CMS over its ByteRange and splices it in. */
export async function signPreparedPdf(prepared: Buffer, id: SigningIdentity): Promise<Buffer> {
  return (await impl()).signPreparedPdf(prepared, id);
}
