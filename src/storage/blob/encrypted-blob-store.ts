import crypto from 'node:crypto';
import { pipeline as streamPipeline, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MasterKey } from '../../crypto/master-key.ts';
import { chunkCount, DecryptStream, EncryptStream, HEADER_SIZE, newHeader, parseHeader, plainSize, TAG_SIZE } from './envelope.ts';
import { diskOutage } from '../outage.ts';
import {
  assertBlobKey,
  BlobNotFoundError,
  BlobTooLargeError,
  type BlobInfo,
  type BlobStore,
  type ByteRange,
  type PutOptions,
  type PutResult,
  type RawObjectStore,
} from './types.ts';

/**
 * The BlobStore every module uses: envelope-encrypts (see envelope.ts) into any raw object
 * store and names each blob by an HMAC of its plaintext under a key derived from the master
 * key (see contentAddress). Equal content gets one key (deduplication) without revealing a plain hash of it.
 */
export function encryptedBlobStore(raw: RawObjectStore, master: MasterKey): BlobStore {

  async function readHeader(key: string) {
    const head = await collect(await raw.read(key, { start: 0, end: HEADER_SIZE - 1 }));
    return parseHeader(head, master);
  }

  return {
    describe: raw.describe,

    async put(body, options: PutOptions = {}): Promise<PutResult> {
      const header = newHeader(master);
      const sha = crypto.createHash('sha256');
      const max = options.maxBytes;
      let size = 0;
      // One pass over the plaintext: count (cut off at the limit), hash, encrypt.
      const encrypt = new EncryptStream(header, (chunk) => {
        size += chunk.length;
        if (max !== undefined && size > max) throw new BlobTooLargeError(max);
        sha.update(chunk);
      });
      const writer = await raw.createWriter();
      try {
        const source = body instanceof Readable ? body : Readable.from(body);
        await pipeline(source, encrypt, writer.stream);
        const digest = sha.digest();
        const key = contentAddress(master, digest);
        const created = await writer.commit(key);
        return { key, size, sha256: digest.toString('hex'), created };
      } catch (err) {
        await writer.abort();
        // A full or failing disk under the writer is an outage (503), whichever stage noticed.
        throw diskOutage(err) ?? err;
      }
    },

    async get(key: string, range?: ByteRange): Promise<Readable> {
      assertBlobKey(key);
      if (!range) {
        const source = await raw.read(key);
        return pipe(source, new DecryptStream(master));
      }
      const rawSize = await raw.size(key);
      if (rawSize === null) throw new BlobNotFoundError(key);
      const header = await readHeader(key);
      const C = header.chunkSize;
      const plain = plainSize(rawSize, C);
      const end = Math.min(range.end ?? plain - 1, plain - 1);
      if (!Number.isInteger(range.start) || range.start < 0 || range.start > end) {
        throw new RangeError(`range ${range.start}-${range.end ?? ''} is outside a blob of ${plain} bytes`);
      }
      const first = Math.floor(range.start / C);
      const last = Math.floor(end / C);
      const rawStart = HEADER_SIZE + first * (C + TAG_SIZE);
      const rawEnd = Math.min(rawSize - 1, HEADER_SIZE + (last + 1) * (C + TAG_SIZE) - 1);
      const source = await raw.read(key, { start: rawStart, end: rawEnd });
      const out = new DecryptStream(master, {
        header,
        firstIndex: first,
        finalIndex: chunkCount(plain, C) - 1,
        skip: range.start - first * C,
        length: end - range.start + 1,
      });
      return pipe(source, out);
    },

    async stat(key: string): Promise<BlobInfo | null> {
      if (!/^[0-9a-f]{64}$/.test(key)) return null;
      const rawSize = await raw.size(key);
      if (rawSize === null) return null;
      const header = await readHeader(key);
      return { key, size: plainSize(rawSize, header.chunkSize) };
    },

    async exists(key: string) {
      if (!/^[0-9a-f]{64}$/.test(key)) return false;
      return (await raw.size(key)) !== null;
    },

    async delete(key: string) {
      if (!/^[0-9a-f]{64}$/.test(key)) return false;
      return raw.delete(key);
    },

    keys: () => raw.keys(),
    ping: () => raw.ping(),
  };
}

/**
 * The keyed hash that names a blob: HMAC-SHA256, under a key derived from the master key, of
 * the plaintext's SHA-256 (which the upload computes anyway, so content is hashed once).
 * Equal content gets one key (deduplication) without the key revealing a plain hash of it.
 */
export function contentAddress(master: MasterKey, sha256: Buffer): string {
  return crypto.createHmac('sha256', master.derive('blob-address-sha256')).update(sha256).digest('hex');
}

/**
 * How blobs written before content addresses were taken over the SHA-256 are named: HMAC-SHA256
 * of the plaintext itself. Backups still accept either name for a blob's content.
 */
export function legacyContentAddressHmac(master: MasterKey): crypto.Hmac {
  return crypto.createHmac('sha256', master.derive('blob-address'));
}

/** Pipes `source` into `out`; an error or early close on either side destroys both (no leaked file handles). */
function pipe(source: Readable, out: DecryptStream): Readable {
  return streamPipeline(source, out, () => {}) as unknown as Readable;
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Reads a whole blob into memory. Only for small blobs (tests, thumbnails). */
export async function readAll(stream: Readable): Promise<Buffer> {
  return collect(stream);
}

