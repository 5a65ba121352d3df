/**
 * An unsigned but decent A4 PDF of a CertificateDocument (pdf-lib, standard fonts): issuer
 * band, title, holder with photo, key facts, tables, and the URI — with a SANDBOX banner and
 * watermark on synthetic documents. Text outside the standard fonts' character set (Hindi,
 * ₹) is transliterated or replaced, because standard PDF fonts cannot shape Devanagari;
 * the certificate XML carries the full text.
 */
import { degrees, PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { CertificateDocument } from '../../domain/documents/certificate.ts';

const A4: [number, number] = [595.28, 841.89];
const M = 48;
const INK = rgb(0.11, 0.12, 0.14);
const MUTED = rgb(0.3, 0.33, 0.38);
const BRAND = rgb(0.04, 0.31, 0.54);
const RED = rgb(0.7, 0.09, 0.1);

const GENDERS = { M: 'Male', F: 'Female', T: 'Transgender' } as const;
const dmy = (iso: string | undefined) => (iso ? iso.split('-').reverse().join('-') : '');

export async function renderPdf(doc: CertificateDocument): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${doc.title} — ${doc.holder.name}`);
  pdf.setAuthor(doc.issuer.name);
  pdf.setSubject(doc.uri);
  pdf.setProducer('OpenLocker sandbox (unsigned rendering)');
  pdf.setCreationDate(new Date(`${doc.issuedOn}T00:00:00Z`));
  pdf.setModificationDate(new Date(`${doc.issuedOn}T00:00:00Z`));
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const charset = new Set(regular.getCharacterSet());
  const clean = (s: string) =>
    [...s.replace(/₹/g, 'Rs.')]
      .map((c) => (charset.has(c.codePointAt(0)!) ? c : c === '\n' ? ' ' : '?'))
      .join('')
      .replace(/\?{2,}/g, '?');

  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - M;
  const width = A4[0] - 2 * M;

  const decorate = (p: PDFPage) => {
    if (!doc.sandbox) return;
    p.drawText('SANDBOX', { x: 130, y: 250, size: 110, font: bold, color: RED, opacity: 0.08, rotate: degrees(45) });
  };
  decorate(page);
  const ensure = (needed: number) => {
    if (y - needed >= M + 40) return;
    page = pdf.addPage(A4);
    decorate(page);
    y = A4[1] - M;
  };
  const wrap = (text: string, font: PDFFont, size: number, max: number): string[] => {
    const out: string[] = [];
    let line = '';
    for (const word of clean(text).split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= max || !line) line = next;
      else {
        out.push(line);
        line = word;
      }
    }
    if (line) out.push(line);
    return out;
  };
  const text = (s: string, opts: { x?: number; size?: number; font?: PDFFont; color?: ReturnType<typeof rgb>; max?: number; gap?: number } = {}) => {
    const size = opts.size ?? 10;
    for (const line of wrap(s, opts.font ?? regular, size, opts.max ?? width)) {
      ensure(size + 4);
      page.drawText(line, { x: opts.x ?? M, y: y - size, size, font: opts.font ?? regular, color: opts.color ?? INK });
      y -= size + (opts.gap ?? 4);
    }
  };

  // Issuer band
  page.drawRectangle({ x: 0, y: A4[1] - 92, width: A4[0], height: 92, color: BRAND });
  page.drawText(clean(doc.issuer.name), { x: M, y: A4[1] - 44, size: 15, font: bold, color: rgb(1, 1, 1), maxWidth: width });
  if (doc.issuer.address) page.drawText(clean(doc.issuer.address), { x: M, y: A4[1] - 64, size: 9, font: regular, color: rgb(0.9, 0.93, 1), maxWidth: width });
  y = A4[1] - 112;
  if (doc.sandbox) {
    page.drawRectangle({ x: M - 6, y: y - 22, width: width + 12, height: 26, borderColor: RED, borderWidth: 1.2 });
    text('SANDBOX - synthetic document for testing. Not valid for any purpose.', { font: bold, color: RED, size: 10, x: M, gap: 12 });
    y -= 6;
  }

  // Title and number
  text(doc.title, { font: bold, size: 16, gap: 6 });
  text(`Document no. ${doc.number}    Issued on ${dmy(doc.issuedOn)}${doc.validUntil ? `    Valid until ${dmy(doc.validUntil)}` : ''}`, { color: MUTED, size: 9, gap: 14 });

  // Holder, with photo on the right
  const photoTop = y;
  let photoWidth = 0;
  if (doc.holder.photo) {
    try {
      // A copy: pdf-lib reads the bytes' ArrayBuffer from offset 0, which a pooled Buffer is not.
      const img = await pdf.embedJpg(new Uint8Array(doc.holder.photo));
      const h = 112;
      const w = (img.width / img.height) * h;
      page.drawImage(img, { x: A4[0] - M - w, y: photoTop - h, width: w, height: h });
      photoWidth = w + 16;
    } catch {
      // not a JPEG: leave the photo out rather than fail the document
    }
  }
  const holderRows: Array<[string, string | undefined]> = [
    ['Name', doc.holder.name],
    ['Date of birth', dmy(doc.holder.dob)],
    ['Gender', doc.holder.gender ? GENDERS[doc.holder.gender] : undefined],
    ['Parent / guardian', doc.holder.guardianName],
  ];
  const labelWidth = 150;
  const row = (label: string, value: string, maxValue: number) => {
    const lines = wrap(value, regular, 10, maxValue);
    ensure(14 * lines.length + 4);
    page.drawText(clean(label), { x: M, y: y - 10, size: 9, font: bold, color: MUTED });
    lines.forEach((l, i) => page.drawText(l, { x: M + labelWidth, y: y - 10 - i * 14, size: 10, font: regular, color: INK }));
    y -= 14 * lines.length + 4;
  };
  for (const [label, value] of holderRows) if (value) row(label, value, width - labelWidth - photoWidth);
  if (photoWidth) y = Math.min(y, photoTop - 124);
  y -= 8;

  // Key facts
  page.drawLine({ start: { x: M, y }, end: { x: A4[0] - M, y }, thickness: 0.6, color: MUTED });
  y -= 12;
  for (const field of doc.fields) row(field.label, field.value, width - labelWidth);

  // Tables
  for (const table of doc.tables ?? []) {
    y -= 10;
    text(table.caption, { font: bold, size: 11, gap: 8 });
    const cols = table.columns.length;
    const widths = table.columns.map((c, i) => (i === 1 && cols > 3 ? width * 0.36 : (width * (cols > 3 ? 0.64 : 1)) / (cols > 3 ? cols - 1 : cols)));
    const drawRow = (cells: string[], font: PDFFont, shade: boolean) => {
      ensure(18);
      if (shade) page.drawRectangle({ x: M, y: y - 15, width, height: 17, color: rgb(0.94, 0.95, 0.97) });
      let x = M + 4;
      cells.forEach((c, i) => {
        page.drawText(clean(c), { x, y: y - 11, size: 9, font, color: INK, maxWidth: widths[i]! - 6 });
        x += widths[i]!;
      });
      y -= 18;
    };
    drawRow(table.columns, bold, true);
    table.rows.forEach((r, i) => drawRow(r, regular, i % 2 === 1));
  }

  // Footer on every page
  for (const [i, p] of pdf.getPages().entries()) {
    p.drawLine({ start: { x: M, y: M + 24 }, end: { x: A4[0] - M, y: M + 24 }, thickness: 0.4, color: MUTED });
    p.drawText(clean(`Document URI: ${doc.uri}`), { x: M, y: M + 10, size: 8, font: regular, color: MUTED, maxWidth: width - 40 });
    p.drawText(clean(`Unsigned rendering${doc.sandbox ? ' of sandbox data' : ''}. Page ${i + 1} of ${pdf.getPageCount()}`), { x: M, y: M - 2, size: 7, font: regular, color: MUTED });
  }
  return Buffer.from(await pdf.save());
}
