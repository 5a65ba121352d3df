/**
 * Renders a `CertificateDocument` as an A4 PDF (pdf-lib + fontkit): issuer, bilingual
 * title, holder, fields, tables, a vector QR code (crisp at any print size), the document
 * URI and where to verify it. The signed certificate XML and the QR text are attached
 * as embedded files (certificate.xml, qr.txt), so a verifier holding only the PDF has
 * the machine-readable document and its QR payload, both under the PDF signature.
 *
 * Devanagari is shaped by fontkit; because shaping reorders glyphs (the i-matra before
 * its consonant, reph after), each Hindi run is wrapped in a /Span with /ActualText so
 * text extraction (pdftotext, screen readers, copy-paste) yields the exact Unicode.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFHexString, PDFName, PDFOperator, PDFOperatorNames, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { CertificateDocument } from '../domain/documents/certificate.ts';
import { qrMatrix } from '../crypto/qr-code.ts';
import { documentFonts, hasDevanagari } from './fonts.ts';

export interface RenderOptions {
  qrText: string;
  /** Public address of the verify page, printed under the QR code. */
  verifyUrl: string;
  /** The signed certificate XML, attached as certificate.xml. */
  signedXml: string;
  now: Date;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.35, 0.35, 0.4);
const BRAND = rgb(0.05, 0.28, 0.55);

class Writer {
  y: number;
  /** The footer writes beside the QR code and must never start a page. */
  pageBreaks = true;
  private readonly widths = new Map<string, number>();
  constructor(
    readonly doc: PDFDocument,
    public page: PDFPage,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.y = page.getHeight() - MARGIN;
  }

  text(s: string, x: number, y: number, size: number, opts: { bold?: boolean; color?: ReturnType<typeof rgb> } = {}): void {
    const font = opts.bold ? this.bold : this.regular;
    const clean = s.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ');
    const devanagari = hasDevanagari(clean);
    if (devanagari) {
      const props = this.doc.context.obj({ ActualText: PDFHexString.fromText(clean) });
      this.page.pushOperators(PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of('Span'), props as unknown as PDFName]));
    }
    this.page.drawText(clean, { x, y, size, font, color: opts.color ?? INK });
    if (devanagari) this.page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
  }

  /** Width of `s`, cached: shaping (fontkit layout) is the costliest step of rendering. */
  width(s: string, size: number, bold = false): number {
    const key = `${bold ? 'b' : 'r'}|${size}|${s}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = (bold ? this.bold : this.regular).widthOfTextAtSize(s, size);
      this.widths.set(key, w);
    }
    return w;
  }

  /**
   * Word-wraps `s` into `width`, drawing from the cursor down. Words are measured once
   * each (shaping never crosses a space), not the growing line again for every word.
   */
  paragraph(s: string, x: number, width: number, size: number, opts: { bold?: boolean; color?: ReturnType<typeof rgb> } = {}): void {
    const space = this.width(' ', size, opts.bold);
    let line = '';
    let lineWidth = 0;
    const flush = () => {
      this.ensure(size * 1.4);
      this.text(line, x, this.y, size, opts);
      this.y -= size * 1.4;
    };
    for (const word of s.split(/\s+/).filter(Boolean)) {
      const w = this.width(word, size, opts.bold);
      if (line && lineWidth + space + w > width) {
        flush();
        line = word;
        lineWidth = w;
      } else {
        lineWidth = line ? lineWidth + space + w : w;
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) flush();
  }

  ensure(height: number): void {
    if (!this.pageBreaks || this.y - height > MARGIN + 170) return;
    this.page = this.doc.addPage(A4);
    this.y = this.page.getHeight() - MARGIN;
  }

  rule(): void {
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: this.page.getWidth() - MARGIN, y: this.y }, thickness: 0.6, color: MUTED });
    this.y -= 24;
  }
}

export async function renderCertificatePdf(cert: CertificateDocument, opts: RenderOptions): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  const fonts = documentFonts();
  const regular = await doc.embedFont(fonts.regular, { subset: true });
  const bold = await doc.embedFont(fonts.bold, { subset: true });
  doc.setTitle(`${cert.title} — ${cert.holder.name}`, { showInWindowTitleBar: true });
  doc.setAuthor(cert.issuer.name);
  doc.setSubject(cert.uri);
  doc.setProducer('OpenLocker');
  doc.setCreator('OpenLocker');
  doc.setCreationDate(opts.now);
  doc.setModificationDate(opts.now);
  doc.setLanguage('en-IN');

  const first = doc.addPage(A4);
  const w = new Writer(doc, first, regular, bold);
  const width = first.getWidth() - 2 * MARGIN;

  if (cert.sandbox) {
    first.drawRectangle({ x: 0, y: first.getHeight() - 22, width: first.getWidth(), height: 22, color: rgb(1, 0.93, 0.7) });
    w.text('SANDBOX — synthetic sample data, not a real document  ·  सैंडबॉक्स — नमूना, असली दस्तावेज़ नहीं', MARGIN, first.getHeight() - 15, 9, { bold: true });
    w.y -= 14;
  }
  w.paragraph(cert.issuer.name, MARGIN, width, 16, { bold: true, color: BRAND });
  if (cert.issuer.nameHi) w.paragraph(cert.issuer.nameHi, MARGIN, width, 13, { color: BRAND });
  if (cert.issuer.address) w.paragraph(cert.issuer.address, MARGIN, width, 9, { color: MUTED });
  w.y -= 4;
  w.rule();
  w.paragraph(cert.title, MARGIN, width, 18, { bold: true });
  if (cert.titleHi) w.paragraph(cert.titleHi, MARGIN, width, 14);
  w.paragraph(`No. ${cert.number}  ·  Issued on ${cert.issuedOn}${cert.validUntil ? `  ·  Valid until ${cert.validUntil}` : ''}`, MARGIN, width, 10, { color: MUTED });
  w.y -= 6;

  const rows: Array<[string, string]> = [['Name / नाम', cert.holder.nameHi ? `${cert.holder.name} / ${cert.holder.nameHi}` : cert.holder.name]];
  if (cert.holder.guardianName) rows.push(['Parent or guardian', cert.holder.guardianName]);
  if (cert.holder.dob) rows.push(['Date of birth / जन्म तिथि', cert.holder.dob]);
  if (cert.holder.gender) rows.push(['Gender / लिंग', { M: 'Male', F: 'Female', T: 'Transgender' }[cert.holder.gender]]);
  if (cert.holder.uidLast4) rows.push(['Aadhaar', `XXXX XXXX ${cert.holder.uidLast4}`]);
  if (cert.holder.address) rows.push(['Address / पता', cert.holder.address]);
  for (const f of cert.fields) rows.push([f.labelHi ? `${f.label} / ${f.labelHi}` : f.label, f.value]);

  if (cert.holder.photo) {
    try {
      const img = await doc.embedJpg(cert.holder.photo);
      const h = 110;
      const scaled = img.scaleToFit(90, h);
      first.drawImage(img, { x: first.getWidth() - MARGIN - scaled.width, y: w.y - scaled.height, ...scaled });
    } catch {
      // A photo pdf-lib cannot read is left out rather than failing the document.
    }
  }
  const labelWidth = 170;
  const valueWidth = width - labelWidth - (cert.holder.photo ? 100 : 0);
  for (const [label, value] of rows) {
    w.ensure(28);
    const top = w.y;
    w.text(label, MARGIN, top, 9.5, { color: MUTED });
    w.paragraph(value, MARGIN + labelWidth, valueWidth, 11, { bold: true });
    w.y = Math.min(w.y, top - 16) - 3;
  }

  for (const table of cert.tables ?? []) {
    w.y -= 8;
    w.ensure(60);
    w.paragraph(table.caption, MARGIN, width, 12, { bold: true });
    const colWidth = width / Math.max(table.columns.length, 1);
    const drawRow = (cells: string[], isHeader: boolean) => {
      w.ensure(18);
      cells.forEach((c, i) => w.text(c.length > 40 ? `${c.slice(0, 39)}…` : c, MARGIN + i * colWidth, w.y, 9.5, { bold: isHeader }));
      w.y -= 15;
    };
    drawRow(table.columns, true);
    for (const r of table.rows) drawRow(r, false);
  }

  drawQrFooter(doc.getPages()[doc.getPageCount() - 1]!, w, cert, opts);

  await doc.attach(Buffer.from(opts.signedXml, 'utf8'), 'certificate.xml', {
    mimeType: 'application/xml',
    description: 'DigiLocker certificate XML with the issuer XMLDSig signature',
    creationDate: opts.now,
    modificationDate: opts.now,
  });
  await doc.attach(Buffer.from(opts.qrText, 'utf8'), 'qr.txt', {
    mimeType: 'text/plain',
    description: 'The text of the QR code (signed JWS)',
    creationDate: opts.now,
    modificationDate: opts.now,
  });
  return doc;
}

function drawQrFooter(page: PDFPage, w: Writer, cert: CertificateDocument, opts: RenderOptions): void {
  const m = qrMatrix(opts.qrText);
  // 0.5 mm modules at least: readable by phone cameras on print; quiet zone of 4 modules.
  const side = 150;
  const cell = side / (m.size + 8);
  const x0 = page.getWidth() - MARGIN - side;
  const y0 = MARGIN;
  page.drawRectangle({ x: x0, y: y0, width: side, height: side, color: rgb(1, 1, 1) });
  // One filled path for every dark module (a rectangle per run of them in a row), not a
  // rectangle each: separately filled squares leave anti-aliased seams between neighbours
  // when rasterised at a scale that puts module edges between pixels (150 dpi here), and
  // zbar then misread a code now and then. One path fills the union, seamless.
  let d = '';
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; ) {
      if (!m.isDark(r, c)) {
        c++;
        continue;
      }
      let end = c;
      while (end < m.size && m.isDark(r, end)) end++;
      d += `M${c} ${r}h${end - c}v1h${c - end}z`;
      c = end;
    }
  }
  page.drawSvgPath(d, { x: x0 + 4 * cell, y: y0 + side - 4 * cell, scale: cell, color: rgb(0, 0, 0), borderWidth: 0 });
  const left = new Writer(w.doc, page, w.regular, w.bold);
  left.pageBreaks = false;
  left.y = y0 + side - 12;
  const textWidth = page.getWidth() - 2 * MARGIN - side - 16;
  left.paragraph(`Digitally signed by ${cert.issuer.name}.`, MARGIN, textWidth, 9.5, { bold: true });
  left.paragraph(`Document URI: ${cert.uri}`, MARGIN, textWidth, 9);
  left.paragraph(`To verify, scan the QR code or upload this PDF at ${opts.verifyUrl}`, MARGIN, textWidth, 9);
  left.paragraph('सत्यापन के लिए QR कोड स्कैन करें या यह PDF ऊपर दिए पते पर अपलोड करें।', MARGIN, textWidth, 9);
}
