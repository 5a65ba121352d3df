/**
 * SQLite snapshots with the online backup API (better-sqlite3 `backup`), safe while the locker
 * writes: the copy is made in one backup step, inside one read transaction, so it is the
 * database exactly as of one commit (WAL readers never block the writer, and a write from
 * another process cannot leave the copy half old, half new — SQLite restarts a step that
 * sees one). The copy is then switched to rollback-journal mode, so opening it read-only to
 * inspect or verify never creates -wal/-shm files or changes a byte of it.
 */
import fs from 'node:fs';
import SQLite from 'better-sqlite3';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0');

/** True if `file` starts with the SQLite header. */
export function isSqliteFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(16);
    return fs.readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A row to leave out of a snapshot (the backup's own GC hold: it means nothing after a restore). */
export interface ExcludedRow {
  table: string;
  column: string;
  value: string;
}

/** Copies the live database `source` to `dest` (which must not exist) as one consistent snapshot. */
export async function snapshotSqlite(source: string, dest: string, exclude?: ExcludedRow): Promise<{ pages: number }> {
  const db = new SQLite(source, { fileMustExist: true, timeout: 10_000 });
  let pages = 0;
  try {
    const result = await db.backup(dest, {
      // The first step only sizes the copy; then copy every page in one step (one read transaction).
      progress: (p) => {
        pages = p.totalPages;
        return 0x7fffffff;
      },
    });
    pages = result.totalPages;
  } finally {
    db.close();
  }
  const copy = new SQLite(dest, { fileMustExist: true });
  try {
    if (exclude && userTables(copy).includes(exclude.table)) {
      copy.prepare(`delete from ${quote(exclude.table)} where ${quote(exclude.column)} = ?`).run(exclude.value);
    }
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return { pages };
}

export interface SqliteColumn {
  name: string;
  type: string;
}

export interface SqliteInspection {
  tables: Array<{ name: string; rows: number; columns: SqliteColumn[] }>;
  migrations: string[];
  /** Blob keys named by blob_refs rows (empty if that table does not exist). */
  referencedBlobs: string[];
}

function quote(id: string): string {
  return `"${id.replace(/"/g, '""')}"`;
}

/** Opens a snapshot read-only (never modifying it). */
export function openSnapshot(file: string): SQLite.Database {
  return new SQLite(file, { readonly: true, fileMustExist: true });
}

export function userTables(db: SQLite.Database): string[] {
  return (db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`).all() as Array<{ name: string }>).map((r) => r.name);
}

export function tableColumns(db: SQLite.Database, table: string): SqliteColumn[] {
  return (db.prepare(`select name, type from pragma_table_info(?) order by cid`).all(table) as Array<{ name: string; type: string }>).map((c) => ({ name: c.name, type: c.type }));
}

export function inspectSqlite(file: string): SqliteInspection {
  const db = openSnapshot(file);
  try {
    const names = userTables(db);
    const tables = names.map((name) => ({
      name,
      rows: Number((db.prepare(`select count(*) as n from ${quote(name)}`).get() as { n: number }).n),
      columns: tableColumns(db, name),
    }));
    const migrations = names.includes('kysely_migration')
      ? (db.prepare('select name from kysely_migration order by name').all() as Array<{ name: string }>).map((r) => r.name)
      : [];
    const referencedBlobs = names.includes('blob_refs')
      ? (db.prepare('select distinct blob_key from blob_refs').all() as Array<{ blob_key: string }>).map((r) => r.blob_key)
      : [];
    return { tables, migrations, referencedBlobs };
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` on a snapshot: 'ok' or the problems SQLite reports. */
export function sqliteIntegrity(file: string): string[] {
  const db = openSnapshot(file);
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  } finally {
    db.close();
  }
}

export type SqliteValue = null | number | bigint | string | Buffer;

/** Every row of `table`, integers as BigInt where they exceed 2^53 (as stored, nothing rounded). */
export function* sqliteRows(db: SQLite.Database, table: string, columns: SqliteColumn[]): Generator<SqliteValue[]> {
  const stmt = db.prepare(`select ${columns.map((c) => quote(c.name)).join(', ')} from ${quote(table)}`).raw(true).safeIntegers(true);
  for (const row of stmt.iterate() as Iterable<SqliteValue[]>) {
    yield row.map((v) => (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v));
  }
}
