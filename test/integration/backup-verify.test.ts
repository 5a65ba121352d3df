/**
 * `backup --verify` catches damage and tampering — a flipped byte, a missing or extra file,
 * a truncated database snapshot, an edited table export, a manifest edited to match, a blob
 * swapped for another whose hashes were all recomputed — and restore refuses such a backup
 * before touching the target. The master key rules: MASTER_KEY from the environment is not
 * in the backup, and restore needs exactly that key.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMasterKey } from '../../src/crypto/master-key.ts';
import { createBackup } from '../../src/storage/backup/create-backup.ts';
import { BackupError, CHECKSUMS, formatChecksums, MANIFEST, parseChecksums, readManifest, sha256File, signManifest, silentProgress, type BackupManifest } from '../../src/storage/backup/format.ts';
import { restoreBackup } from '../../src/storage/backup/restore-backup.ts';
import { verifyBackup } from '../../src/storage/backup/verify-backup.ts';
import { closeDeps, dumpTables, makeLocker, populate, type TestLocker } from '../support/locker.ts';
import { startS3, type TestS3 } from '../support/s3.ts';

let s3: TestS3;
const cleanup: Array<() => Promise<void>> = [];
beforeAll(async () => {
  s3 = await startS3('verify-test');
});
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  await s3.close();
});

function newLocker(dialect: 'sqlite' | 'postgres', blob: 'fs' | 's3', env: Record<string, string> = {}): TestLocker {
  const l = makeLocker(dialect, blob, s3, env);
  cleanup.push(() => l.dispose());
  return l;
}

async function pristineBackup(l: TestLocker): Promise<string> {
  const deps = await l.open();
  await populate(deps);
  await closeDeps(deps);
  const dir = path.join(fs.mkdtempSync(path.join(l.dataDir, '..', 'ol-vb-')), 'b');
  cleanup.push(async () => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
  await createBackup({ config: l.config, dir, progress: silentProgress });
  return dir;
}

/** A fresh copy of the pristine backup to damage. */
function copyOf(dir: string): string {
  const copy = `${dir}-${crypto.randomBytes(3).toString('hex')}`;
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

function blobFiles(dir: string): string[] {
  return fs.readdirSync(path.join(dir, 'blobs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

async function problemsOf(dir: string): Promise<string[]> {
  return (await verifyBackup(dir, { progress: silentProgress })).problems;
}

describe('verify catches damage [sqlite+fs]', () => {
  let locker: TestLocker;
  let pristine: string;
  beforeAll(async () => {
    locker = newLocker('sqlite', 'fs');
    pristine = await pristineBackup(locker);
  });

  it('a pristine backup verifies clean', async () => {
    expect(await problemsOf(pristine)).toEqual([]);
  });

  it('one flipped bit in a blob', async () => {
    const dir = copyOf(pristine);
    const file = blobFiles(dir)[0]!;
    const bytes = fs.readFileSync(file);
    const at = bytes.length >> 1;
    bytes[at] = bytes[at]! ^ 0x01;
    fs.writeFileSync(file, bytes);
    expect(await problemsOf(dir)).toEqual([`${path.relative(dir, file)}: SHA-256 mismatch (tampered or damaged).`]);
  });

  it('a truncated database snapshot', async () => {
    const dir = copyOf(pristine);
    const file = path.join(dir, 'database', 'openlocker.sqlite');
    fs.truncateSync(file, fs.statSync(file).size - 4096);
    expect(await problemsOf(dir)).toContain('database/openlocker.sqlite: SHA-256 mismatch (tampered or damaged).');
  });

  it('a missing and an unexpected file', async () => {
    const dir = copyOf(pristine);
    fs.rmSync(path.join(dir, 'files', 'admin.token'));
    fs.writeFileSync(path.join(dir, 'files', 'planted.key'), 'x');
    expect(await problemsOf(dir)).toEqual(['files/admin.token: missing.', `files/planted.key: not listed in ${CHECKSUMS} (unexpected file).`]);
  });

  it('SHA256SUMS edited to match a tampered file: the manifest catches it; edited too: the signature catches it', async () => {
    const dir = copyOf(pristine);
    const file = blobFiles(dir)[1]!;
    fs.writeFileSync(file, Buffer.concat([fs.readFileSync(file), Buffer.from('x')]));
    const rel = path.relative(dir, file);
    const sums = parseChecksums(fs.readFileSync(path.join(dir, CHECKSUMS), 'utf8'));
    sums.set(rel, (await sha256File(file)).sha256);
    fs.writeFileSync(path.join(dir, CHECKSUMS), formatChecksums(sums));
    expect(await problemsOf(dir)).toContain(`${CHECKSUMS}: SHA-256 does not match the manifest (tampered or damaged).`);

    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as BackupManifest;
    m.checksums.sha256 = (await sha256File(path.join(dir, CHECKSUMS))).sha256;
    fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(m));
    const problems = await problemsOf(dir);
    expect(problems).toContain(`${MANIFEST}: the signature does not match: the manifest was edited.`);
    // …and the blob itself no longer decrypts.
    expect(problems.some((p) => p.startsWith(rel))).toBe(true);
  });

  it('a blob swapped for another with every hash recomputed and the manifest re-signed: the content check catches it', async () => {
    const dir = copyOf(pristine);
    const [a, b] = blobFiles(dir);
    fs.copyFileSync(b!, a!);
    const sums = parseChecksums(fs.readFileSync(path.join(dir, CHECKSUMS), 'utf8'));
    sums.set(path.relative(dir, a!), (await sha256File(a!)).sha256);
    fs.writeFileSync(path.join(dir, CHECKSUMS), formatChecksums(sums));
    const m = await readManifest(dir);
    m.checksums.sha256 = (await sha256File(path.join(dir, CHECKSUMS))).sha256;
    fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(signManifest(m, readMasterKey(undefined, locker.dataDir)!.key)));
    expect(await problemsOf(dir)).toEqual([`${path.relative(dir, a!)}: decrypted content does not match the blob key.`]);
    // A hash-only check cannot see it; that is what the deep check is for.
    expect((await verifyBackup(dir, { deep: false, progress: silentProgress })).problems).toEqual([]);
  });

  it('no manifest: not a backup (or an unfinished one)', async () => {
    const dir = copyOf(pristine);
    fs.rmSync(path.join(dir, MANIFEST));
    await expect(verifyBackup(dir, { progress: silentProgress })).rejects.toThrow(`${dir} has no manifest.json: it is not a backup, or the backup did not finish.`);
  });

  it('restore refuses a damaged backup and touches nothing in the target', async () => {
    const dir = copyOf(pristine);
    const file = blobFiles(dir)[0]!;
    fs.appendFileSync(file, 'junk');
    const target = newLocker('sqlite', 'fs');
    const err = await restoreBackup({ config: target.config, dir, force: false, progress: silentProgress }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect((err as Error).message).toContain('failed verification; nothing was restored');
    expect(fs.readdirSync(target.dataDir)).toEqual([]);
  });

  it('backup refuses a non-empty destination and leaves it alone', async () => {
    const dir = path.join(path.dirname(pristine), 'occupied');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    await expect(createBackup({ config: locker.config, dir, progress: silentProgress })).rejects.toThrow(/is not empty/);
    expect(fs.readdirSync(dir)).toEqual(['keep.txt']);
    await expect(createBackup({ config: locker.config, dir: locker.dataDir, progress: silentProgress })).rejects.toThrow(/locker's own data/);
    await expect(createBackup({ config: locker.config, dir: path.join(locker.dataDir, 'backups', 'today'), progress: silentProgress })).rejects.toThrow(/inside DATA_DIR/);
    expect(fs.existsSync(path.join(locker.dataDir, 'backups'))).toBe(false);
  });
});

describe('verify catches damage [postgres+s3]', () => {
  it('an edited row in a table export', async () => {
    const locker = newLocker('postgres', 's3');
    const pristine = await pristineBackup(locker);
    expect(await problemsOf(pristine)).toEqual([]);
    const dir = copyOf(pristine);
    const file = path.join(dir, 'database', 'tables', 'dev_outbox.jsonl');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('OTP 100000', 'OTP 999999'));
    expect(await problemsOf(dir)).toEqual(['database/tables/dev_outbox.jsonl: SHA-256 mismatch (tampered or damaged).']);
  });
});

describe('a restore that cannot finish', () => {
  it('says the target is partly restored and how to finish; the database load itself is all-or-nothing', async () => {
    const source = newLocker('sqlite', 'fs');
    const deps = await source.open();
    await populate(deps, 2);
    // A table no migration of this version creates (as if made by a newer OpenLocker).
    await sql`create table stray (x integer)`.execute(deps.sql.db);
    await closeDeps(deps);
    const dir = path.join(fs.mkdtempSync(path.join(source.dataDir, '..', 'ol-vb-')), 'b');
    cleanup.push(async () => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
    await createBackup({ config: source.config, dir, progress: silentProgress });

    const target = newLocker('postgres', 'fs');
    const err = await restoreBackup({ config: target.config, dir, force: false, progress: silentProgress }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect((err as Error).message).toMatch(/^Restore failed part-way: The backup has a table "stray" that the target database does not have after migrating.*\nThe target now holds part of the backup\. Fix the cause and run restore again with --force\.$/s);
    const store = await target.openSql();
    try {
      const rows = await dumpTables(store);
      for (const [table, r] of Object.entries(rows)) if (table !== 'kysely_migration') expect(r, table).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('MASTER_KEY from the environment', () => {
  const key = crypto.randomBytes(32);
  it('is not in the backup; restore needs the same MASTER_KEY and refuses any other', async () => {
    const source = newLocker('sqlite', 's3', { MASTER_KEY: key.toString('base64') });
    const dir = await pristineBackup(source);
    const m = await readManifest(dir);
    expect(m.masterKey.source).toBe('env');
    expect(m.files.map((f) => f.path)).not.toContain('files/master.key');
    expect(m.warnings.join()).toContain('MASTER_KEY came from the environment and is NOT in this backup');
    // Without the key, blob contents cannot be checked (hashes still are).
    const quick = await verifyBackup(dir, { progress: silentProgress });
    expect(quick).toMatchObject({ problems: [], deepChecked: false, signature: 'unchecked' });
    expect(await verifyBackup(dir, { masterKey: key, progress: silentProgress })).toMatchObject({ problems: [], deepChecked: true, signature: 'valid' });

    const bare = newLocker('sqlite', 'fs');
    await expect(restoreBackup({ config: bare.config, dir, force: false, progress: silentProgress })).rejects.toThrow(/made with MASTER_KEY from the environment.*Set the same MASTER_KEY/);
    const wrong = newLocker('sqlite', 'fs', { MASTER_KEY: crypto.randomBytes(32).toString('hex') });
    await expect(restoreBackup({ config: wrong.config, dir, force: false, progress: silentProgress })).rejects.toThrow(/is not the key this backup's blobs were encrypted under/);
    expect(fs.readdirSync(wrong.dataDir)).toEqual([]);
    const right = newLocker('postgres', 'fs', { MASTER_KEY: key.toString('hex') });
    await restoreBackup({ config: right.config, dir, force: false, progress: silentProgress });
    const deps = await right.open();
    try {
      const refs = await deps.sql.db.selectFrom('blob_refs').select('blob_key').execute();
      for (const r of refs) expect(await deps.blobs.stat(r.blob_key)).not.toBeNull();
    } finally {
      await closeDeps(deps);
    }
  });
});
