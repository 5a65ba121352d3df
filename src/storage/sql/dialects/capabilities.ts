/**
 * What differs between SQLite and PostgreSQL, named once. Repositories and migrations ask
 * these capabilities instead of testing the dialect name (kysely's dialect adapters are the
 * model). Add a capability here before writing the first `if` anywhere else.
 */
import { sql, type ColumnDefinitionBuilder, type Expression, type RawBuilder, type SelectQueryBuilder } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export interface DialectCapabilities {
  readonly name: DialectName;
  /**
   * Row locks (`SELECT … FOR UPDATE`). PostgreSQL has them; SQLite serialises all writers,
   * so a read-then-write inside a transaction is already exclusive there.
   */
  readonly rowLocks: boolean;
  /** Column type for raw bytes: `blob` / `bytea`. */
  readonly bytesType: 'blob' | 'bytea';
  /** Column type for 64-bit integers (epoch milliseconds, byte counts). */
  readonly bigintType: 'integer' | 'bigint';
  /** Case-insensitive substring match operator for search boxes. */
  readonly ilike: 'like' | 'ilike';
  /** An auto-incrementing integer primary key column (append-only logs, ordered queues). */
  autoIncrementPrimaryKey(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /**
   * An integer primary key for a queue whose rows are taken oldest first: each new row's key
   * is larger than every row still there. SQLite's rowid without AUTOINCREMENT (no counter
   * table written on every insert; keys of rows already taken may come back).
   */
  queuePrimaryKey(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** Adds `FOR UPDATE` where row locks exist; a no-op on SQLite (see `rowLocks`). */
  forUpdate<DB, TB extends keyof DB, O>(qb: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /** Lower-cased text, for case-insensitive equality on indexed columns. */
  lower(expr: Expression<string>): RawBuilder<string>;
}

export const sqliteCapabilities: DialectCapabilities = {
  name: 'sqlite',
  rowLocks: false,
  bytesType: 'blob',
  bigintType: 'integer',
  ilike: 'like',
  autoIncrementPrimaryKey: (col) => col.primaryKey().autoIncrement(),
  queuePrimaryKey: (col) => col.primaryKey(),
  forUpdate: (qb) => qb,
  lower: (expr) => sql<string>`lower(${expr})`,
};

export const postgresCapabilities: DialectCapabilities = {
  name: 'postgres',
  rowLocks: true,
  bytesType: 'bytea',
  bigintType: 'bigint',
  ilike: 'ilike',
  autoIncrementPrimaryKey: (col) => col.primaryKey().generatedAlwaysAsIdentity(),
  queuePrimaryKey: (col) => col.primaryKey().generatedAlwaysAsIdentity(),
  forUpdate: (qb) => qb.forUpdate(),
  lower: (expr) => sql<string>`lower(${expr})`,
};
