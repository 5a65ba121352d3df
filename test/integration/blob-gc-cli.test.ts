/**
 * `openlocker blobs gc` as an operator runs it (a child process against a real data dir),
 * and the periodic in-process sweep of `serve`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config/index.ts';
import { closeDeps, openDeps } from '../../src/deps.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { startBlobGcJob } from '../../src/jobs/blob-gc-job.ts';
import { runCli } from '../support/cli.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-gc-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A locker in `dataDir` with one blob whose last reference went away `ageMs` ago. */
async function lockerWithReleasedBlob(dataDir: string, ageMs: number): Promise<string> {
  const clock = new ManualClock(new Date(Date.now() - ageMs));
  const deps = await openDeps(testConfig({ DATA_DIR: dataDir }), { clock });
  try {
    const p = await deps.blobs.put(Readable.from([crypto.randomBytes(4096)]));
    await deps.blobRefs.addBlobRef({ ownerKind: 'upload', ownerId: 'u1', blobKey: p.key, size: p.size });
    await deps.blobRefs.removeBlobRef({ ownerKind: 'upload', ownerId: 'u1', blobKey: p.key });
    return p.key;
  } finally {
    await closeDeps(deps);
  }
}

describe('openlocker blobs gc', () => {
  it('--dry-run reports, then a real run deletes a blob unreferenced for longer than the grace period', async () => {
    const dataDir = tmp();
    const key = await lockerWithReleasedBlob(dataDir, 2 * 86_400_000);
    const blobFile = path.join(dataDir, 'blobs', key.slice(0, 2), key.slice(2, 4), key);
    expect(fs.existsSync(blobFile)).toBe(true);

    const dry = await runCli(['blobs', 'gc', '--dry-run'], { DATA_DIR: dataDir });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing deleted');
    expect(dry.stdout).toMatch(/would delete:\s+1 blob \(4\.0 KiB\)/);
    expect(fs.existsSync(blobFile)).toBe(true);

    const real = await runCli(['blobs', 'gc'], { DATA_DIR: dataDir });
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/deleted:\s+1 blob \(4\.0 KiB\)/);
    expect(fs.existsSync(blobFile)).toBe(false);
  }, 120_000);

  it('keeps a blob still in its grace period (BLOB_GC_GRACE_SECONDS)', async () => {
    const dataDir = tmp();
    const key = await lockerWithReleasedBlob(dataDir, 3600_000);
    const r = await runCli(['blobs', 'gc'], { DATA_DIR: dataDir, BLOB_GC_GRACE_SECONDS: '7200' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/in grace period:\s+1/);
    expect(fs.existsSync(path.join(dataDir, 'blobs', key.slice(0, 2), key.slice(2, 4), key))).toBe(true);
  }, 120_000);

  it('has --help', async () => {
    const r = await runCli(['blobs', 'gc', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: openlocker blobs gc/);
    expect(r.stdout).toContain('--dry-run');
    expect(r.stdout).toContain('--include-untracked');
  }, 120_000);
});

describe('periodic sweep while serving', () => {
  it('is off under NODE_ENV=test, and sweeps every BLOB_GC_INTERVAL_SECONDS when set', async () => {
    expect(testConfig().blobGcIntervalSeconds).toBe(0);
    const dataDir = tmp();
    const key = await lockerWithReleasedBlob(dataDir, 2 * 86_400_000);
    const deps = await openDeps(testConfig({ DATA_DIR: dataDir, BLOB_GC_INTERVAL_SECONDS: '1' }));
    const logs: string[] = [];
    const job = startBlobGcJob(deps, { info: (_f, m) => logs.push(m), warn: (_f, m) => logs.push(`warn ${m}`) });
    try {
      expect(job).toBeDefined();
      expect(startBlobGcJob({ ...deps, config: testConfig() }, { info() {}, warn() {} })).toBeUndefined();
      for (let i = 0; i < 60 && (await deps.blobs.exists(key)); i++) await new Promise((r) => setTimeout(r, 100));
      expect(await deps.blobs.exists(key)).toBe(false);
      // The blob goes mid-sweep; the sweep logs when it ends (runOnce joins the sweep in flight).
      await job!.runOnce();
      expect(logs).toContain('blob garbage collection');
    } finally {
      await job?.stop();
      await closeDeps(deps);
    }
  }, 120_000);
});
