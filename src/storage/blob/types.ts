/**
 * Blob storage. `BlobStore` is what the rest of the locker uses: plaintext in, plaintext
 * out, encrypted at rest, content-addressed. Underneath, a `RawObjectStore` (filesystem
 * or S3) keeps opaque bytes under keys and publishes a write atomically.
 */
import type { Readable, Writable } from 'node:stream';

export interface BlobInfo {
  /** Content address: 64 hex digits, a keyed hash of the plaintext (equal content, equal key). */
  key: string;
  /** Plaintext size in bytes. */
  size: number;
}

export interface PutResult extends BlobInfo {
  /** SHA-256 of the plaintext, hex. */
  sha256: string;
  /** False when a blob with the same content already existed (nothing new was stored). */
  created: boolean;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`. `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface PutOptions {
  /**
   * Abort with `BlobTooLargeError` once more than this many bytes have streamed in.
   * Nothing is stored, and the source is not read further.
   */
  maxBytes?: number;
}

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`blob larger than ${limit} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob ${key.slice(0, 12)}… not found`);
    this.name = 'BlobNotFoundError';
  }
}

export class BlobIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlobIntegrityError';
  }
}

export interface BlobStore {
  readonly describe: string;
  /**
   * Streams `body` in, encrypting as it goes (never holding the whole blob), and resolves
   * once the blob is durable and visible under its content address. A failure or a crash
   * part-way leaves nothing visible. Putting content that is already stored succeeds with
   * `created: false`.
   */
  put(body: Readable | AsyncIterable<Uint8Array>, options?: PutOptions): Promise<PutResult>;
  /**
   * Streams the plaintext (or the inclusive `range` of it). Every 64 KiB chunk is
   * authenticated before it is emitted; tampering surfaces as a stream error
   * (`BlobIntegrityError`). Throws `BlobNotFoundError` if absent, `RangeError` if the range
   * lies outside the blob.
   */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size of a stored blob, or null. */
  stat(key: string): Promise<BlobInfo | null>;
  exists(key: string): Promise<boolean>;
  /**
   * Removes the blob; true if it existed. Callers own reference counting: blobs are shared
   * by content, so delete only when no record refers to the key (see uploads' GC).
   */
  delete(key: string): Promise<boolean>;
  /** Every stored key (backup, GC). */
  keys(): AsyncIterable<string>;
  /** Throws if the backend cannot be reached (for /readyz). */
  ping(): Promise<void>;
}

/** A write in progress. Nothing is visible until `commit`. */
export interface RawWriter {
  readonly stream: Writable;
  /**
   * Publishes what was written under `key`, atomically and durably. If `key` already
   * exists, keeps the existing object, discards this one and returns false.
   */
  commit(key: string): Promise<boolean>;
  /** Discards the write. Safe to call after a failed or completed commit. */
  abort(): Promise<void>;
}

export interface RawObjectStore {
  readonly describe: string;
  createWriter(): Promise<RawWriter>;
  /** Opaque bytes of `key`, optionally an inclusive range; throws BlobNotFoundError. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<boolean>;
  keys(): AsyncIterable<string>;
  ping(): Promise<void>;
  /** Removes abandoned temporary writes older than `olderThanMs` (left by crashes). */
  sweepTemp(olderThanMs: number): Promise<number>;
}

/** Keys are 64 lower-case hex digits; anything else is refused before it reaches a path or URL. */
export const BLOB_KEY = /^[0-9a-f]{64}$/;

export function assertBlobKey(key: string): void {
  if (!BLOB_KEY.test(key)) throw new BlobNotFoundError(String(key).slice(0, 64));
}
