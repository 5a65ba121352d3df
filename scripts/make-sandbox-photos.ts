/**
 * Makes the placeholder "photographs" of the sandbox's synthetic people
 * (resources/sandbox/photo-N.jpg): a grey silhouette on a coloured background marked
 * SANDBOX, drawn with pdf-lib and rasterised to JPEG with poppler's pdftoppm (which the
 * test machine has). No real face is ever used. Run: node --import tsx scripts/make-sandbox-photos.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, rgb } from 'pdf-lib';

const OUT = path.join(import.meta.dirname, '..', 'resources', 'sandbox');
const backgrounds: Array<[number, number, number]> = [[0.85, 0.9, 0.97], [0.95, 0.9, 0.82], [0.88, 0.95, 0.88], [0.96, 0.88, 0.9]];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-photos-'));
for (const [i, [r, g, b]] of backgrounds.entries()) {
  const doc = await PDFDocument.create();
  const page = doc.addPage([120, 150]);
  page.drawRectangle({ x: 0, y: 0, width: 120, height: 150, color: rgb(r, g, b) });
  page.drawEllipse({ x: 60, y: 40, xScale: 48, yScale: 42, color: rgb(0.35, 0.38, 0.45) });
  page.drawEllipse({ x: 60, y: 95, xScale: 26, yScale: 30, color: rgb(0.35, 0.38, 0.45) });
  page.drawText('SANDBOX', { x: 22, y: 8, size: 14, color: rgb(0.8, 0.1, 0.1) });
  const pdf = path.join(tmp, `p${i}.pdf`);
  fs.writeFileSync(pdf, await doc.save());
  execFileSync('pdftoppm', ['-jpeg', '-jpegopt', 'quality=80', '-r', '72', '-singlefile', pdf, path.join(OUT, `photo-${i + 1}`)]);
}
fs.rmSync(tmp, { recursive: true, force: true });
