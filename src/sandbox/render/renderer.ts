/**
 * The port between sandbox records and document files. The sandbox builds a
 * `CertificateDocument` and asks a renderer for the files; which renderer is a start-up
 * choice. The interim `unsignedRenderer` (below) draws an unsigned PDF and the certificate
 * XML without a signature; the signing renderer (signed PAdES PDF with QR code, XMLDSig
 * certificate XML, issuer keys) replaces it without any change to the sandbox.
 */
import type { CertificateDocument } from '../../domain/documents/certificate.ts';
import { certificateXml } from '../../rendering/certificate-xml.ts';
import { renderPdf } from './pdf.ts';

export interface RenderedDocument {
  pdf: Buffer;
  /** The DigiLocker certificate XML, or null when the renderer has none for this type. */
  xml: string | null;
}

export interface DocumentRenderer {
  render(doc: CertificateDocument): Promise<RenderedDocument>;
  /**
   * Loads what rendering needs (the PDF libraries load on first use, not at start-up) so
   * the first Pull Doc answers as fast as the rest; the sandbox awaits it before serving.
   */
  warmUp?(): Promise<void>;
}

/** Unsigned PDF (pdf-lib) and unsigned certificate XML (DIGILOCKER-APIS.md §9). */
export function unsignedRenderer(): DocumentRenderer {
  return {
    async render(doc) {
      return { pdf: await renderPdf(doc), xml: certificateXml(doc) };
    },
    async warmUp() {
      await import('./pdf-impl.ts');
    },
  };
}
