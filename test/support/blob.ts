/**
 * One test suite, every blob backend: `describeEachBlobStore` runs its body on the
 * filesystem store and on the S3 store (against s3rver on loopback).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { parseBlobUrl } from '../../src/config/schema.ts';
import { masterKeyFromBytes, type MasterKey } from '../../src/crypto/master-key.ts';
import { openBlobStore, type BlobStore, type RawObjectStore } from '../../src/storage/blob/index.ts';
import { startS3, type TestS3 } from './s3.ts';
import { streamToBuffer } from './bytes.ts';
import { s3Client } from '../../src/storage/blob/s3-object-store.ts';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';

export const BLOB_BACKENDS = ['fs', 's3'] as const;
export type BlobBackend = (typeof BLOB_BACKENDS)[number];

export interface TestBlobStore {
  blobs: BlobStore;
  raw: RawObjectStore;
  master: MasterKey;
  masterBytes: Buffer;
  blobUrl: string;
  /** For fs: the root directory. */
  root?: string;
  /** Reads the stored (encrypted) bytes of a blob, bypassing the store. */
  rawBytes(key: string): Promise<Buffer>;
  /** Overwrites the stored bytes of a blob, bypassing the store (tamper tests). */
  rawOverwrite(key: string, bytes: Buffer): Promise<void>;
  /** Number of temporary (uncommitted) objects. */
  tempCount(): Promise<number>;
  /** Opens the same backend under another master key. */
  reopen(masterBytes: Buffer): BlobStore;
  dispose(): Promise<void>;
}

export async function openTestBlobStore(backend: BlobBackend): Promise<TestBlobStore> {
  const masterBytes = crypto.randomBytes(32);
  const master = masterKeyFromBytes(masterBytes);
  let s3: TestS3 | undefined;
  let root: string | undefined;
  let blobUrl: string;
  if (backend === 'fs') {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-blob-'));
    blobUrl = `file:${root}`;
  } else {
    s3 = await startS3();
    blobUrl = s3.blobUrl;
  }
  const url = parseBlobUrl(blobUrl, { dataDir: os.tmpdir(), nodeEnv: 'test' });
  const { blobs, raw } = openBlobStore(url, master);
  return {
    blobs,
    raw,
    master,
    masterBytes,
    blobUrl,
    ...(root ? { root } : {}),
    rawBytes: async (key) => streamToBuffer(await raw.read(key)),
    async rawOverwrite(key, bytes) {
      if (root) {
        fs.writeFileSync(path.join(root, key.slice(0, 2), key.slice(2, 4), key), bytes);
      } else {
        const loc = url as Extract<typeof url, { kind: 's3' }>;
        await s3Client(loc).send(new PutObjectCommand({ Bucket: loc.bucket, Key: `${loc.prefix}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`, Body: bytes }));
      }
    },
    async tempCount() {
      if (root) return fs.readdirSync(path.join(root, '.tmp')).length;
      const loc = url as Extract<typeof url, { kind: 's3' }>;
      const r = await s3Client(loc).send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: `${loc.prefix}.tmp/` }));
      return r.KeyCount ?? 0;
    },
    reopen: (bytes) => openBlobStore(url, masterKeyFromBytes(bytes)).blobs,
    async dispose() {
      if (s3) await s3.close();
      if (root) fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export function describeEachBlobStore(name: string, body: (get: () => TestBlobStore, backend: BlobBackend) => void): void {
  for (const backend of BLOB_BACKENDS) {
    describe(`${name} [${backend}]`, () => {
      let store: TestBlobStore | undefined;
      beforeAll(async () => {
        store = await openTestBlobStore(backend);
      });
      afterAll(async () => {
        await store?.dispose();
      });
      body(() => {
        if (!store) throw new Error('blob store not open yet');
        return store;
      }, backend);
    });
  }
}
