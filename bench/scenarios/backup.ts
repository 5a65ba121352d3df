/**
 * Backup and restore throughput: a locker (SQLite + filesystem blobs) holding N blobs is
 * backed up (every blob read, decrypted in memory and checked against its key, written and
 * fsynced, hashed) and restored into an empty locker; the baseline is a plain recursive copy
 * of the same blob directory in the same run. BENCH_BACKUP_BLOBS (default 200) blobs of
 * BENCH_BACKUP_BLOB_KIB (default 256) KiB.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../../src/config/index.ts';
import { closeDeps, openDeps } from '../../src/deps.ts';
import { createBackup } from '../../src/storage/backup/create-backup.ts';
import { silentProgress } from '../../src/storage/backup/format.ts';
import { restoreBackup } from '../../src/storage/backup/restore-backup.ts';
import type { BenchRow, Scenario } from '../lib/report.ts';

const mibps = (bytes: number, ms: number) => bytes / 1024 / 1024 / (ms / 1000);

export const backup: Scenario = {
  name: 'backup',
  async run(): Promise<BenchRow[]> {
    const n = Number(process.env.BENCH_BACKUP_BLOBS ?? 200);
    const size = Number(process.env.BENCH_BACKUP_BLOB_KIB ?? 256) * 1024;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-backup-'));
    try {
      const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', SANDBOX: 'false' };
      const source = loadConfig({ ...env, DATA_DIR: path.join(root, 'source') }).config;
      const deps = await openDeps(source);
      for (let i = 0; i < n; i++) {
        const p = await deps.blobs.put(Readable.from([crypto.randomBytes(size)]));
        await deps.blobRefs.addBlobRef({ ownerKind: 'upload', ownerId: `u${i}`, blobKey: p.key, size: p.size });
      }
      await closeDeps(deps);

      let t = performance.now();
      await fsp.cp(path.join(root, 'source', 'blobs'), path.join(root, 'plain-copy'), { recursive: true });
      const copyMs = performance.now() - t;

      t = performance.now();
      const b = await createBackup({ config: source, dir: path.join(root, 'backup'), progress: silentProgress });
      const backupMs = performance.now() - t;

      const target = loadConfig({ ...env, DATA_DIR: path.join(root, 'target') }).config;
      t = performance.now();
      const r = await restoreBackup({ config: target, dir: path.join(root, 'backup'), force: false, progress: silentProgress });
      const restoreMs = performance.now() - t;

      const bytes = b.manifest.blobs.bytes;
      const label = `${n} blobs × ${size / 1024} KiB (${(bytes / 1024 / 1024).toFixed(1)} MiB)`;
      return [
        { scenario: 'backup', measure: `plain cp -r of the blobs, ${label}`, value: `${mibps(bytes, copyMs).toFixed(1)} MiB/s` },
        { scenario: 'backup', measure: 'openlocker backup (verify + fsync + hash)', value: `${mibps(bytes, backupMs).toFixed(1)} MiB/s (${(backupMs / 1000).toFixed(2)} s)` },
        { scenario: 'backup', measure: 'openlocker restore (hash check + publish)', value: `${mibps(r.blobBytes, restoreMs).toFixed(1)} MiB/s (${(restoreMs / 1000).toFixed(2)} s)` },
        { scenario: 'backup', measure: 'backup ÷ plain copy', value: (copyMs / backupMs).toFixed(2) },
      ];
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};
