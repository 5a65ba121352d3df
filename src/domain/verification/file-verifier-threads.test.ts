import { afterEach, describe, expect, it } from 'vitest';
import type { KeyDirectory } from './ports.ts';
import { fileVerifierThreads, type FileVerifierThreads } from './file-verifier-threads.ts';
import type { VerifierDeps } from './verify-qr.ts';

const lookups: string[] = [];
const directory: KeyDirectory = {
  findByKid: async (kid) => (lookups.push(kid), null),
  findByCertificate: async (sha) => (lookups.push(sha), null),
  findByDid: async () => null,
};
const deps: VerifierDeps = { directory, now: () => new Date('2026-03-01T10:00:00Z') };
const UNSIGNED_PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const support = (name: string) => ({ url: new URL(`../../../test/support/threads/${name}`, import.meta.url) });

let pool: FileVerifierThreads | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('fileVerifierThreads', () => {
  it('checks files in a worker thread, with the same answers and error codes as in-process', async () => {
    pool = fileVerifierThreads({ size: 1 });
    const r = await pool.verify(deps, UNSIGNED_PDF);
    expect(r).toMatchObject({ status: 'unknown_issuer', source: 'pdf' });
    expect(r.checks[0]).toMatchObject({ id: 'pdf_signature_present', result: 'failed' });
    expect(pool.running).toBe(1);
    await expect(pool.verify(deps, Buffer.from('just some text'))).rejects.toMatchObject({ name: 'AppError', kind: 'unsupported', code: 'unsupported_file' });
    expect(pool.running).toBe(1); // an AppError is an answer, not a dead thread
  }, 60_000);

  it('a file that runs past its deadline is stopped with a clear 503 and its thread replaced', async () => {
    pool = fileVerifierThreads({ size: 1, timeoutMs: 300, entry: support('hang.mjs') });
    await expect(pool.verify(deps, UNSIGNED_PDF)).rejects.toMatchObject({ kind: 'unavailable', code: 'verification_timeout' });
    expect(pool.running).toBe(0);
  });

  it('a thread that dies on a file fails that file only; the next file gets a new thread', async () => {
    pool = fileVerifierThreads({ size: 1, entry: support('crash.mjs') });
    await expect(pool.verify(deps, UNSIGNED_PDF)).rejects.toMatchObject({ kind: 'unavailable', code: 'verification_failed' });
    await expect(pool.verify(deps, UNSIGNED_PDF)).rejects.toMatchObject({ code: 'verification_failed' });
  });

  it('a file that exhausts its thread’s heap stops at the thread’s limit, not the locker’s', async () => {
    pool = fileVerifierThreads({ size: 1, maxHeapMb: 32, entry: support('hog.mjs') });
    await expect(pool.verify(deps, UNSIGNED_PDF)).rejects.toMatchObject({ code: 'verification_failed' });
    expect(process.memoryUsage().heapUsed).toBeLessThan(1024 ** 3);
  });

  it('when no thread can load (its file is missing), files are checked in-process instead', async () => {
    pool = fileVerifierThreads({ size: 1, entry: { url: new URL('./no-such-thread.mjs', import.meta.url) } });
    const r = await pool.verify(deps, UNSIGNED_PDF);
    expect(r.status).toBe('unknown_issuer');
    expect(await pool.verify(deps, UNSIGNED_PDF)).toMatchObject({ status: 'unknown_issuer' });
  });

  it('refuses files beyond its queue with server_busy instead of piling them up', async () => {
    pool = fileVerifierThreads({ size: 1, maxQueue: 1, timeoutMs: 60_000, entry: support('hang.mjs') });
    const first = pool.verify(deps, UNSIGNED_PDF);
    const second = pool.verify(deps, UNSIGNED_PDF);
    await expect(pool.verify(deps, UNSIGNED_PDF)).rejects.toMatchObject({ kind: 'unavailable', code: 'server_busy' });
    await pool.close();
    await expect(first).rejects.toMatchObject({ code: 'verification_failed' });
    await expect(second).rejects.toMatchObject({ code: 'verification_failed' });
  });
});
