import type { BlobUrl } from '../../config/index.ts';
import type { MasterKey } from '../../crypto/master-key.ts';
import { encryptedBlobStore } from './encrypted-blob-store.ts';
import { fsObjectStore } from './fs-object-store.ts';
import type { BlobStore, RawObjectStore } from './types.ts';
import { rethrowBlobOutage } from '../outage.ts';

export * from './types.ts';
export { readAll } from './encrypted-blob-store.ts';

export function openRawObjectStore(url: BlobUrl): RawObjectStore {
  return outageAwareObjectStore(url.kind === 'file' ? fsObjectStore(url.root) : lazyS3ObjectStore(url));
}

/**
 * The store with its outages (S3 down, disk full, I/O errors) thrown as
 * StorageUnavailableError (see storage/outage.ts), so that requests answer 503 with a clear
 * code instead of 500. Errors that are not outages (not found, integrity) pass unchanged.
 */
function outageAwareObjectStore(store: RawObjectStore): RawObjectStore {
  return {
    describe: store.describe,
    createWriter: async () => {
      const writer = await store.createWriter().catch(rethrowBlobOutage);
      return { stream: writer.stream, commit: (key) => writer.commit(key).catch(rethrowBlobOutage), abort: () => writer.abort() };
    },
    read: (key, range) => store.read(key, range).catch(rethrowBlobOutage),
    size: (key) => store.size(key).catch(rethrowBlobOutage),
    delete: (key) => store.delete(key).catch(rethrowBlobOutage),
    async *keys() {
      try {
        yield* store.keys();
      } catch (err) {
        rethrowBlobOutage(err);
      }
    },
    ping: () => store.ping().catch(rethrowBlobOutage),
    sweepTemp: (olderThanMs) => store.sweepTemp(olderThanMs).catch(rethrowBlobOutage),
  };
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
