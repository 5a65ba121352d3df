/** Embedded files of a PDF (pdf-attachments-impl.ts); pdf-lib loads on first use, not at start-up. */
export async function readPdfAttachments(pdf: Buffer): Promise<Map<string, Buffer>> {
  return (await import('./pdf-attachments-impl.ts')).readPdfAttachments(pdf);
}
