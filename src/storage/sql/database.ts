/**
 * Opens the SQL store named by `DATABASE_URL`: SQLite through better-sqlite3 (WAL, foreign
 * keys on, full fsync) or PostgreSQL through pg. Both give the same `Kysely<Database>`
 * plus the dialect's named capabilities; nothing above this file knows which one it got.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { servingApplicationName } from '../serving-marker.ts';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationResultSet } from 'kysely';
import type { DatabaseUrl } from '../../config/index.ts';
import { postgresCapabilities, sqliteCapabilities, type DialectCapabilities } from './dialects/capabilities.ts';
import { migrationsFor } from './migrations/index.ts';
import type { Database } from './schema.ts';
import { outageAwareDialect } from '../outage.ts';

/** pg, loaded only when DATABASE_URL names PostgreSQL (SQLite lockers never pay for it). */
let pgModule: Promise<typeof import('pg').default> | null = null;
function loadPg(): Promise<typeof import('pg').default> {
  pgModule ??= import('pg').then(({ default: pg }) => {
    // pg returns int8 (count(*), sum, bigint columns) as strings; every value we keep there fits
    // in 2^53 (epoch ms, byte counts), so read them as numbers on both dialects.
    pg.types.setTypeParser(20, (v) => Number(v));
    return pg;
  });
  return pgModule;
}

export interface SqlStore {
  db: Kysely<Database>;
  caps: DialectCapabilities;
  /** PostgreSQL schema when not `public` (tests isolate by schema). */
  schema?: string;
  /** Human description of where the data lives, passwords hidden. */
  describe: string;
  /** Throws if the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * SQLite only: tells when tables may have changed, so a read cache can trust what it holds
   * (see storage/sql/read-cache.ts). Absent on PostgreSQL, where other servers write too.
   */
  changes?: ChangeFeed;
}

export interface ChangeFeed {
  /**
   * A value that stays the same exactly as long as none of `tables` can have changed: no
   * statement of this process wrote to them (a statement whose table is not known counts as
   * writing all), and no other connection to the database file committed anything
   * (SQLite's `data_version`, which sees other processes such as the CLI) before the
   * current request began (`observe`) or, outside requests, before the current turn of
   * the event loop.
   */
  stamp(tables: readonly string[]): string;
  /**
   * Called as each HTTP request begins. The first call in a turn of the event loop makes
   * stamps reflect every commit other connections have made until now; the requests that
   * arrive in the same turn share that one `data_version` read. Their bytes were all
   * waiting when the loop woke for them, before that read, so each request still sees
   * every commit that finished before it was sent.
   */
  observe(): void;
}

export class DatabaseUnavailableError extends Error {
  constructor(describe: string, cause: unknown) {
    const c = cause as NodeJS.ErrnoException & { code?: string };
    const why =
      c?.code === 'ECONNREFUSED'
        ? 'the connection was refused (is the server running and listening there?)'
        : c?.code === 'ENOTFOUND'
          ? 'the host name does not resolve'
          : c?.code === '3D000'
            ? 'that database does not exist'
            : c?.code === '28P01' || c?.code === '28000'
              ? 'authentication failed'
              : (c?.message ?? String(cause));
    super(`Cannot open the database ${describe}: ${why}.`);
    this.name = 'DatabaseUnavailableError';
  }
}

export interface OpenOptions {
  /** PostgreSQL only: use (and create) this schema instead of `public`. Tests isolate with it. */
  schema?: string;
  /** Fail fast when the server does not answer. */
  connectTimeoutMs?: number;
  /** PostgreSQL: this pool belongs to `openlocker serve` (seen by restore in pg_stat_activity). */
  serving?: boolean;
}

export async function openSqlStore(url: DatabaseUrl, options: OpenOptions = {}): Promise<SqlStore> {
  return url.kind === 'sqlite' ? openSqlite(url.file, url.display, url.synchronous ?? 'normal') : openPostgres(url.url, url.display, options);
}

function openSqlite(file: string, describe: string, synchronous: 'normal' | 'full'): SqlStore {
  let raw: SQLite.Database;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    raw = new SQLite(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    // Statement journals (and sorts, temporary indexes) in memory: a statement inside a
    // group commit's shared transaction otherwise spills its journal to a temporary file
    // that is created, written and unlinked on every commit.
    raw.pragma('temp_store = MEMORY');
    // NORMAL (the default) with WAL: an acknowledged commit survives a crash of the process
    // (kill -9); only a power failure may lose the last commits. FULL adds an fsync per
    // commit, which also stalls the event loop (better-sqlite3 is synchronous).
    raw.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  } catch (err) {
    throw new DatabaseUnavailableError(describe, err);
  }
  const writes = new Map<string, number>();
  let unknownWrites = 0;
  const onWrite = (table: string | null) => {
    if (table === null) unknownWrites++;
    else writes.set(table, (writes.get(table) ?? 0) + 1);
  };
  const dataVersion = raw.prepare('PRAGMA data_version').pluck();
  // data_version is read at most once per turn of the event loop: each read is a read
  // transaction, with its file locks (a few system calls). The requests that arrive in one
  // turn share the first one's read (see ChangeFeed.observe); a read made earlier, before
  // the loop waited for those requests, is dropped by the turn's first request.
  let version: unknown = null;
  let observed = false;
  let expiring = false;
  const expire = () => {
    version = null;
    observed = false;
    expiring = false;
  };
  const expireAfterTurn = () => {
    if (!expiring) {
      expiring = true;
      setImmediate(expire);
    }
  };
  const db = new Kysely<Database>({ dialect: outageAwareDialect(new SqliteDialect({ database: withStatementCache(raw, 500, onWrite) })) });
  return {
    db,
    caps: sqliteCapabilities,
    changes: {
      stamp(tables) {
        if (version === null) {
          version = dataVersion.get();
          expireAfterTurn();
        }
        let s = `${String(version)}:${unknownWrites}`;
        for (const t of tables) s += `:${writes.get(t) ?? 0}`;
        return s;
      },
      observe() {
        if (observed) return;
        observed = true;
        version = null;
        expireAfterTurn();
      },
    },
    describe,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** The table a statement Kysely wrote changes: `insert into "t"`, `update "t"`, `delete from "t"`; null when it cannot tell. */
export function writtenTable(source: string): string | null {
  const m = /^\s*(?:insert\s+into|update|delete\s+from)\s+"([^"]+)"/i.exec(source);
  return m ? m[1]! : null;
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running
 * a small indexed query. Statements are cached by SQL text (bounded, least recently used
 * first out). Reuse is safe: Kysely runs one query at a time on its single connection, and
 * SQLite re-prepares a cached statement itself after a schema change.
 *
 * Kysely asks for the statement each time it runs one, so `onWrite` hears of every
 * statement that may write, just before it runs, with the table it writes (null: unknown).
 */
export function withStatementCache(raw: SQLite.Database, max = 500, onWrite?: (table: string | null) => void): SQLite.Database {
  const cache = new Map<string, { stmt: SQLite.Statement; writes: string | null | undefined }>();
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver);
      return (source: string) => {
        let hit = cache.get(source);
        if (hit) {
          cache.delete(source);
        } else {
          const stmt = target.prepare(source);
          // SQLite knows which statements write nothing (selects, begin/commit); `returning` ones do write.
          hit = { stmt, writes: stmt.readonly ? undefined : writtenTable(source) };
          if (cache.size >= max) cache.delete(cache.keys().next().value!);
        }
        cache.set(source, hit);
        if (onWrite && hit.writes !== undefined) onWrite(hit.writes);
        return hit.stmt;
      };
    },
  });
}

async function openPostgres(rawUrl: string, describe: string, options: OpenOptions): Promise<SqlStore> {
  // `?schema=NAME` is ours (not libpq's): keep every table in that schema.
  const parsed = new URL(rawUrl);
  const schema = options.schema ?? parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  const url = parsed.toString();
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new DatabaseUnavailableError(describe, new Error('the schema name may contain only lower-case letters, digits and _'));
  }
  const pg = await loadPg();
  const pool = new pg.Pool({
    connectionString: withDefaultUser(url),
    max: 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    ...(options.serving ? { application_name: servingApplicationName(schema) } : {}),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  // Nor a client in use: pg-pool listens for errors only while a client is idle, and a
  // socket reset during a query otherwise surfaces as an uncaught 'error' event. The query
  // itself still fails (and becomes a 503, see storage/outage.ts); the broken client is
  // dropped from the pool when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`create schema if not exists ${schema}`);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(describe, err);
  }
  const db = new Kysely<Database>({ dialect: outageAwareDialect(new PostgresDialect({ pool })) });
  return {
    db,
    caps: postgresCapabilities,
    ...(schema ? { schema } : {}),
    describe,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** Like libpq: with no user in the URL (and no PGUSER), connect as the operating-system user. */
export function withDefaultUser(url: string): string {
  const u = new URL(url);
  if (u.username || u.searchParams.has('user')) return url;
  u.username = encodeURIComponent(os.userInfo().username);
  return u.toString();
}

function migratorFor(store: SqlStore): Migrator {
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrationsFor(store.caps) },
    // Each module owns a range of migration numbers (accounts 01xx, issuers 02xx…), so a
    // module's new migration may sort before another's that a locker has already run.
    allowUnorderedMigrations: true,
    // Kysely's table check looks across schemas; name ours, or another schema's table fools it.
    ...(store.caps.name === 'postgres' ? { migrationTableSchema: store.schema ?? 'public' } : {}),
  });
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(result.error as Error).message ?? result.error}`);
  }
  return result;
}

/**
 * Kysely's migrator introspects every schema in the database (`has_schema_privilege` per
 * schema name, then their tables and columns); another schema dropped at that moment
 * (another locker's, or a test's) makes it fail with 3F000 naming *that* schema, or with
 * 42P01/42703 for one of its tables or columns that vanished mid-query. When no migration
 * of ours failed — the error came from that introspection — nothing has run yet
 * (PostgreSQL migrations run in one transaction), so try again.
 */
const CATALOG_RACE = new Set(['3F000', '42P01', '42703']);

async function withRetryOnForeignSchemaDrop(store: SqlStore, run: (m: Migrator) => Promise<MigrationResultSet>): Promise<MigrationResultSet> {
  for (let attempt = 1; ; attempt++) {
    const result = await run(migratorFor(store));
    const e = result.error as { code?: string; message?: string } | undefined;
    const ours = `"${store.schema ?? 'public'}"`;
    const beforeOurs = !result.results?.some((r) => r.status === 'Error');
    const foreign = e?.code === '3F000' ? !(e.message ?? '').includes(ours) : CATALOG_RACE.has(e?.code ?? '') && beforeOurs;
    if (foreign && attempt < 5) {
      await new Promise((r) => setTimeout(r, 25 * attempt));
      continue;
    }
    return check(result);
  }
}

/** Brings the schema to the latest version. Safe to run concurrently from several instances on PostgreSQL (Kysely takes a lock). */
export async function migrateToLatest(store: SqlStore): Promise<MigrationResultSet> {
  return withRetryOnForeignSchemaDrop(store, (m) => m.migrateToLatest());
}

/** Brings the schema up to (and including) migration `name`, and no further (restoring a backup taken at that version). */
export async function migrateUpTo(store: SqlStore, name: string): Promise<MigrationResultSet> {
  return withRetryOnForeignSchemaDrop(store, (m) => m.migrateTo(name));
}
