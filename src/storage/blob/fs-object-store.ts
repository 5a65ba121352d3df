/**
 * Opaque objects on the local filesystem, with S3's all-or-nothing semantics: a write goes
 * to `.tmp/`, is fsynced, then hard-linked into place (atomic on POSIX, and refused if the
 * key exists) and the directory fsynced, so a crash at any point leaves either no object or a whole one.
 * Keys are validated as 64 hex digits before they touch a path, so they cannot escape the
 * root; objects fan out as `ab/cd/abcd…` to keep directories small.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertBlobKey, BlobNotFoundError, type RawObjectStore, type RawWriter } from './types.ts';

const TMP = '.tmp';

export function fsObjectStore(root: string): RawObjectStore {
  const base = path.resolve(root);
  fs.mkdirSync(path.join(base, TMP), { recursive: true, mode: 0o700 });

  function keyPath(key: string): string {
    assertBlobKey(key);
    const p = path.join(base, key.slice(0, 2), key.slice(2, 4), key);
    // Belt and braces: the key regex already makes escaping impossible.
    if (!p.startsWith(base + path.sep)) throw new BlobNotFoundError(key);
    return p;
  }

  async function fsyncDir(dir: string): Promise<void> {
    const fd = await fsp.open(dir, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
  }

  return {
    describe: `file:${base}`,

    async createWriter(): Promise<RawWriter> {
      const tmp = path.join(base, TMP, crypto.randomUUID());
      const stream = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
      let done = false;
      return {
        stream,
        async commit(key) {
          const final = keyPath(key);
          if (!stream.writableFinished) await new Promise<void>((resolve, reject) => stream.once('finish', resolve).once('error', reject));
          const fd = await fsp.open(tmp, 'r+');
          try {
            await fd.sync();
          } finally {
            await fd.close();
          }
          const dir = path.dirname(final);
          await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
          done = true;
          // link() publishes atomically and fails if the key exists, so of several
          // concurrent writers of the same content exactly one reports `created`.
          try {
            await fsp.link(tmp, final);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
            return false;
          } finally {
            await fsp.rm(tmp, { force: true });
          }
          await fsyncDir(dir);
          return true;
        },
        async abort() {
          if (done) return;
          done = true;
          stream.destroy();
          await fsp.rm(tmp, { force: true });
        },
      };
    },

    async read(key, range) {
      const p = keyPath(key);
      try {
        const handle = await fsp.open(p, 'r');
        return handle.createReadStream(range ? { start: range.start, end: range.end } : {}) as unknown as Readable;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(key);
        throw err;
      }
    },

    async size(key) {
      try {
        return (await fsp.stat(keyPath(key))).size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },

    async delete(key) {
      const p = keyPath(key);
      try {
        await fsp.unlink(p);
        await fsyncDir(path.dirname(p));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    },

    async *keys() {
      for (const a of await listDir(base)) {
        if (!/^[0-9a-f]{2}$/.test(a)) continue;
        for (const b of await listDir(path.join(base, a))) {
          if (!/^[0-9a-f]{2}$/.test(b)) continue;
          for (const k of await listDir(path.join(base, a, b))) if (/^[0-9a-f]{64}$/.test(k)) yield k;
        }
      }
    },

    async ping() {
      await fsp.access(path.join(base, TMP), fs.constants.W_OK);
    },

    async sweepTemp(olderThanMs) {
      let n = 0;
      const dir = path.join(base, TMP);
      const cutoff = Date.now() - olderThanMs;
      for (const name of await listDir(dir)) {
        const p = path.join(dir, name);
        const st = await fsp.stat(p).catch(() => null);
        if (st && st.mtimeMs <= cutoff) {
          await fsp.rm(p, { force: true });
          n++;
        }
      }
      return n;
    },
  };
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await fsp.readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
