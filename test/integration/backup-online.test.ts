/**
 * Backup while the locker is busy. `openlocker backup` runs as its own process while this
 * process keeps writing — new blobs and references, rows, references dropped — and runs the
 * blob collector far past every grace period, as hard as it can. The snapshot must still
 * be consistent: the backup verifies, no blob a reference in it names is missing (the GC
 * hold paused deletion), ref counts agree with the reference rows (one transaction), and
 * everything committed before the backup started is in it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/deps.ts';
import { readManifest, silentProgress } from '../../src/storage/backup/format.ts';
import { restoreBackup } from '../../src/storage/backup/restore-backup.ts';
import { runCli } from '../support/cli.ts';
import { closeDeps, makeLocker, populate, type TestLocker } from '../support/locker.ts';
import type { Combo } from '../support/matrix.ts';
import { startS3, type TestS3 } from '../support/s3.ts';

let s3: TestS3;
const cleanup: Array<() => Promise<void>> = [];
beforeAll(async () => {
  s3 = await startS3('online-test');
});
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  await s3.close();
});

interface Churn {
  stop(): Promise<void>;
  iterations: number;
  heldSweeps: number;
  deletedByGc: number;
}

/** Writes, drops references and collects garbage in a loop until stopped. */
function churn(deps: AppDeps): Churn {
  let stopping = false;
  const state: Churn = { stop: async () => {}, iterations: 0, heldSweeps: 0, deletedByGc: 0 };
  const recent: Array<{ key: string; owner: string }> = [];
  const loop = (async () => {
    while (!stopping) {
      const i = state.iterations++;
      const p = await deps.blobs.put(Readable.from([crypto.randomBytes(2000 + (i % 50) * 997)]));
      const owner = `live-${i}`;
      await deps.blobRefs.addBlobRef({ ownerKind: 'upload', ownerId: owner, blobKey: p.key, size: p.size });
      await deps.outbox.record({ channel: 'email', to: `w${i}@example.in`, subject: 'write', body: `row ${i}` }, new Date());
      recent.push({ key: p.key, owner });
      if (recent.length > 3) {
        const old = recent.shift()!;
        await deps.blobRefs.removeBlobRef({ ownerKind: 'upload', ownerId: old.owner, blobKey: old.key });
      }
      // A collector with no grace period at all: it deletes every unreferenced blob it finds.
      const gc = await deps.blobRefs.collectGarbage(new Date(), { graceMs: 0 });
      if (gc.heldBy.length) state.heldSweeps++;
      state.deletedByGc += gc.deleted;
    }
  })();
  state.stop = async () => {
    stopping = true;
    await loop;
  };
  return state;
}

const STACKS: Combo[] = [
  { dialect: 'sqlite', blob: 'fs' },
  { dialect: 'postgres', blob: 's3' },
];

for (const combo of STACKS) {
  describe(`online backup under concurrent writes [${combo.dialect}+${combo.blob}]`, () => {
    it('is a consistent snapshot: verifies, misses no referenced blob, and restores whole', async () => {
      const source = makeLocker(combo.dialect, combo.blob, s3);
      cleanup.push(() => source.dispose());
      const deps = await source.open();
      await populate(deps, 6);
      // Enough data that copying it takes a while, so the churn overlaps the backup.
      for (let i = 0; i < 100; i++) {
        const p = await deps.blobs.put(Readable.from([crypto.randomBytes(40_000)]));
        await deps.blobRefs.addBlobRef({ ownerKind: 'upload', ownerId: `bulk-${i}`, blobKey: p.key, size: p.size });
      }
      const before = Number((await deps.sql.db.selectFrom('dev_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const work = fs.mkdtempSync(path.join(path.dirname(source.dataDir), 'ol-online-'));
      cleanup.push(async () => fs.rmSync(work, { recursive: true, force: true }));
      const dir = path.join(work, 'backup');

      const writer = churn(deps);
      let result;
      try {
        // Let the churn get going, then back up from another process while it continues.
        while (writer.iterations < 5) await new Promise((r) => setTimeout(r, 20));
        result = await runCli(['backup', dir], source.env, 120_000);
      } finally {
        await writer.stop();
        await closeDeps(deps);
      }
      expect(result.code, result.stderr.split("\n").filter((l) => !l.includes("[")).join("\n")).toBe(0);
      expect(writer.iterations).toBeGreaterThan(10);
      // The collector really ran and deleted while the backup was not holding it…
      expect(writer.deletedByGc).toBeGreaterThan(0);
      // …and was paused while the backup copied blobs.
      expect(writer.heldSweeps).toBeGreaterThan(0);

      const manifest = await readManifest(dir);
      expect(manifest.blobs.missing).toEqual([]);
      expect(manifest.blobs.corrupt).toEqual([]);
      const verify = await runCli(['backup', '--verify', dir], source.env, 120_000);
      expect(verify.code, verify.stdout).toBe(0);

      const target = makeLocker(combo.dialect, combo.blob, s3);
      cleanup.push(() => target.dispose());
      await restoreBackup({ config: target.config, dir, force: false, progress: silentProgress });
      const restored = await target.open();
      try {
        const db = restored.sql.db;
        const refs = await db.selectFrom('blob_refs').select(['blob_key']).execute();
        expect(refs.length).toBeGreaterThan(0);
        // Every reference in the snapshot names a blob that is in the restored store and decrypts.
        for (const key of new Set(refs.map((r) => r.blob_key))) {
          const stream = await restored.blobs.get(key);
          for await (const _chunk of stream) {
            /* drain: authenticates every chunk */
          }
        }
        // Counts and reference rows come from the same instant.
        const objects = await db.selectFrom('blob_objects').select(['blob_key', 'ref_count']).execute();
        const counted = new Map<string, number>();
        for (const r of refs) counted.set(r.blob_key, (counted.get(r.blob_key) ?? 0) + 1);
        for (const o of objects) expect(Number(o.ref_count), o.blob_key).toBe(counted.get(o.blob_key) ?? 0);
        // Everything committed before the backup began is there.
        const rows = Number((await db.selectFrom('dev_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        expect(rows).toBeGreaterThanOrEqual(before + 5);
        expect(await db.selectFrom('blob_gc_holds').selectAll().execute()).toEqual([]);
      } finally {
        await closeDeps(restored);
      }
    }, 240_000);
  });
}
