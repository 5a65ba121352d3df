/**
 * Rows read back from a backup, whatever its database format, for loading into a target of
 * either dialect: an SQLite snapshot yields SQLite values (numbers, BigInt for integers past
 * 2^53, strings, Buffers); a PostgreSQL export yields each value's PostgreSQL text form.
 */
import path from 'node:path';
import type SQLite from 'better-sqlite3';
import { BackupError, tableFile } from './format.ts';
import { readJsonlTable } from './postgres-export.ts';
import { openSnapshot, sqliteRows, tableColumns, userTables, type SqliteValue } from './sqlite-snapshot.ts';

export const MIGRATION_TABLE = 'kysely_migration';
export const MIGRATION_LOCK = 'kysely_migration_lock';

export type Cell = SqliteValue;

export interface RowSource {
  table: string;
  columns: string[];
  /** PostgreSQL type of each column when `encoding` is pg-text. */
  sourceTypes: string[];
  encoding: 'pg-text' | 'sqlite';
  rows: AsyncIterable<Cell[]>;
}

export type OpenRowSource = (table: string) => Promise<RowSource>;

/** The backup's rows as PostgreSQL text (what `::type` casts read). */
export function cellToPgText(v: Cell, encoding: RowSource['encoding']): string | null {
  if (v === null || v === undefined) return null;
  if (encoding === 'pg-text') return v as string;
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    return String(v);
  }
  return v;
}

const INTEGER = /^(smallint|integer|bigint|int2|int4|int8|smallserial|serial|bigserial)$/;
const FLOAT = /^(real|double precision|float4|float8)$/;

/** A PostgreSQL text value as SQLite stores the same column (integers, reals, bytes, 0/1 booleans, else text). */
export function pgTextToSqlite(v: string | null, pgType: string): SqliteValue {
  if (v === null) return null;
  const t = pgType.toLowerCase();
  if (INTEGER.test(t)) {
    const b = BigInt(v);
    return b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(b) : b;
  }
  if (FLOAT.test(t)) return Number(v);
  if (t === 'bytea') {
    if (!v.startsWith('\\x')) throw new BackupError('a bytea value is not in hex form');
    return Buffer.from(v.slice(2), 'hex');
  }
  if (t === 'boolean') return v === 't' || v === 'true' ? 1 : 0;
  return v;
}

/**
 * Checks the backup's columns of `table` match the target's (same names, any order) and
 * returns the source indexes in source order. A mismatch means the versions differ.
 */
export function checkColumns(table: string, source: string[], target: string[]): number[] {
  const t = new Set(target);
  const s = new Set(source);
  const extra = source.filter((c) => !t.has(c));
  const lacking = target.filter((c) => !s.has(c));
  if (extra.length || lacking.length) {
    throw new BackupError(
      `Table "${table}" differs between the backup and the target` +
        (extra.length ? ` (only in the backup: ${extra.join(', ')})` : '') +
        (lacking.length ? ` (only in the target: ${lacking.join(', ')})` : '') +
        ': restore with the OpenLocker version that made the backup.',
    );
  }
  return source.map((_c, i) => i);
}

/** Rows of an SQLite snapshot. Call `close()` when done. */
export function sqliteSnapshotSources(file: string): { tables: string[]; open: OpenRowSource; close(): void } {
  const db: SQLite.Database = openSnapshot(file);
  return {
    tables: userTables(db),
    open: async (table) => {
      const columns = tableColumns(db, table);
      const gen = sqliteRows(db, table, columns);
      return {
        table,
        columns: columns.map((c) => c.name),
        sourceTypes: columns.map((c) => c.type),
        encoding: 'sqlite',
        rows: (async function* () {
          yield* gen;
        })(),
      };
    },
    close: () => db.close(),
  };
}

/** Rows of a PostgreSQL export (database/tables/*.jsonl). */
export function jsonlSources(backupDir: string): OpenRowSource {
  return async (table) => {
    const t = await readJsonlTable(path.join(backupDir, tableFile(table)));
    if (t.table !== table) throw new BackupError(`${tableFile(table)} holds table "${t.table}", not "${table}".`);
    return { table, columns: t.columns.map((c) => c.name), sourceTypes: t.columns.map((c) => c.type), encoding: 'pg-text', rows: t.rows };
  };
}
