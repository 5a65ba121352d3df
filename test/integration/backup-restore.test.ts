/**
 * Backup → restore round trips on every dialect × blob backend, and across kinds
 * (SQLite ↔ PostgreSQL): every table row-identical, every blob byte-identical and
 * decrypting to the same plaintext under the restored key, DATA_DIR's key files (and a
 * module's own SQLite file, open and in WAL mode during the backup) restored exactly.
 * A non-empty target is refused and left untouched; --force replaces it.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../src/storage/backup/create-backup.ts';
import { BackupError, silentProgress } from '../../src/storage/backup/format.ts';
import { restoreBackup } from '../../src/storage/backup/restore-backup.ts';
import { verifyBackup } from '../../src/storage/backup/verify-backup.ts';
import { streamToBuffer } from '../support/bytes.ts';
import { closeDeps, dumpTables, makeLocker, populate, rawBlobBytes, type TestLocker } from '../support/locker.ts';
import { COMBOS, type Combo } from '../support/matrix.ts';
import { startS3, type TestS3 } from '../support/s3.ts';

let s3: TestS3;
const cleanup: Array<() => Promise<void>> = [];
beforeAll(async () => {
  s3 = await startS3('backup-test');
});
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  await s3.close();
});

function locker(combo: Combo, env: Record<string, string> = {}): TestLocker {
  const l = makeLocker(combo.dialect, combo.blob, s3, env);
  cleanup.push(() => l.dispose());
  return l;
}

function backupDir(): string {
  const d = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'ol-backup-'));
  cleanup.push(async () => fs.rmSync(d, { recursive: true, force: true }));
  return path.join(d, 'snapshot');
}

interface Source {
  locker: TestLocker;
  contents: Map<string, Buffer>;
  dir: string;
  tables: Record<string, string[]>;
  raw: Map<string, Buffer>;
}

/** A populated locker with extra DATA_DIR files, backed up while a module's SQLite file is open in WAL mode. */
async function backedUpSource(combo: Combo): Promise<Source> {
  const src = locker(combo);
  const deps = await src.open();
  const contents = await populate(deps);
  fs.mkdirSync(path.join(src.dataDir, 'keys'), { mode: 0o700 });
  fs.writeFileSync(path.join(src.dataDir, 'keys', 'issuer-signing.pem'), '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIFake\n-----END PRIVATE KEY-----\n', { mode: 0o600 });
  const sandbox = new SQLite(path.join(src.dataDir, 'sandbox.db'));
  sandbox.pragma('journal_mode = WAL');
  sandbox.exec("create table issued (id integer primary key, doc blob); insert into issued (doc) values (x'00ff10'), (zeroblob(70000))");
  try {
    const dir = backupDir();
    const r = await createBackup({ config: src.config, dir, progress: silentProgress });
    expect(r.manifest.warnings).toEqual([]);
    const store = await src.openSql();
    const tables = await dumpTables(store);
    await store.close();
    return { locker: src, contents, dir, tables, raw: await rawBlobBytes(src.openBlobs().raw) };
  } finally {
    sandbox.close();
    await closeDeps(deps);
  }
}

async function expectRestoredEqual(source: Source, target: TestLocker): Promise<void> {
  const store = await target.openSql();
  try {
    expect(await dumpTables(store)).toEqual(source.tables);
  } finally {
    await store.close();
  }
  const { blobs, raw } = target.openBlobs();
  const restoredRaw = await rawBlobBytes(raw);
  expect([...restoredRaw.keys()].sort()).toEqual([...source.raw.keys()].sort());
  for (const [k, bytes] of source.raw) expect(restoredRaw.get(k)!.equals(bytes), `blob ${k} bytes`).toBe(true);
  for (const [k, plain] of source.contents) expect((await streamToBuffer(await blobs.get(k))).equals(plain), `blob ${k} plaintext`).toBe(true);
  for (const f of ['master.key', 'admin.token', 'keys/issuer-signing.pem']) {
    expect(fs.readFileSync(path.join(target.dataDir, f)).equals(fs.readFileSync(path.join(source.locker.dataDir, f))), f).toBe(true);
    expect(fs.statSync(path.join(target.dataDir, f)).mode & 0o777, f).toBe(0o600);
  }
  const sandbox = new SQLite(path.join(target.dataDir, 'sandbox.db'), { readonly: true });
  try {
    expect(sandbox.prepare('select hex(doc) as d from issued order by id').all()).toEqual([{ d: '00FF10' }, { d: '00'.repeat(70000) }]);
  } finally {
    sandbox.close();
  }
}

for (const combo of COMBOS) {
  describe(`backup and restore [${combo.dialect}+${combo.blob}]`, () => {
    let source: Source;
    beforeAll(async () => {
      source = await backedUpSource(combo);
    });

    it('verifies: every hash, every blob decrypted against its key, the signature', async () => {
      const r = await verifyBackup(source.dir, { progress: silentProgress });
      expect(r.problems).toEqual([]);
      expect(r.deepChecked).toBe(true);
      expect(r.signature).toBe('valid');
      expect(r.manifest.source).toMatchObject({ dialect: combo.dialect, blobKind: combo.blob === 'fs' ? 'file' : 's3' });
      expect(r.manifest.migrations).toContain('0300-blob-refs');
      expect(r.manifest.counts.blobs).toBe(source.raw.size);
      // Other modules' tables come along without backup knowing them (here: accounts, activity).
      const rows = Object.fromEntries(r.manifest.database.tables.map((t) => [t.name, t.rows]));
      for (const t of ['accounts', 'sessions', 'otp_challenges', 'activity_events', 'activity_heads']) expect(rows[t], t).toBeGreaterThan(0);
      expect(r.manifest.files.map((f) => f.path)).toEqual(['files/admin.token', 'files/keys/issuer-signing.pem', 'files/master.key', 'files/sandbox.db']);
      expect(r.manifest.files.find((f) => f.path === 'files/sandbox.db')!.kind).toBe('sqlite');
      // The database file, its WAL and the blob directory are not "key files".
      expect(fs.existsSync(path.join(source.dir, 'files', 'openlocker.db'))).toBe(false);
      expect(fs.existsSync(path.join(source.dir, 'files', 'blobs'))).toBe(false);
      expect(fs.readdirSync(path.join(source.dir, 'files')).filter((f) => f.endsWith('-wal') || f.endsWith('-shm'))).toEqual([]);
    });

    it('restores into an empty locker: rows, blobs and key files identical', async () => {
      const target = locker(combo);
      const r = await restoreBackup({ config: target.config, dir: source.dir, force: false, progress: silentProgress });
      expect(r.blobs).toBe(source.raw.size);
      await expectRestoredEqual(source, target);
      // The restored locker opens and serves its data.
      const deps = await target.open();
      try {
        const [k, plain] = [...source.contents.entries()].at(-2)!;
        expect((await streamToBuffer(await deps.blobs.get(k))).equals(plain)).toBe(true);
        expect(await deps.blobRefs.countRefs(k)).toBeGreaterThan(0);
      } finally {
        await closeDeps(deps);
      }
    });

    it('refuses a non-empty target and leaves it untouched; --force replaces it', async () => {
      const target = locker(combo);
      const deps = await target.open();
      await populate(deps, 2);
      await closeDeps(deps);
      const store = await target.openSql();
      const before = await dumpTables(store);
      await store.close();
      const err = await restoreBackup({ config: target.config, dir: source.dir, force: false, progress: silentProgress }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackupError);
      expect((err as Error).message).toMatch(/^The target locker is not empty: \d+ table\(s\) have rows \(.*blob_refs.*\) and the blob store .* holds blobs\. .*--force/);
      const still = await target.openSql();
      expect(await dumpTables(still)).toEqual(before);
      await still.close();

      await restoreBackup({ config: target.config, dir: source.dir, force: true, progress: silentProgress });
      await expectRestoredEqual(source, target);
    });

    it('refuses a target whose database is empty but whose blob store is not', async () => {
      const target = locker(combo);
      const other = (await rawBlobBytes(source.locker.openBlobs().raw)).entries().next().value!;
      const writer = await target.openRaw().createWriter();
      writer.stream.end(other[1]);
      await writer.commit(other[0]);
      await expect(restoreBackup({ config: target.config, dir: source.dir, force: false, progress: silentProgress })).rejects.toThrow(/the blob store .* holds blobs/);
    });
  });
}

describe('cross-kind restore', () => {
  it('SQLite + filesystem → PostgreSQL + S3: rows and blobs identical', async () => {
    const source = await backedUpSource({ dialect: 'sqlite', blob: 'fs' });
    const target = locker({ dialect: 'postgres', blob: 's3' });
    const r = await restoreBackup({ config: target.config, dir: source.dir, force: false, progress: silentProgress });
    expect(r.method).toBe('SQLite snapshot loaded into PostgreSQL');
    await expectRestoredEqual(source, target);
  });

  it('PostgreSQL + S3 → SQLite + filesystem: rows and blobs identical', async () => {
    const source = await backedUpSource({ dialect: 'postgres', blob: 's3' });
    const target = locker({ dialect: 'sqlite', blob: 'fs' });
    const r = await restoreBackup({ config: target.config, dir: source.dir, force: false, progress: silentProgress });
    expect(r.method).toBe('PostgreSQL export loaded into a new SQLite database');
    await expectRestoredEqual(source, target);
  });
});
