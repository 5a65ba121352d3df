/**
 * The BlobStore contract, on every backend (filesystem and S3 via s3rver): streaming
 * round trips, content addressing, ranges, limits, atomicity under a crash, keys that
 * cannot escape, and encryption at rest that needs the master key.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { masterKeyFromBytes } from '../../src/crypto/master-key.ts';
import { contentAddress } from '../../src/storage/blob/encrypted-blob-store.ts';
import { VerifyTap } from '../../src/storage/backup/blob-copy.ts';
import { BlobIntegrityError, BlobNotFoundError, BlobTooLargeError } from '../../src/storage/blob/index.ts';
import { describeEachBlobStore } from '../support/blob.ts';
import { deterministicBytes, streamToBuffer } from '../support/bytes.ts';

const chunked = (buf: Buffer, size = 7919) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
    })(),
  );

describeEachBlobStore('BlobStore conformance', (get, backend) => {
  const sizes = [0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 300_001];
  for (const size of sizes) {
    it(`round-trips ${size} bytes`, async () => {
      const data = crypto.randomBytes(size);
      const put = await get().blobs.put(chunked(data));
      expect(put.size).toBe(size);
      expect(put.sha256).toBe(crypto.createHash('sha256').update(data).digest('hex'));
      expect(put.key).toMatch(/^[0-9a-f]{64}$/);
      expect(await streamToBuffer(await get().blobs.get(put.key))).toEqual(data);
      expect(await get().blobs.stat(put.key)).toEqual({ key: put.key, size });
    });
  }

  it('streams a blob larger than one multipart part (6 MiB)', async () => {
    const data = deterministicBytes(0, 6 * 1024 * 1024 + 123);
    const put = await get().blobs.put(chunked(data, 1 << 20));
    expect(put.created).toBe(true);
    const back = await streamToBuffer(await get().blobs.get(put.key));
    expect(back.equals(data)).toBe(true);
  });

  it('names blobs by content: equal bytes share one key; different bytes do not', async () => {
    const data = crypto.randomBytes(5000);
    const a = await get().blobs.put(chunked(data));
    const b = await get().blobs.put(chunked(data, 13));
    const c = await get().blobs.put(chunked(Buffer.concat([data, Buffer.from([0])])));
    expect(a.created).toBe(true);
    expect(b).toEqual({ ...a, created: false });
    expect(c.key).not.toBe(a.key);
  });

  it('round-trips whatever the input chunking: pieces at, just under and just over the 64 KiB cipher chunk', async () => {
    const data = crypto.randomBytes(3 * 65_536 + 5);
    for (const piece of [1, 65_535, 65_536, 65_537, 131_072, 131_073, data.length]) {
      const put = await get().blobs.put(chunked(data, piece));
      expect((await streamToBuffer(await get().blobs.get(put.key))).equals(data), `pieces of ${piece}`).toBe(true);
      expect((await streamToBuffer(await get().blobs.get(put.key, { start: 65_530, end: 131_080 }))).equals(data.subarray(65_530, 131_081))).toBe(true);
    }
  });

  it("backups' content check accepts a blob under its key, or under the earlier scheme's key (HMAC of the plaintext), and nothing else", async () => {
    const data = crypto.randomBytes(70_000);
    const put = await get().blobs.put(chunked(data));
    const sealed = await streamToBuffer(await get().raw.read(put.key));
    const master = masterKeyFromBytes(get().masterBytes);
    const check = async (key: string) => {
      const tap = new VerifyTap(master);
      await pipeline(Readable.from([sealed]), tap, new Writable({ write: (_c, _e, cb) => cb() }));
      return tap.result(key).contentOk;
    };
    expect(await check(put.key)).toBe(true);
    expect(await check(crypto.createHmac('sha256', master.derive('blob-address')).update(data).digest('hex'))).toBe(true);
    expect(await check(crypto.createHmac('sha256', master.derive('blob-address')).update(put.sha256).digest('hex'))).toBe(false);
    expect(await check(put.sha256)).toBe(false);
  });

  it('the key is not the plain SHA-256 of the content (no content fingerprinting from keys)', async () => {
    const data = crypto.randomBytes(100);
    const put = await get().blobs.put(chunked(data));
    expect(put.key).not.toBe(put.sha256);
  });

  if (backend === 'fs') {
    it('concurrent puts of the same content create it exactly once', async () => {
      const data = crypto.randomBytes(70_000);
      const results = await Promise.all(Array.from({ length: 8 }, () => get().blobs.put(chunked(data))));
      expect(new Set(results.map((r) => r.key)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    });
  }

  it('reads inclusive byte ranges, across chunk boundaries', async () => {
    const data = crypto.randomBytes(200_000);
    const { key } = await get().blobs.put(chunked(data));
    const cases: Array<[number, number | undefined]> = [
      [0, 0],
      [0, 99],
      [65_530, 65_545],
      [65_536, 131_071],
      [10, 199_999],
      [199_999, undefined],
      [150_000, undefined],
      [100, 500_000], // end past the blob is clamped, as HTTP does
    ];
    for (const [start, end] of cases) {
      const got = await streamToBuffer(await get().blobs.get(key, end === undefined ? { start } : { start, end }));
      const want = data.subarray(start, end === undefined ? undefined : Math.min(end, data.length - 1) + 1);
      expect(got.equals(want), `range ${start}-${end}`).toBe(true);
    }
    await expect(get().blobs.get(key, { start: 200_000 })).rejects.toThrow(RangeError);
    await expect(get().blobs.get(key, { start: 10, end: 5 })).rejects.toThrow(RangeError);
  });

  it('deletes, and reports what it deleted', async () => {
    const { key } = await get().blobs.put(chunked(crypto.randomBytes(10)));
    expect(await get().blobs.exists(key)).toBe(true);
    expect(await get().blobs.delete(key)).toBe(true);
    expect(await get().blobs.delete(key)).toBe(false);
    expect(await get().blobs.exists(key)).toBe(false);
    expect(await get().blobs.stat(key)).toBeNull();
    await expect(get().blobs.get(key)).rejects.toThrow(BlobNotFoundError);
  });

  it('lists stored keys', async () => {
    const { key } = await get().blobs.put(chunked(crypto.randomBytes(33)));
    const keys: string[] = [];
    for await (const k of get().blobs.keys()) keys.push(k);
    expect(keys).toContain(key);
    expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
  });

  it('refuses keys that are not content addresses, so none can escape the root', async () => {
    for (const bad of ['../../etc/passwd', '/etc/passwd', 'A'.repeat(64), '..', '', 'ab/../../x', `${'a'.repeat(63)}/`, '%2e%2e']) {
      await expect(get().blobs.get(bad)).rejects.toThrow(BlobNotFoundError);
      expect(await get().blobs.exists(bad)).toBe(false);
      expect(await get().blobs.stat(bad)).toBeNull();
      expect(await get().blobs.delete(bad)).toBe(false);
    }
  });

  it('cuts off a blob over maxBytes early and stores nothing', async () => {
    const before = await get().tempCount();
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced += 16_384;
        yield crypto.randomBytes(16_384);
        if (produced > 50 * 1024 * 1024) throw new Error('source read far past the limit');
      }
    }
    await expect(get().blobs.put(Readable.from(endless()), { maxBytes: 100_000 })).rejects.toThrow(BlobTooLargeError);
    expect(produced).toBeLessThan(1024 * 1024);
    expect(await get().tempCount()).toBe(before);
  });

  it('a failing source leaves nothing visible', async () => {
    const data = crypto.randomBytes(150_000);
    async function* failing() {
      yield data.subarray(0, 100_000);
      throw new Error('client went away');
    }
    const keysBefore = await allKeys();
    await expect(get().blobs.put(Readable.from(failing()))).rejects.toThrow('client went away');
    expect(await allKeys()).toEqual(keysBefore);
    expect(await get().tempCount()).toBe(0);
  });

  it('keeps blobs encrypted at rest: the stored bytes do not contain the plaintext', async () => {
    const secret = Buffer.from('AADHAAR 1234 5678 9012 — confidential marksheet '.repeat(200));
    const { key } = await get().blobs.put(chunked(secret));
    const stored = await get().rawBytes(key);
    expect(stored.subarray(0, 4).toString()).toBe('OLB1');
    expect(stored.includes(Buffer.from('AADHAAR'))).toBe(false);
    expect(stored.includes(Buffer.from('confidential'))).toBe(false);
  });

  it('cannot be read without the master key', async () => {
    const { key } = await get().blobs.put(chunked(Buffer.from('only with the right key')));
    const other = get().reopen(crypto.randomBytes(32));
    await expect(streamToBuffer(await other.get(key))).rejects.toThrow(BlobIntegrityError);
    await expect(other.stat(key)).rejects.toThrow(BlobIntegrityError);
  });

  it('detects a flipped byte, a truncation and a dropped final chunk', async () => {
    const data = crypto.randomBytes(140_000);
    const { key } = await get().blobs.put(chunked(data));
    const original = await get().rawBytes(key);

    const flipped = Buffer.from(original);
    flipped[100_000] = flipped[100_000]! ^ 0x01;
    await get().rawOverwrite(key, flipped);
    await expect(streamToBuffer(await get().blobs.get(key))).rejects.toThrow(BlobIntegrityError);

    // Cut exactly at a chunk boundary: every remaining chunk authenticates, but none is final.
    const boundary = 85 + 2 * (65_536 + 16);
    await get().rawOverwrite(key, original.subarray(0, boundary));
    await expect(streamToBuffer(await get().blobs.get(key))).rejects.toThrow(BlobIntegrityError);

    await get().rawOverwrite(key, original.subarray(0, original.length - 10));
    await expect(streamToBuffer(await get().blobs.get(key))).rejects.toThrow(BlobIntegrityError);

    await get().rawOverwrite(key, original);
    expect((await streamToBuffer(await get().blobs.get(key))).equals(data)).toBe(true);
  });

  it('a writer killed with SIGKILL mid-blob leaves no partial blob visible', async () => {
    const total = 40 * 1024 * 1024;
    // The key the blob would have had, had it finished.
    const sha = crypto.createHash('sha256');
    for (let off = 0; off < total; off += 1 << 20) sha.update(deterministicBytes(off, Math.min(1 << 20, total - off)));
    const wouldBe = contentAddress(masterKeyFromBytes(get().masterBytes), sha.digest());

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support/children/blob-writer.ts')], {
      env: { ...process.env, BLOB_URL: get().blobUrl, MASTER_KEY_HEX: get().masterBytes.toString('hex'), TOTAL_BYTES: String(total) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('WRITING') && resolve());
      child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    expect(await get().blobs.exists(wouldBe)).toBe(false);
    expect(await allKeys()).not.toContain(wouldBe);
    // What the crash left behind is temporary and swept.
    await get().raw.sweepTemp(0);
    expect(await get().tempCount()).toBe(0);
  }, 60_000);

  async function allKeys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const k of get().blobs.keys()) keys.push(k);
    return keys.sort();
  }
});

describe('master key derivation', () => {
  it('derives distinct, stable subkeys per purpose', () => {
    const m = masterKeyFromBytes(Buffer.alloc(32, 7));
    expect(m.derive('a').equals(m.derive('a'))).toBe(true);
    expect(m.derive('a').equals(m.derive('b'))).toBe(false);
    expect(masterKeyFromBytes(Buffer.alloc(32, 8)).derive('a').equals(m.derive('a'))).toBe(false);
  });
});
