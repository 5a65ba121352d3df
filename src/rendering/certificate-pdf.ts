/**
 * Renders a CertificateDocument as a PDF (see certificate-pdf-impl.ts). This facade keeps
 * pdf-lib and fontkit (~1.5 s of module loading) out of start-up: they load on the first
 * render.
 */
import type { PDFDocument } from 'pdf-lib';
import type { CertificateDocument } from '../domain/documents/certificate.ts';
import type { RenderOptions } from './certificate-pdf-impl.ts';

export type { RenderOptions };

export async function renderCertificatePdf(cert: CertificateDocument, opts: RenderOptions): Promise<PDFDocument> {
  return (await import('./certificate-pdf-impl.ts')).renderCertificatePdf(cert, opts);
}
