/**
 * A real S3-compatible server (s3rver) on loopback, for blob tests on the S3 backend. It
 * runs in a child process (test/support/children/s3rver.ts) so that its own bugs cannot
 * crash the test runner.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** BLOB_URL for this server and bucket. */
  blobUrl: string;
  close(): Promise<void>;
}

export async function startS3(bucket = 'openlocker-test'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-s3-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'children', 's3rver.ts')], {
    env: { ...process.env, S3RVER_DIR: directory, S3RVER_BUCKET: bucket },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${out}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}): ${out}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    blobUrl: `s3://${bucket}/blobs?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1&access_key_id=S3RVER&secret_access_key=S3RVER`,
    async close() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 5000).unref();
        });
      }
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
