/**
 * An S3-compatible server may acknowledge an upload before a copy from it can see the
 * object. The S3 store's commit (upload to a temporary key, copy to the content address)
 * tries the copy again when it finds nothing — and still fails cleanly when the object
 * never appears. Real s3rver; only CopyObject's answers are interfered with.
 */
import { CopyObjectCommand, ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseBlobUrl } from '../../src/config/schema.ts';
import { s3Client, s3ObjectStore } from '../../src/storage/blob/s3-object-store.ts';
import { startS3, type TestS3 } from '../support/s3.ts';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3('copy-retry');
});
afterAll(async () => {
  await s3?.close();
});

/** The real client, whose first `misses` CopyObject calls answer "no such key". */
function laggingClient(real: S3Client, misses: number): { client: S3Client; copies: () => number } {
  let copies = 0;
  const client = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (cmd: unknown, ...rest: unknown[]) => {
        if (cmd instanceof CopyObjectCommand && copies++ < misses) return Promise.reject(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }));
        return (target.send as (...a: unknown[]) => unknown).call(target, cmd, ...rest);
      };
    },
  });
  return { client, copies: () => copies };
}

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

it('a copy that does not yet see the uploaded object is tried again; one that never does fails, leaving nothing', async () => {
  const loc = parseBlobUrl(s3.blobUrl, { dataDir: '/tmp', nodeEnv: 'test' }) as Extract<ReturnType<typeof parseBlobUrl>, { kind: 's3' }>;
  const real = s3Client(loc);

  const lagging = laggingClient(real, 2);
  const store = s3ObjectStore(loc, lagging.client);
  const w = await store.createWriter();
  w.stream.end(Buffer.from('hello'));
  expect(await w.commit(KEY_A)).toBe(true);
  expect(lagging.copies()).toBe(3);
  expect(await store.size(KEY_A)).toBe(5);

  const never = laggingClient(real, 100);
  const broken = s3ObjectStore(loc, never.client);
  const w2 = await broken.createWriter();
  w2.stream.end(Buffer.from('world'));
  await expect(w2.commit(KEY_B)).rejects.toThrow(/does not exist/);
  expect(never.copies()).toBe(4);
  expect(await store.size(KEY_B)).toBeNull();
  // The temporary objects were removed either way.
  const listed = await real.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: `${loc.prefix}.tmp/` }));
  expect(listed.KeyCount ?? 0).toBe(0);
});
