/**
 * Deciding what an upload *is* from its first bytes, not from its name or the declared
 * type: PDF, JPEG or PNG only. A Transform that holds back the head of the stream (a few
 * KiB, never the file), decides, then passes everything through — so the check costs no
 * extra pass and nothing is stored when it fails.
 *
 * Beyond the magic number, a PDF whose head also carries HTML (a polyglot a browser could
 * be talked into rendering as a page) is refused; files are served with their sniffed type,
 * `nosniff` and a restrictive CSP as well.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.ts';

export const ALLOWED_MIMES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type UploadMime = (typeof ALLOWED_MIMES)[number];

const HEAD_BYTES = 8192;
const HTML_MARKERS = /<\s*(html|script|body|iframe|svg|object|embed|!doctype\s+html|meta\s+http-equiv)\b/i;

export function unsupportedType(): AppError {
  return new AppError('unsupported', 'unsupported_file_type', 'Only PDF, JPEG and PNG files can be uploaded. This file is something else, whatever its name says.');
}

export function emptyFile(): AppError {
  return new AppError('invalid', 'empty_file', 'The file is empty.');
}

/** Decides the type of a file from its first bytes (up to 8 KiB); throws `unsupported_file_type`. */
export async function sniffHead(head: Buffer): Promise<UploadMime> {
  if (head.length === 0) throw emptyFile();
  const ft = await fileTypeFromBuffer(head);
  const mime = ft?.mime;
  if (mime === 'application/pdf') {
    // A PDF must start with the header itself (no junk before it) and carry no markup a browser would render.
    if (!head.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw unsupportedType();
    if (HTML_MARKERS.test(head.toString('latin1'))) throw unsupportedType();
    return 'application/pdf';
  }
  if (mime === 'image/jpeg' || mime === 'image/png') {
    if (HTML_MARKERS.test(head.toString('latin1'))) throw unsupportedType();
    return mime;
  }
  throw unsupportedType();
}

/** Passes bytes through once the head has been sniffed; `mime` resolves with the decision. */
export class SniffStream extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private decided = false;
  mime: UploadMime | null = null;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.decided) return cb(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < HEAD_BYTES) return cb();
    this.decide().then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.decided) return cb();
    this.decide().then(() => cb(), cb);
  }

  private async decide(): Promise<void> {
    const all = Buffer.concat(this.head);
    this.head = [];
    this.mime = await sniffHead(all.subarray(0, HEAD_BYTES));
    this.decided = true;
    this.push(all);
  }
}
