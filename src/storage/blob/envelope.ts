/**
 * The on-disk format of an encrypted blob ("OLB1"): envelope encryption with a fresh
 * random data key per blob, AES-256-GCM, in 64 KiB chunks so blobs stream and support
 * range reads.
 *
 *   header (85 bytes)
 *     magic "OLB1" (4) | version 1 (1) | master key id (8)
 *     wrap nonce (12) | data key wrapped by the blob KEK with AES-256-GCM (32) | wrap tag (16)
 *     chunk size, uint32 BE (4) | chunk nonce prefix (8)
 *   chunks, n >= 1 (an empty blob has one empty chunk)
 *     ciphertext (chunk size, the last one shorter or equal) | GCM tag (16)
 *
 * Chunk i uses nonce = prefix || uint32be(i) and AAD = header || uint32be(i) || final-flag,
 * so chunks cannot be reordered, dropped, or the blob truncated at a chunk boundary
 * without the tag check failing. The data key's wrap uses the first 13 header bytes as AAD.
 */
import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { MasterKey } from '../../crypto/master-key.ts';
import { BlobIntegrityError } from './types.ts';

export const MAGIC = Buffer.from('OLB1');
export const VERSION = 1;
export const HEADER_SIZE = 85;
export const TAG_SIZE = 16;
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

export interface Header {
  bytes: Buffer;
  dataKey: Buffer;
  chunkSize: number;
  noncePrefix: Buffer;
}

export function newHeader(master: MasterKey, chunkSize = DEFAULT_CHUNK_SIZE): Header {
  const dataKey = crypto.randomBytes(32);
  const kek = master.derive('blob-kek');
  const bytes = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt8(VERSION, 4);
  master.id.copy(bytes, 5);
  const wrapNonce = crypto.randomBytes(12);
  wrapNonce.copy(bytes, 13);
  const c = crypto.createCipheriv('aes-256-gcm', kek, wrapNonce);
  c.setAAD(bytes.subarray(0, 13));
  const wrapped = Buffer.concat([c.update(dataKey), c.final()]);
  wrapped.copy(bytes, 25);
  c.getAuthTag().copy(bytes, 57);
  bytes.writeUInt32BE(chunkSize, 73);
  const noncePrefix = crypto.randomBytes(8);
  noncePrefix.copy(bytes, 77);
  return { bytes, dataKey, chunkSize, noncePrefix };
}

export function parseHeader(bytes: Buffer, master: MasterKey): Header {
  if (bytes.length < HEADER_SIZE || !bytes.subarray(0, 4).equals(MAGIC)) throw new BlobIntegrityError('not an OpenLocker encrypted blob');
  if (bytes.readUInt8(4) !== VERSION) throw new BlobIntegrityError(`unknown blob format version ${bytes.readUInt8(4)}`);
  const header = bytes.subarray(0, HEADER_SIZE);
  if (!header.subarray(5, 13).equals(master.id)) {
    throw new BlobIntegrityError('blob was encrypted under a different master key');
  }
  const kek = master.derive('blob-kek');
  const d = crypto.createDecipheriv('aes-256-gcm', kek, header.subarray(13, 25));
  d.setAAD(header.subarray(0, 13));
  d.setAuthTag(header.subarray(57, 73));
  let dataKey: Buffer;
  try {
    dataKey = Buffer.concat([d.update(header.subarray(25, 57)), d.final()]);
  } catch {
    throw new BlobIntegrityError('blob data key cannot be unwrapped (wrong master key or damaged header)');
  }
  const chunkSize = header.readUInt32BE(73);
  if (chunkSize < 1024 || chunkSize > 16 * 1024 * 1024) throw new BlobIntegrityError('damaged blob header');
  return { bytes: Buffer.from(header), dataKey, chunkSize, noncePrefix: Buffer.from(header.subarray(77, 85)) };
}

function nonce(h: Header, index: number): Buffer {
  const n = Buffer.alloc(12);
  h.noncePrefix.copy(n, 0);
  n.writeUInt32BE(index, 8);
  return n;
}

function aad(h: Header, index: number, final: boolean): Buffer {
  const a = Buffer.alloc(HEADER_SIZE + 5);
  h.bytes.copy(a, 0);
  a.writeUInt32BE(index, HEADER_SIZE);
  a.writeUInt8(final ? 1 : 0, HEADER_SIZE + 4);
  return a;
}

export function sealChunk(h: Header, index: number, final: boolean, plain: Buffer): Buffer {
  const c = crypto.createCipheriv('aes-256-gcm', h.dataKey, nonce(h, index));
  c.setAAD(aad(h, index, final));
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

export function openChunk(h: Header, index: number, final: boolean, sealed: Buffer): Buffer {
  if (sealed.length < TAG_SIZE) throw new BlobIntegrityError('blob is truncated');
  const d = crypto.createDecipheriv('aes-256-gcm', h.dataKey, nonce(h, index));
  d.setAAD(aad(h, index, final));
  d.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  try {
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG_SIZE)), d.final()]);
  } catch {
    throw new BlobIntegrityError(`blob chunk ${index} failed authentication (tampered or truncated)`);
  }
}

/** Plaintext size of an encrypted object of `rawSize` bytes. */
export function plainSize(rawSize: number, chunkSize: number): number {
  const body = rawSize - HEADER_SIZE;
  if (body < TAG_SIZE) throw new BlobIntegrityError('blob is truncated');
  const n = Math.ceil(body / (chunkSize + TAG_SIZE));
  return body - n * TAG_SIZE;
}

export function chunkCount(plain: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(plain / chunkSize));
}

/**
 * Encrypts a plaintext stream. Holds back at most one chunk so it knows which chunk is the
 * last one. Emits the header first.
 */
export class EncryptStream extends Transform {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private index = 0;

  constructor(private readonly h: Header) {
    super();
    this.push(h.bytes);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.pending.push(chunk);
    this.pendingLen += chunk.length;
    // Only emit a chunk once we know at least one more byte follows it (so it is not final).
    while (this.pendingLen > this.h.chunkSize) {
      const all = Buffer.concat(this.pending);
      this.push(sealChunk(this.h, this.index++, false, all.subarray(0, this.h.chunkSize)));
      const rest = all.subarray(this.h.chunkSize);
      this.pending = [rest];
      this.pendingLen = rest.length;
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.push(sealChunk(this.h, this.index++, true, Buffer.concat(this.pending)));
    this.pending = [];
    cb();
  }
}

/**
 * Decrypts an encrypted stream. A full read starts with the header; then the chunk that
 * ends the stream must carry the final flag. A range read passes the parsed `header`, the
 * index of its first chunk and `finalIndex` (the blob's last chunk), plus how many
 * plaintext bytes to `skip` and keep (`length`).
 */
export class DecryptStream extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  private h: Header | undefined;
  private index: number;
  private readonly finalIndex: number | undefined;
  private skip: number;
  private remaining: number;

  constructor(
    private readonly master: MasterKey,
    opts: { header?: Header; firstIndex?: number; finalIndex?: number; skip?: number; length?: number } = {},
  ) {
    super();
    this.h = opts.header;
    this.index = opts.firstIndex ?? 0;
    this.finalIndex = opts.finalIndex;
    this.skip = opts.skip ?? 0;
    this.remaining = opts.length ?? Number.POSITIVE_INFINITY;
  }

  private emitPlain(plain: Buffer): void {
    let p = plain;
    if (this.skip > 0) {
      const s = Math.min(this.skip, p.length);
      p = p.subarray(s);
      this.skip -= s;
    }
    if (p.length > this.remaining) p = p.subarray(0, this.remaining);
    this.remaining -= p.length;
    if (p.length) this.push(p);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      if (!this.h) {
        if (this.buf.length < HEADER_SIZE) return cb();
        this.h = parseHeader(this.buf.subarray(0, HEADER_SIZE), this.master);
        this.buf = this.buf.subarray(HEADER_SIZE);
      }
      const sealed = this.h.chunkSize + TAG_SIZE;
      const known = this.finalIndex !== undefined;
      // Without a known end, hold back one full chunk: it may be the last.
      while (known ? this.buf.length >= sealed : this.buf.length > sealed) {
        this.emitPlain(openChunk(this.h, this.index, this.index === this.finalIndex, this.buf.subarray(0, sealed)));
        this.index++;
        this.buf = this.buf.subarray(sealed);
      }
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    try {
      if (!this.h) throw new BlobIntegrityError('blob is truncated');
      if (this.finalIndex === undefined) {
        this.emitPlain(openChunk(this.h, this.index, true, this.buf));
      } else if (this.buf.length > 0) {
        this.emitPlain(openChunk(this.h, this.index, this.index === this.finalIndex, this.buf));
      }
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }
}
