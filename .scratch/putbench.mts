import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { masterKeyFromBytes } from '/work/wt-uploads/src/crypto/master-key.ts';
import { encryptedBlobStore } from '/work/wt-uploads/src/storage/blob/encrypted-blob-store.ts';
import { fsObjectStore } from '/work/wt-uploads/src/storage/blob/fs-object-store.ts';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-'));
const store = encryptedBlobStore(fsObjectStore(dir), masterKeyFromBytes(crypto.randomBytes(32)));
const shared = crypto.randomBytes(10 * 1024 * 1024);
function* slices(i: number) { yield Buffer.from('uniq' + i + '-' + Math.random()); for (let o = 0; o < shared.length; o += 65536) yield shared.subarray(o, o + 65536); }
const t = performance.now();
await Promise.all(Array.from({ length: 32 }, (_, i) => store.put(Readable.from(slices(i)))));
const ms = performance.now() - t;
console.log('put MiB/s', (320 / (ms / 1000)).toFixed(1), 'rss MB', (process.memoryUsage().rss / 1e6).toFixed(0));
fs.rmSync(dir, { recursive: true, force: true });
