/**
 * Helpers for verification tests: issue sandbox documents on a test store, damage PDFs
 * the ways an attacker would (a flipped byte, an incremental update), and run the
 * standard tools (pdfsig, mutool, openssl, zbarimg, pdftoppm) on real files.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { masterKeyFromBytes } from '../../src/crypto/master-key.ts';
import { derToPem } from '../../src/crypto/signing/x509.ts';
import { systemClock, type Clock } from '../../src/domain/clock.ts';
import type { VerificationDeps } from '../../src/domain/verification/deps.ts';
import { SANDBOX_ROOT_ID } from '../../src/domain/verification/issuer-keys.ts';
import { sqlIssuerKeyStore } from '../../src/storage/sql/repositories/issuer-keys.ts';
import type { SqlStore } from '../../src/storage/sql/database.ts';

export function verificationDepsFor(sql: SqlStore, clock: Clock = systemClock): VerificationDeps {
  return { keys: sqlIssuerKeyStore(sql), masterKey: masterKeyFromBytes(Buffer.alloc(32, 9)), clock, publicUrl: 'http://127.0.0.1:3000' };
}

export function tmpDir(prefix = 'ol-verify-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface ToolResult {
  code: number | null;
  /** stdout and stderr together. */
  out: string;
  stdout: string;
}

/** Runs a command; stdout and stderr together (pdfsig and mutool split their report across both). */
export function tool(cmd: string, args: string[], opts: { cwd?: string; input?: Buffer } = {}): ToolResult {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  const stdout = r.stdout?.toString('utf8') ?? '';
  return { code: r.status, out: `${stdout}${r.stderr?.toString('utf8') ?? ''}`, stdout };
}

export function flipByte(pdf: Buffer, at: number): Buffer {
  const b = Buffer.from(pdf);
  b[at] = b[at]! ^ 0x01;
  return b;
}

/** Appends a valid incremental update (a new Info dictionary) after the signature, as an editor would. */
export function appendIncrementalUpdate(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)![1];
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)![1]);
  const prev = Number(/startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))![1]);
  const obj = `\n${size} 0 obj\n<< /Producer (Changed after signing) >>\nendobj\n`;
  const xrefAt = pdf.length + Buffer.byteLength(obj, 'latin1');
  const xref = `xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(pdf.length + 1).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(obj + xref, 'latin1')]);
}

/** The signed bytes and the DER CMS of the (first) signature, as `openssl cms` wants them. */
export function extractSignature(pdf: Buffer): { content: Buffer; cms: Buffer; byteRange: number[] } {
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdf.toString('latin1'))!;
  const [a, l1, c, l2] = m.slice(1, 5).map(Number) as [number, number, number, number];
  const hex = pdf.subarray(a + l1 + 1, c - 1).toString('latin1').replace(/(00)+$/, '');
  return { content: Buffer.concat([pdf.subarray(a, a + l1), pdf.subarray(c, c + l2)]), cms: Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'), byteRange: [a, l1, c, l2] };
}

/** The sandbox root CA as PEM, from the store. */
export async function sandboxRootPem(deps: VerificationDeps): Promise<string> {
  const a = await deps.keys.getAnchor(SANDBOX_ROOT_ID);
  if (!a) throw new Error('no sandbox root yet');
  return derToPem(a.certificate);
}

/** An NSS database trusting `rootPem`, for `pdfsig -nssdir`. */
export function nssDbTrusting(rootPem: string): string {
  const dir = tmpDir('ol-nss-');
  fs.writeFileSync(path.join(dir, 'root.pem'), rootPem);
  const a = tool('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  if (a.code !== 0) throw new Error(a.out);
  const b = tool('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'openlocker-sandbox-root', '-t', 'CT,C,C', '-i', path.join(dir, 'root.pem')]);
  if (b.code !== 0) throw new Error(b.out);
  return dir;
}

/** Renders page 1 of a PDF to PNG (or JPEG) with pdftoppm and returns the file path. */
export function renderPage(pdfPath: string, dpi: number, format: 'png' | 'jpeg' = 'png'): string {
  const base = pdfPath.replace(/\.pdf$/, `-${dpi}`);
  const r = tool('pdftoppm', ['-r', String(dpi), `-${format}`, '-f', '1', '-l', '1', '-singlefile', pdfPath, base]);
  if (r.code !== 0) throw new Error(r.out);
  return `${base}.${format === 'png' ? 'png' : 'jpg'}`;
}

/** A multipart/form-data body with one file field. */
export function multipart(field: string, file: Buffer, filename = 'upload.bin'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----ol${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function verifyFile(app: FastifyInstance, file: Buffer) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/verify', ...multipart('file', file) });
  return { code: res.statusCode, body: res.json() };
}

