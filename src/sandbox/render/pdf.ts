/** The sandbox's unsigned PDF of a CertificateDocument (pdf-impl.ts); pdf-lib loads on the first render, not at start-up. */
import type { CertificateDocument } from '../../domain/documents/certificate.ts';

export async function renderPdf(doc: CertificateDocument): Promise<Buffer> {
  return (await import('./pdf-impl.ts')).renderPdf(doc);
}
