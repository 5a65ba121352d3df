/**
 * `openlocker restore DIR [--force]`: the locker in DIR into the configured DATA_DIR,
 * DATABASE_URL and BLOB_URL, which must be empty (no rows, no blobs) unless --force, which
 * erases them first. Stop the locker (every instance) on the target before restoring.
 *
 * Nothing is touched until the backup has been checked (every SHA-256, the manifest's
 * signature when the key is at hand), the master key is known to match the one its blobs
 * were encrypted under, and the target has been found empty. Then: key files, blobs (each
 * published only if its bytes hash right), and the database last — so a locker whose rows
 * are restored has its blobs. Supported: SQLite → SQLite (the snapshot file itself),
 * PostgreSQL → PostgreSQL (row-identical logical load), and cross-kind SQLite ↔ PostgreSQL
 * through the same logical load; blobs go to a filesystem or S3 store either way.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/index.ts';
import { masterKeyFromBytes } from '../../crypto/master-key.ts';
import { openRawObjectStore } from '../blob/index.ts';
import { migrateUpTo, openSqlStore } from '../sql/database.ts';
import { sqliteCapabilities } from '../sql/dialects/capabilities.ts';
import { migrationsFor } from '../sql/migrations/index.ts';
import { copyBlobsIn, forEachLimit } from './blob-copy.ts';
import { restoreDataFiles } from './data-files.ts';
import { BackupError, BLOBS_DIR, CHECKSUMS, parseChecksums, SQLITE_SNAPSHOT, type BackupManifest, type Progress } from './format.ts';
import { loadIntoPostgres } from './postgres-import.ts';
import { pgLocation } from './postgres-export.ts';
import { jsonlSources, sqliteSnapshotSources } from './row-source.ts';
import { inspectTargetDb } from './sql-target.ts';
import { loadIntoSqlite, restoreSqliteFile } from './sqlite-import.ts';
import { inspectSqlite } from './sqlite-snapshot.ts';
import { backupMasterKey, verifyBackup } from './verify-backup.ts';

export interface RestoreOptions {
  config: Config;
  dir: string;
  /** Erase a non-empty target first. */
  force: boolean;
  progress: Progress;
}

export interface RestoreResult {
  manifest: BackupManifest;
  method: string;
  tables: number;
  rows: number;
  blobs: number;
  blobBytes: number;
  files: string[];
  warnings: string[];
  ms: number;
}

function checkMigrations(m: BackupManifest): void {
  const known = Object.keys(migrationsFor(sqliteCapabilities));
  const unknown = m.migrations.filter((name, i) => known[i] !== name);
  if (unknown.length) {
    throw new BackupError(
      `This backup's database has schema migrations this OpenLocker version does not have (${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''}). ` +
        `Restore with the version that made it (${m.openlockerVersion}) or newer.`,
    );
  }
}

async function targetHasBlobs(raw: ReturnType<typeof openRawObjectStore>): Promise<boolean> {
  for await (const _k of raw.keys()) return true;
  return false;
}

export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const { config, progress } = opts;
  const started = Date.now();
  const dir = path.resolve(opts.dir);
  const warnings: string[] = [];

  // 1. The backup itself.
  const check = await verifyBackup(dir, { deep: false, progress, ...(config.masterKey ? { masterKey: config.masterKey } : {}) });
  const m = check.manifest;
  if (check.problems.length) {
    throw new BackupError(`The backup in ${dir} failed verification; nothing was restored:\n${check.problems.slice(0, 10).map((p) => `  - ${p}`).join('\n')}`);
  }
  checkMigrations(m);

  // 2. The key its blobs are under.
  if (config.masterKey) {
    const id = masterKeyFromBytes(config.masterKey).id.toString('hex');
    if (id !== m.masterKey.id) throw new BackupError(`MASTER_KEY (key id ${id}) is not the key this backup's blobs were encrypted under (key id ${m.masterKey.id}). Set the right MASTER_KEY, or unset it to use the key file in the backup.`);
  } else if (!backupMasterKey(dir, m)) {
    throw new BackupError(
      m.masterKey.source === 'env'
        ? `This backup was made with MASTER_KEY from the environment, which is not in the backup. Set the same MASTER_KEY (key id ${m.masterKey.id}) and run restore again.`
        : `The backup's master key file is missing or is not the key its blobs were encrypted under (key id ${m.masterKey.id}).`,
    );
  }
  if (check.signature === 'unchecked') warnings.push('The manifest signature could not be checked.');

  // 3. The target must be empty (or --force).
  const raw = openRawObjectStore(config.blobUrl);
  await raw.ping().catch((err: Error) => {
    throw new BackupError(`The target blob store ${raw.describe} cannot be reached: ${err.message}`);
  });
  const target = await inspectTargetDb(config.databaseUrl);
  if (target.serving) {
    throw new BackupError(`A locker is serving from the target database right now (${target.serving}). Stop it first: a restore under a running locker would lose what it writes. --force does not override this.`);
  }
  const hasBlobs = await targetHasBlobs(raw);
  if ((target.nonEmpty.length || hasBlobs) && !opts.force) {
    const what = [
      target.nonEmpty.length ? `${target.nonEmpty.length} table(s) have rows (${target.nonEmpty.slice(0, 5).join(', ')}${target.nonEmpty.length > 5 ? ', …' : ''})` : '',
      hasBlobs ? `the blob store ${raw.describe} holds blobs` : '',
    ].filter(Boolean);
    throw new BackupError(
      `The target locker is not empty: ${what.join(' and ')}. Restore into an empty locker (a new DATA_DIR, database or schema, and blob location), or pass --force to ERASE the target's data first.`,
    );
  }
  if (config.databaseUrl.kind === 'postgres' && target.migrations.some((name, i) => m.migrations[i] !== name)) {
    throw new BackupError(
      `The target database already has schema migrations the backup does not (${target.migrations.filter((n, i) => m.migrations[i] !== n).slice(0, 3).join(', ')}): ` +
        'it was set up by another OpenLocker version. Restore into an empty database or schema with the version that made the backup, then upgrade.',
    );
  }

  // 4. Erase (--force), then key files, blobs, database. A failure from here on leaves the
  //    target partly restored: say so, and how to finish.
  let method: string;
  let counts: Map<string, number>;
  let files: string[];
  let blobs: { count: number; bytes: number };
  try {
    if (opts.force && hasBlobs) {
      const keys: string[] = [];
      for await (const k of raw.keys()) keys.push(k);
      const erase = progress.phase('erasing target blobs', keys.length, 'blobs');
      await forEachLimit(keys, 4, async (k) => {
        await raw.delete(k);
        erase.tick(1);
      });
      erase.done();
    }
    const skip = [...(config.databaseUrl.kind === 'sqlite' ? [config.databaseUrl.file] : []), ...(config.blobUrl.kind === 'file' ? [config.blobUrl.root] : [])];
    const filePhase = progress.phase('key files', m.files.length, 'files');
    files = await restoreDataFiles(m.files, dir, config.dataDir, skip, filePhase);
    filePhase.done();

    const sums = parseChecksums(fs.readFileSync(path.join(dir, CHECKSUMS), 'utf8'));
    const blobList = [...sums.entries()].filter(([p]) => p.startsWith(`${BLOBS_DIR}/`)).map(([p, sha256]) => ({ key: path.posix.basename(p), sha256 }));
    const blobPhase = progress.phase('blobs', blobList.length, 'blobs');
    blobs = await copyBlobsIn(raw, dir, blobList, blobPhase);
    blobPhase.done();

    const dbPhase = progress.phase('database', m.database.tables.length, 'tables');
    const tables = m.database.tables.map((t) => t.name);
    if (m.database.format === 'sqlite-file' && config.databaseUrl.kind === 'sqlite') {
      method = 'SQLite snapshot file copied into place';
      await restoreSqliteFile(path.join(dir, SQLITE_SNAPSHOT), config.databaseUrl.file, sums.get(SQLITE_SNAPSHOT)!);
      counts = new Map(inspectSqlite(config.databaseUrl.file).tables.map((t) => [t.name, t.rows]));
      dbPhase.tick(tables.length);
    } else if (config.databaseUrl.kind === 'sqlite') {
      method = 'PostgreSQL export loaded into a new SQLite database';
      counts = await loadIntoSqlite(config.databaseUrl.file, m.migrations, tables, jsonlSources(dir), dbPhase);
    } else {
      const store = await openSqlStore(config.databaseUrl);
      const schema = store.schema;
      try {
        await migrateUpTo(store, m.migrations.at(-1)!);
      } finally {
        await store.close();
      }
      const loc = pgLocation(config.databaseUrl.url, config.databaseUrl.display, schema);
      if (m.database.format === 'jsonl') {
        method = 'PostgreSQL export loaded into PostgreSQL';
        counts = await loadIntoPostgres(loc, { tables, open: jsonlSources(dir), sequences: m.database.sequences, wipe: opts.force, progress: dbPhase });
      } else {
        method = 'SQLite snapshot loaded into PostgreSQL';
        const src = sqliteSnapshotSources(path.join(dir, SQLITE_SNAPSHOT));
        try {
          counts = await loadIntoPostgres(loc, { tables: src.tables, open: src.open, wipe: opts.force, progress: dbPhase });
        } finally {
          src.close();
        }
      }
    }
    dbPhase.done();

    // 5. What landed must be what the manifest promised.
    for (const t of m.database.tables) {
      if (t.name === 'kysely_migration_lock') continue;
      if ((counts.get(t.name) ?? -1) !== t.rows) throw new BackupError(`After restoring, table ${t.name} has ${counts.get(t.name) ?? 'no'} rows; the backup has ${t.rows}.`);
    }
  } catch (err) {
    const why = err instanceof BackupError ? err.message : `${(err as Error)?.message ?? String(err)}`;
    throw new BackupError(`Restore failed part-way: ${why}\nThe target now holds part of the backup. Fix the cause and run restore again with --force.`);
  }
  return {
    manifest: m,
    method,
    tables: m.database.tables.length,
    rows: m.counts.rows,
    blobs: blobs.count,
    blobBytes: blobs.bytes,
    files,
    warnings,
    ms: Date.now() - started,
  };
}
