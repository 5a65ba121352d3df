import type { BlobUrl } from '../../config/index.ts';
import type { MasterKey } from '../../crypto/master-key.ts';
import { encryptedBlobStore } from './encrypted-blob-store.ts';
import { fsObjectStore } from './fs-object-store.ts';
import { s3ObjectStore } from './s3-object-store.ts';
import type { BlobStore, RawObjectStore } from './types.ts';

export * from './types.ts';
export { readAll } from './encrypted-blob-store.ts';

export function openRawObjectStore(url: BlobUrl): RawObjectStore {
  return url.kind === 'file' ? fsObjectStore(url.root) : s3ObjectStore(url);
}

/** The blob store named by `BLOB_URL`, encrypting under `master`. */
export function openBlobStore(url: BlobUrl, master: MasterKey): { blobs: BlobStore; raw: RawObjectStore } {
  const raw = openRawObjectStore(url);
  return { blobs: encryptedBlobStore(raw, master), raw };
}
