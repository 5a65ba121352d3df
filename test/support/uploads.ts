/**
 * Uploads for tests: real small PDF, JPEG and PNG files (made here, not fixtures), hostile
 * look-alikes, and multipart bodies for `app.inject` or fetch.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PNG } from 'pngjs';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export async function samplePdf(text = 'OpenLocker test document'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  page.drawText(text, { x: 20, y: 100, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

export function samplePng(seed = 1, size = 16): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 31 + seed * 17) & 0xff;
  return PNG.sync.write(png);
}

/** A small baseline JPEG (a 1×1 white pixel, from a real encoder), with `extra` random bytes in a comment to vary content. */
export function sampleJpeg(extra = 0): Buffer {
  const base = Buffer.from(
    'ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbfcffd9',
    'hex',
  );
  if (!extra) return base;
  const comment = crypto.randomBytes(extra);
  const seg = Buffer.concat([Buffer.from([0xff, 0xfe, ((extra + 2) >> 8) & 0xff, (extra + 2) & 0xff]), comment]);
  return Buffer.concat([base.subarray(0, 2), seg, base.subarray(2)]);
}

/** A PDF of exactly `size` bytes (a valid header, padding in a comment). */
export function pdfOfSize(size: number): Buffer {
  const head = Buffer.from('%PDF-1.4\n%');
  const buf = Buffer.alloc(size, 0x41);
  head.copy(buf);
  buf[size - 1] = 0x0a;
  return buf;
}

export const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(200), Buffer.from('PE\0\0')]);
export const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
export const POLYGLOT = Buffer.from('%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n');

export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body (parts in the order given). */
export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----olTest' + crypto.randomBytes(8).toString('hex');
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename.replace(/"/g, '%22')}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.filename !== undefined ? `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const payload = Buffer.concat(chunks);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function upload(app: FastifyInstance, headers: Record<string, string>, file: Buffer, filename = 'doc.pdf', fields: Record<string, string> = {}) {
  const body = multipart([...Object.entries(fields).map(([name, value]) => ({ name, value })), { name: 'file', value: file, filename }]);
  return app.inject({ method: 'POST', url: '/api/v1/uploads', headers: { ...headers, ...body.headers }, payload: body.payload });
}
