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

/** Chunk `index`'s nonce, written into `into` (a fresh buffer by default; the cipher copies it). */
function nonce(h: Header, index: number, into: Buffer = Buffer.alloc(12)): Buffer {
  h.noncePrefix.copy(into, 0);
  into.writeUInt32BE(index, 8);
  return into;
}

/** Chunk `index`'s AAD, written into `into` (a fresh buffer by default; the cipher copies it). */
function aad(h: Header, index: number, final: boolean, into: Buffer = Buffer.alloc(HEADER_SIZE + 5)): Buffer {
  h.bytes.copy(into, 0);
  into.writeUInt32BE(index, HEADER_SIZE);
  into.writeUInt8(final ? 1 : 0, HEADER_SIZE + 4);
  return into;
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

/** Sealed chunks gathered per push (see EncryptStream). */
const OUT_CHUNKS = 4;

/**
 * Encrypts a plaintext stream. Holds back at most one chunk so it knows which chunk is the
 * last one. Emits the header first, then the sealed chunks (ciphertext and tag), a few at a time.
 *
 * This is the upload hot path: plaintext is copied at most once (into a reused staging
 * buffer, and not even that when a whole chunk arrives in one piece), ciphertext once (into
 * a buffer of OUT_CHUNKS sealed chunks, so the writer below makes a quarter of the writes),
 * and nothing is allocated per chunk beyond what the cipher returns.
 *
 * `observe`, if given, sees every plaintext chunk first (to count and hash it in the same
 * pass); an error it throws fails the stream before anything of that chunk is written.
 */
export class EncryptStream extends Transform {
  private readonly stage: Buffer;
  private staged = 0;
  private index = 0;
  private readonly aadBuf = Buffer.alloc(HEADER_SIZE + 5);
  private readonly nonceBuf = Buffer.alloc(12);
  /** Sealed chunks are gathered into one buffer of a few chunks and pushed together: far fewer writes downstream. */
  private out: Buffer | null = null;
  private outLen = 0;

  constructor(
    private readonly h: Header,
    private readonly observe?: (plain: Buffer) => void,
  ) {
    super();
    this.stage = Buffer.allocUnsafe(h.chunkSize);
    this.push(h.bytes);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.observe?.(chunk);
    } catch (err) {
      return cb(err as Error);
    }
    const C = this.h.chunkSize;
    let off = 0;
    while (off < chunk.length) {
      // A full staged chunk with more bytes after it is not the last one.
      if (this.staged === C) {
        this.seal(this.stage, false);
        this.staged = 0;
      }
      if (this.staged === 0 && chunk.length - off > C) {
        this.seal(chunk.subarray(off, off + C), false);
        off += C;
        continue;
      }
      const n = Math.min(C - this.staged, chunk.length - off);
      chunk.copy(this.stage, this.staged, off, off + n);
      this.staged += n;
      off += n;
    }
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.seal(this.stage.subarray(0, this.staged), true);
    this.staged = 0;
    this.flushOut();
    cb();
  }

  private flushOut(): void {
    if (this.out && this.outLen) this.push(this.out.subarray(0, this.outLen));
    this.out = null;
    this.outLen = 0;
  }

  /** Seals one chunk as openChunk() opens it (nonce and AAD written into this stream's reused buffers). */
  private seal(plain: Buffer, final: boolean): void {
    const i = this.index++;
    const c = crypto.createCipheriv('aes-256-gcm', this.h.dataKey, nonce(this.h, i, this.nonceBuf));
    c.setAAD(aad(this.h, i, final, this.aadBuf));
    const body = c.update(plain);
    c.final();
    const sealed = this.h.chunkSize + TAG_SIZE;
    this.out ??= Buffer.allocUnsafeSlow(OUT_CHUNKS * sealed);
    body.copy(this.out, this.outLen);
    this.outLen += body.length;
    c.getAuthTag().copy(this.out, this.outLen);
    this.outLen += TAG_SIZE;
    if (this.out.length - this.outLen < sealed) this.flushOut();
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
