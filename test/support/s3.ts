/** A real S3-compatible server (s3rver) on loopback, for blob tests on the S3 backend. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** BLOB_URL for this server and bucket. */
  blobUrl: string;
  close(): Promise<void>;
}

export async function startS3(bucket = 'openlocker-test'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    blobUrl: `s3://${bucket}/blobs?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1&access_key_id=S3RVER&secret_access_key=S3RVER`,
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
