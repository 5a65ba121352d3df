/**
 * Embedded files of a PDF (the EmbeddedFiles name tree), read with pdf-lib. Used on the
 * signed revision only, after its signature has been checked, so what comes out is what
 * the issuer signed.
 */
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString } from 'pdf-lib';

const MAX_ATTACHMENT = 2 * 1024 * 1024;

export async function readPdfAttachments(pdf: Buffer): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const doc = await PDFDocument.load(pdf, { ignoreEncryption: false, updateMetadata: false, throwOnInvalidObject: false });
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const ef = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const visit = (node: PDFDict | undefined, depth: number) => {
    if (!node || depth > 8) return;
    const arr = node.lookupMaybe(PDFName.of('Names'), PDFArray);
    for (let i = 0; arr && i + 1 < arr.size(); i += 2) {
      const name = arr.lookup(i);
      const spec = arr.lookupMaybe(i + 1, PDFDict);
      const file = spec?.lookupMaybe(PDFName.of('EF'), PDFDict)?.lookup(PDFName.of('F'));
      if (!(file instanceof PDFRawStream) || !(name instanceof PDFString || name instanceof PDFHexString)) continue;
      const bytes = Buffer.from(decodePDFRawStream(file).decode());
      if (bytes.length <= MAX_ATTACHMENT) out.set(name.decodeText(), bytes);
    }
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
    for (let i = 0; kids && i < kids.size(); i++) visit(kids.lookupMaybe(i, PDFDict), depth + 1);
  };
  visit(ef, 0);
  return out;
}
