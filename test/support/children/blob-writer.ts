/**
 * Child process for the crash test: writes a large deterministic blob slowly, prints
 * "WRITING" once a few MB are in flight, and waits to be killed with SIGKILL.
 */
import { Readable } from 'node:stream';
import { parseBlobUrl } from '../../../src/config/schema.ts';
import { masterKeyFromBytes } from '../../../src/crypto/master-key.ts';
import { openBlobStore } from '../../../src/storage/blob/index.ts';
import { deterministicBytes } from '../bytes.ts';

const url = parseBlobUrl(process.env.BLOB_URL, { dataDir: '/tmp', nodeEnv: 'test' });
const { blobs } = openBlobStore(url, masterKeyFromBytes(Buffer.from(process.env.MASTER_KEY_HEX!, 'hex')));
const total = Number(process.env.TOTAL_BYTES);
const chunk = 256 * 1024;

async function* slow() {
  for (let off = 0; off < total; off += chunk) {
    yield deterministicBytes(off, Math.min(chunk, total - off));
    if (off === 12 * chunk) process.stdout.write('WRITING\n');
    if (off > 12 * chunk) await new Promise((r) => setTimeout(r, 50));
  }
}

await blobs.put(Readable.from(slow()));
process.stdout.write('DONE\n');
