/**
 * `openlocker backup DIR`: a consistent online snapshot of the whole locker.
 *
 * Order, and why it is consistent while the locker keeps serving:
 *  1. A GC hold is committed first, so no blob is deleted until the backup ends.
 *  2. The database is snapshotted at one instant (SQLite backup API in one step, or one
 *     PostgreSQL REPEATABLE READ transaction). Every blob a reference in that snapshot names
 *     was stored when its reference committed (addBlobRef checks under lock) and cannot be
 *     deleted before the hold is released, so step 3 finds it.
 *  3. Blobs are listed and copied after the snapshot (immutable and content-addressed, so a
 *     later copy is the same bytes); blobs written after the snapshot come along too, and are
 *     harmless extras. Each is decrypted in memory and checked against its key.
 *  4. DATA_DIR's key files, then SHA256SUMS, then the signed manifest, last: a directory
 *     without manifest.json is an unfinished backup.
 * On failure the partly written directory is removed.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config/index.ts';
import { readMasterKey } from '../../crypto/master-key.ts';
import { systemClock, type Clock } from '../../domain/clock.ts';
import type { GcHold } from '../../domain/blobs/ports.ts';
import { encryptedBlobStore } from '../blob/encrypted-blob-store.ts';
import { openRawObjectStore } from '../blob/index.ts';
import { openSqlStore, type SqlStore } from '../sql/database.ts';
import { sqlBlobReferences } from '../sql/repositories/blob-references.ts';
import { copyBlobsOut } from './blob-copy.ts';
import { collectDataFiles, copyDataFilesOut } from './data-files.ts';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupError,
  CHECKSUMS,
  formatChecksums,
  MANIFEST,
  sha256File,
  signManifest,
  SQLITE_SNAPSHOT,
  tableFile,
  writeFileDurably,
  type BackupManifest,
  type Progress,
  type SequenceValue,
  type TableSummary,
} from './format.ts';
import { exportPostgres, pgLocation } from './postgres-export.ts';
import { inspectSqlite, snapshotSqlite } from './sqlite-snapshot.ts';
import { ROOT } from '../../paths.ts';

export interface BackupOptions {
  config: Config;
  dir: string;
  progress: Progress;
  clock?: Clock;
  /** Blobs copied in parallel. */
  concurrency?: number;
}

export interface BackupResult {
  manifest: BackupManifest;
  dir: string;
  ms: number;
  /** Bytes written into the backup (database, blobs, files). */
  bytes: number;
}

const HOLD_TTL_MS = 10 * 60_000;

export function openlockerVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function prepareDir(dir: string, config: Config): Promise<void> {
  const abs = path.resolve(dir);
  const forbidden = [config.dataDir, ...(config.blobUrl.kind === 'file' ? [config.blobUrl.root] : [])].map((p) => path.resolve(p));
  if (forbidden.includes(abs)) throw new BackupError(`Refusing to write the backup into ${abs}: that is the locker's own data.`);
  if (!path.relative(path.resolve(config.dataDir), abs).startsWith('..')) {
    throw new BackupError(`Refusing to write the backup inside DATA_DIR (${config.dataDir}): the next backup would copy it as one of DATA_DIR's files. Choose a directory outside it.`);
  }
  if (config.blobUrl.kind === 'file' && !path.relative(config.blobUrl.root, abs).startsWith('..')) {
    throw new BackupError(`Refusing to write the backup inside the blob directory ${config.blobUrl.root}.`);
  }
  if (fs.existsSync(abs)) {
    if (!fs.statSync(abs).isDirectory()) throw new BackupError(`${abs} exists and is not a directory.`);
    if (fs.readdirSync(abs).length > 0) throw new BackupError(`${abs} is not empty. Back up into a new or empty directory.`);
  }
  await fsp.mkdir(abs, { recursive: true, mode: 0o700 });
}

export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const { config, progress } = opts;
  const clock = opts.clock ?? systemClock;
  const started = Date.now();
  const dir = path.resolve(opts.dir);
  const master = readMasterKey(config.masterKey, config.dataDir);
  if (!master) throw new BackupError(`There is no master key: MASTER_KEY is unset and ${path.join(config.dataDir, 'master.key')} does not exist. Is DATA_DIR the locker's data directory?`);
  const createdAt = clock.now().toISOString();
  const existed = fs.existsSync(dir);
  await prepareDir(dir, config);

  let store: SqlStore | undefined;
  let hold: GcHold | undefined;
  let renew: NodeJS.Timeout | undefined;
  const warnings: string[] = [];
  try {
    store = await openSqlStore(config.databaseUrl);
    const raw = openRawObjectStore(config.blobUrl);
    await raw.ping().catch((err: Error) => {
      throw new BackupError(`The blob store ${raw.describe} cannot be reached: ${err.message}`);
    });

    // 1. Pause blob deletion (if this database has the collector's tables yet).
    try {
      const refs = sqlBlobReferences(store, { blobs: encryptedBlobStore(raw, master.key), raw, clock, graceMs: config.blobGcGraceSeconds * 1000 });
      hold = await refs.holdCollection(`backup to ${dir} (pid ${process.pid})`, HOLD_TTL_MS);
      renew = setInterval(() => void hold?.renew().catch(() => {}), HOLD_TTL_MS / 5);
      renew.unref();
    } catch {
      warnings.push('Blob collection could not be paused (the database has no blob_gc_holds table: it predates migration 0300). Do not run `openlocker blobs gc` during this backup.');
    }

    // 2. The database at one instant (without our own hold, which means nothing after a restore).
    const ownHold = hold ? { table: 'blob_gc_holds', column: 'id', value: hold.id } : undefined;
    const dbPhase = progress.phase('database', 1, 'tables');
    let tables: TableSummary[];
    let migrations: string[];
    let referenced: string[];
    let sequences: SequenceValue[] = [];
    const sums = new Map<string, string>();
    let bytes = 0;
    if (config.databaseUrl.kind === 'sqlite') {
      if (config.databaseUrl.file === ':memory:') throw new BackupError('An in-memory database cannot be backed up.');
      if (!fs.existsSync(config.databaseUrl.file)) throw new BackupError(`The database ${config.databaseUrl.file} does not exist. Is DATABASE_URL/DATA_DIR right?`);
      const dest = path.join(dir, SQLITE_SNAPSHOT);
      await fsp.mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      await snapshotSqlite(config.databaseUrl.file, dest, ownHold);
      await fsp.chmod(dest, 0o600);
      const info = inspectSqlite(dest);
      tables = info.tables.map((t) => ({ name: t.name, rows: t.rows }));
      migrations = info.migrations;
      referenced = info.referencedBlobs;
      const { sha256, size } = await sha256File(dest);
      sums.set(SQLITE_SNAPSHOT, sha256);
      bytes += size;
      dbPhase.setTotal(tables.length);
      dbPhase.tick(tables.length, size);
    } else {
      const loc = pgLocation(config.databaseUrl.url, config.databaseUrl.display, store.schema);
      const exp = await exportPostgres(loc, dir, dbPhase, ownHold);
      ({ tables, migrations, sequences } = exp);
      referenced = exp.referencedBlobs;
      for (const t of tables) {
        const { sha256, size } = await sha256File(path.join(dir, tableFile(t.name)));
        sums.set(tableFile(t.name), sha256);
        bytes += size;
      }
    }
    dbPhase.done();
    if (migrations.length === 0) throw new BackupError(`The database ${config.databaseUrl.display} has never been migrated: it is not an OpenLocker database.`);

    // 3. Blobs, after the snapshot.
    const listing = progress.phase('listing blobs', 0, 'blobs');
    const keys = new Set<string>();
    for await (const k of raw.keys()) {
      keys.add(k);
      listing.tick(1);
    }
    listing.done();
    const mustExist = new Set(referenced);
    for (const k of mustExist) keys.add(k);
    const blobPhase = progress.phase('blobs', keys.size, 'blobs');
    const blobs = await copyBlobsOut(raw, master.key, [...keys].sort(), dir, mustExist, blobPhase, opts.concurrency ?? 4);
    blobPhase.done();
    for (const [p, h] of blobs.checksums) sums.set(p, h);
    bytes += blobs.bytes;
    if (blobs.missing.length) warnings.push(`${blobs.missing.length} blob(s) referenced by the database are missing from the blob store (listed under blobs.missing).`);
    if (blobs.corrupt.length) warnings.push(`${blobs.corrupt.length} stored blob(s) failed their integrity check and were copied as they are (listed under blobs.corrupt).`);

    // 4. DATA_DIR's own files.
    const exclude = [dir, ...(config.databaseUrl.kind === 'sqlite' ? [config.databaseUrl.file] : []), ...(config.blobUrl.kind === 'file' ? [config.blobUrl.root] : [])];
    const data = await collectDataFiles(config.dataDir, exclude);
    warnings.push(...data.skipped.map((s) => `DATA_DIR/${s}`));
    const filePhase = progress.phase('key files', data.files.length, 'files');
    for (const [p, h] of await copyDataFilesOut(data.files, dir, filePhase)) sums.set(p, h);
    filePhase.done();
    bytes += data.files.reduce((n, f) => n + f.size, 0);
    if (master.source === 'env') warnings.push('MASTER_KEY came from the environment and is NOT in this backup: keep it safe, restore needs the same MASTER_KEY.');

    const checksumText = formatChecksums(sums);
    await writeFileDurably(path.join(dir, CHECKSUMS), checksumText);
    const manifest: BackupManifest = signManifest(
      {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt,
        completedAt: clock.now().toISOString(),
        openlockerVersion: openlockerVersion(),
        source: {
          dialect: config.databaseUrl.kind,
          database: config.databaseUrl.display,
          ...(store.schema ? { schema: store.schema } : {}),
          blobKind: config.blobUrl.kind,
          blobStore: raw.describe,
          dataDir: config.dataDir,
        },
        masterKey: { source: master.source, id: master.key.id.toString('hex') },
        migrations,
        database: { format: config.databaseUrl.kind === 'sqlite' ? 'sqlite-file' : 'jsonl', tables, sequences },
        blobs: { count: blobs.count, bytes: blobs.bytes, plainBytes: blobs.plainBytes, missing: blobs.missing, corrupt: blobs.corrupt },
        files: data.files.map((f) => ({ path: `files/${f.rel}`, kind: f.kind, mode: f.mode })),
        counts: { tables: tables.length, rows: tables.reduce((n, t) => n + t.rows, 0), blobs: blobs.count, files: data.files.length },
        checksums: { file: CHECKSUMS, sha256: (await sha256File(path.join(dir, CHECKSUMS))).sha256, entries: sums.size },
        warnings,
      },
      master.key,
    );
    await writeFileDurably(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    const fd = await fsp.open(dir, 'r');
    await fd.sync().finally(() => fd.close());
    return { manifest, dir, ms: Date.now() - started, bytes };
  } catch (err) {
    if (!existed) await fsp.rm(dir, { recursive: true, force: true }).catch(() => {});
    else for (const entry of await fsp.readdir(dir).catch(() => [] as string[])) await fsp.rm(path.join(dir, entry), { recursive: true, force: true }).catch(() => {});
    throw err;
  } finally {
    if (renew) clearInterval(renew);
    await hold?.release().catch(() => {});
    await store?.close().catch(() => {});
  }
}
