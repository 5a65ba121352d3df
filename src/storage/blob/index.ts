import type { BlobUrl } from '../../config/index.ts';
import type { MasterKey } from '../../crypto/master-key.ts';
import { encryptedBlobStore } from './encrypted-blob-store.ts';
import { fsObjectStore } from './fs-object-store.ts';
import type { BlobStore, RawObjectStore } from './types.ts';

export * from './types.ts';
export { readAll } from './encrypted-blob-store.ts';

export function openRawObjectStore(url: BlobUrl): RawObjectStore {
  return url.kind === 'file' ? fsObjectStore(url.root) : lazyS3ObjectStore(url);
}

/**
 * The S3 store, with the AWS SDK (~0.5 s of module loading) imported on first use rather
 * than at start-up — most lockers run on the filesystem and never need it.
 */
function lazyS3ObjectStore(url: Extract<BlobUrl, { kind: 's3' }>): RawObjectStore {
  let store: Promise<RawObjectStore> | null = null;
  const get = () => (store ??= import('./s3-object-store.ts').then((m) => m.s3ObjectStore(url)));
  return {
    describe: `s3://${url.bucket}/${url.prefix}${url.endpoint ? ` at ${url.endpoint}` : ''}`,
    createWriter: async () => (await get()).createWriter(),
    read: async (key, range) => (await get()).read(key, range),
    size: async (key) => (await get()).size(key),
    delete: async (key) => (await get()).delete(key),
    async *keys() {
      yield* (await get()).keys();
    },
    ping: async () => (await get()).ping(),
    sweepTemp: async (olderThanMs) => (await get()).sweepTemp(olderThanMs),
  };
}

/** The blob store named by `BLOB_URL`, encrypting under `master`. */
export function openBlobStore(url: BlobUrl, master: MasterKey): { blobs: BlobStore; raw: RawObjectStore } {
  const raw = openRawObjectStore(url);
  return { blobs: encryptedBlobStore(raw, master), raw };
}
