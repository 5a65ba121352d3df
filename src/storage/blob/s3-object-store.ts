/**
 * Opaque objects in any S3-compatible store. A write streams (multipart for large
 * objects, via lib-storage) to a temporary key under `.tmp/`, then is copied to its final
 * key and the temporary deleted: readers only ever see whole objects, and a crash leaves
 * only a `.tmp/` object for `sweepTemp`. Checksums are set to WHEN_REQUIRED: with the
 * SDK's default flexible checksums, non-AWS servers store streamed bodies with their
 * aws-chunked framing and the bytes read back differ.
 */
import crypto from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertBlobKey, BlobNotFoundError, type RawObjectStore, type RawWriter } from './types.ts';
import { blobOutage } from '../outage.ts';

export interface S3Location {
  bucket: string;
  prefix: string;
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
}

export function s3Client(loc: S3Location): S3Client {
  const config: S3ClientConfig = {
    region: loc.region,
    forcePathStyle: loc.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  };
  if (loc.endpoint) config.endpoint = loc.endpoint;
  if (loc.accessKeyId && loc.secretAccessKey) config.credentials = { accessKeyId: loc.accessKeyId, secretAccessKey: loc.secretAccessKey };
  return new S3Client(config);
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

export function s3ObjectStore(loc: S3Location, client: S3Client = s3Client(loc)): RawObjectStore {
  const Bucket = loc.bucket;
  const tmpPrefix = `${loc.prefix}.tmp/`;
  const objectKey = (key: string) => {
    assertBlobKey(key);
    return `${loc.prefix}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
  };

  async function head(Key: string): Promise<number | null> {
    try {
      const r = await client.send(new HeadObjectCommand({ Bucket, Key }));
      return r.ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  return {
    describe: `s3://${Bucket}/${loc.prefix}${loc.endpoint ? ` at ${loc.endpoint}` : ''}`,

    async createWriter(): Promise<RawWriter> {
      const tmpKey = `${tmpPrefix}${crypto.randomUUID()}`;
      const stream = new PassThrough();
      const upload = new Upload({
        client,
        params: { Bucket, Key: tmpKey, Body: stream, ContentType: 'application/octet-stream' },
        queueSize: 2,
        partSize: 5 * 1024 * 1024,
        leavePartsOnError: false,
      });
      const uploaded = upload.done();
      // If the upload fails, stop the writer so the pipeline feeding it does not hang.
      uploaded.catch((err) => stream.destroy((blobOutage(err) ?? err) as Error));
      let settled = false;
      return {
        stream,
        async commit(key) {
          const Key = objectKey(key);
          await uploaded;
          settled = true;
          try {
            if ((await head(Key)) !== null) return false;
            // Some S3-compatible servers (s3rver under load, gateways in front of eventually
            // consistent stores) may not show an object the instant its upload is
            // acknowledged: a copy from it that finds nothing is tried again, briefly.
            for (let attempt = 1; ; attempt++) {
              try {
                await client.send(new CopyObjectCommand({ Bucket, Key, CopySource: `${Bucket}/${encodeURI(tmpKey)}` }));
                return true;
              } catch (err) {
                if (!isNotFound(err) || attempt >= 4) throw err;
                await new Promise((r) => setTimeout(r, 50 * attempt * attempt));
              }
            }
          } finally {
            await client.send(new DeleteObjectCommand({ Bucket, Key: tmpKey })).catch(() => {});
          }
        },
        async abort() {
          if (settled) return;
          settled = true;
          stream.destroy();
          await upload.abort().catch(() => {});
          await uploaded.catch(() => {});
          await client.send(new DeleteObjectCommand({ Bucket, Key: tmpKey })).catch(() => {});
        },
      };
    },

    async read(key, range) {
      try {
        const r = await client.send(
          new GetObjectCommand({ Bucket, Key: objectKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
        );
        return r.Body as Readable;
      } catch (err) {
        if (isNotFound(err)) throw new BlobNotFoundError(key);
        throw err;
      }
    },

    size: (key) => head(objectKey(key)),

    async delete(key) {
      const Key = objectKey(key);
      if ((await head(Key)) === null) return false;
      await client.send(new DeleteObjectCommand({ Bucket, Key }));
      return true;
    },

    async *keys() {
      let ContinuationToken: string | undefined;
      do {
        // Temporary writes live under `.tmp/`, which sorts before every fan-out directory
        // (`.` < `0`): starting after `.tmq` skips them without listing them.
        const r = await client.send(
          new ListObjectsV2Command({ Bucket, Prefix: loc.prefix, ContinuationToken, ...(ContinuationToken ? {} : { StartAfter: `${loc.prefix}.tmq` }) }),
        );
        for (const o of r.Contents ?? []) {
          const name = o.Key?.slice(loc.prefix.length) ?? '';
          const m = /^[0-9a-f]{2}\/[0-9a-f]{2}\/([0-9a-f]{64})$/.exec(name);
          if (m) yield m[1]!;
        }
        ContinuationToken = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },

    async ping() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },

    async sweepTemp(olderThanMs) {
      const cutoff = Date.now() - olderThanMs;
      let n = 0;
      let ContinuationToken: string | undefined;
      do {
        const r = await client.send(new ListObjectsV2Command({ Bucket, Prefix: tmpPrefix, ContinuationToken }));
        for (const o of r.Contents ?? []) {
          if (o.Key && (o.LastModified?.getTime() ?? 0) <= cutoff) {
            await client.send(new DeleteObjectCommand({ Bucket, Key: o.Key }));
            n++;
          }
        }
        ContinuationToken = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return n;
    },
  };
}
