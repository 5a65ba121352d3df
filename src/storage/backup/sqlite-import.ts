/**
 * Restoring into SQLite. The new database is always built beside the target and renamed
 * over it at the end (after fsync), so the target is either the old file or the complete
 * restored one, never a mixture:
 *   - from an SQLite snapshot: the snapshot file itself, checked against its SHA-256 as it
 *     is copied (page for page what the source had);
 *   - from a PostgreSQL export (cross-kind): a fresh file migrated to exactly the backup's
 *     migrations, then every row loaded in one transaction with foreign keys checked at the end.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { migrateUpTo, openSqlStore } from '../sql/database.ts';
import { BackupError, fsyncFile, streamToNewFile, type PhaseProgress } from './format.ts';
import { checkColumns, MIGRATION_LOCK, MIGRATION_TABLE, pgTextToSqlite, type OpenRowSource } from './row-source.ts';
import { tableColumns, userTables } from './sqlite-snapshot.ts';

const SIDECARS = ['-wal', '-shm', '-journal'];

async function fsyncDir(dir: string): Promise<void> {
  const fd = await fsp.open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

async function replaceTarget(tmp: string, target: string): Promise<void> {
  for (const s of SIDECARS) await fsp.rm(target + s, { force: true });
  await fsp.rename(tmp, target);
  await fsyncDir(path.dirname(target));
}

function tempBeside(target: string): string {
  return `${target}.restore-${crypto.randomBytes(4).toString('hex')}`;
}

/** Copies an SQLite snapshot over `target`, publishing it only if its SHA-256 is `sha256`. */
export async function restoreSqliteFile(snapshot: string, target: string, sha256: string): Promise<void> {
  await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const tmp = tempBeside(target);
  const hash = crypto.createHash('sha256');
  await streamToNewFile([fs.createReadStream(snapshot).on('data', (c) => hash.update(c as Buffer))], tmp);
  if (hash.digest('hex') !== sha256) {
    await fsp.rm(tmp, { force: true });
    throw new BackupError('The database snapshot changed since it was checked (SHA-256 mismatch); the target was not touched.');
  }
  await replaceTarget(tmp, target);
}

/** Builds an SQLite database at `target` from rows of another dialect (PostgreSQL export). */
export async function loadIntoSqlite(target: string, migrations: string[], tables: string[], open: OpenRowSource, progress: PhaseProgress): Promise<Map<string, number>> {
  await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  const tmp = tempBeside(target);
  const counts = new Map<string, number>();
  try {
    const store = await openSqlStore({ kind: 'sqlite', file: tmp, display: `sqlite:${tmp}` });
    try {
      await migrateUpTo(store, migrations.at(-1)!);
    } finally {
      await store.close();
    }
    const db = new SQLite(tmp, { fileMustExist: true });
    try {
      db.pragma('foreign_keys = OFF');
      db.exec('begin immediate');
      const present = new Set(userTables(db));
      for (const name of tables) {
        if (name === MIGRATION_LOCK) continue;
        if (!present.has(name)) throw new BackupError(`The backup has a table "${name}" that this OpenLocker version does not create: restore with the version that made the backup.`);
        const source = await open(name);
        const order = checkColumns(name, source.columns, tableColumns(db, name).map((c) => c.name));
        if (name === MIGRATION_TABLE) db.prepare(`delete from "${MIGRATION_TABLE}"`).run();
        const stmt = db.prepare(`insert into "${name.replace(/"/g, '""')}" (${order.map((i) => `"${source.columns[i]!.replace(/"/g, '""')}"`).join(', ')}) values (${order.map(() => '?').join(', ')})`);
        let n = 0;
        for await (const row of source.rows) {
          stmt.run(order.map((i) => (source.encoding === 'pg-text' ? pgTextToSqlite(row[i] as string | null, source.sourceTypes[i]!) : row[i]!)));
          n++;
        }
        counts.set(name, n);
        progress.tick(1);
      }
      db.exec('commit');
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length) throw new BackupError(`The restored rows break ${broken.length} foreign key(s): the backup is inconsistent.`);
      // Checkpoints and leaves one self-contained file (the locker turns WAL back on when it opens it).
      db.pragma('journal_mode = DELETE');
    } finally {
      if (db.inTransaction) db.exec('rollback');
      db.close();
    }
    await fsyncFile(tmp);
    await replaceTarget(tmp, target);
    return counts;
  } catch (err) {
    for (const s of ['', ...SIDECARS]) await fsp.rm(tmp + s, { force: true });
    throw err;
  }
}
