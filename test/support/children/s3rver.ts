/**
 * s3rver in its own process, so its occasional internal errors (it is unmaintained; e.g. an
 * object deleted while it walks a listing) cannot crash the test runner. Prints its port.
 */
import S3rver from 's3rver';

process.on('uncaughtException', (err) => {
  process.stderr.write(`s3rver: ${(err as Error).message}\n`);
});

const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  silent: true,
  directory: process.env.S3RVER_DIR!,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET!, configs: [] }],
});
const { port } = await server.run();
process.stdout.write(`PORT ${port}\n`);
process.on('SIGTERM', () => {
  server.close().finally(() => process.exit(0));
});
