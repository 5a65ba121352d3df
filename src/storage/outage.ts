/**
 * When a store the locker depends on cannot serve — PostgreSQL restarting or unreachable,
 * SQLite locked by another process or out of disk, the S3 endpoint down — requests get a
 * 503 with a stable code, a sentence a citizen can act on and `Retry-After`, never a 500
 * "something went wrong": the cause is known, temporary, and not the client's. Readiness
 * (`/readyz`) reports the same outage, so a load balancer stops sending traffic; when the
 * store is back, the next request simply works (pg's pool reconnects by itself).
 *
 * The SQL side is classified where queries run (`outageAwareDialect`, a thin wrapper around
 * Kysely's driver), so only errors that really came from the database are translated; the
 * blob side where the S3 client and the filesystem are called.
 */
import type { DatabaseConnection, Dialect, Driver, QueryResult } from 'kysely';
import { AppError } from '../domain/errors.ts';

export type OutageCode = 'database_unavailable' | 'database_busy' | 'storage_full' | 'blob_store_unavailable';

const MESSAGES: Record<OutageCode, { message: string; retryAfter: number }> = {
  database_unavailable: { message: 'The locker cannot reach its database right now. Please try again in a minute.', retryAfter: 30 },
  database_busy: { message: 'The locker’s database is busy with another task (such as a backup or an import). Please try again in a few seconds.', retryAfter: 5 },
  storage_full: { message: 'The locker has run out of storage space, so nothing new can be saved right now. The operators have been alerted; please try again later.', retryAfter: 300 },
  blob_store_unavailable: { message: 'The locker cannot reach its document storage right now. Please try again in a minute.', retryAfter: 30 },
};

export class StorageUnavailableError extends AppError {
  constructor(
    code: OutageCode,
    /** What failed underneath, for the operators' log (never sent to clients). */
    readonly detail: string,
  ) {
    super('unavailable', code, MESSAGES[code].message, { retry_after: MESSAGES[code].retryAfter });
    this.name = 'StorageUnavailableError';
  }
}

/** Network failures of a TCP connection to a server (pg, the S3 client). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-postgres's own messages for a connection that went away or never came. */
const PG_CONNECTION_MESSAGES = [/^Connection terminated/i, /timeout exceeded when trying to connect/i, /Client has encountered a connection error and is not queryable/i, /Client was closed and is not queryable/i];

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  errno?: unknown;
}

function describe(err: ErrorShape): string {
  return [typeof err.code === 'string' ? err.code : null, typeof err.message === 'string' ? err.message.slice(0, 200) : null].filter(Boolean).join(': ') || String(err);
}

/**
 * The outage an SQL error means, or null when it is an ordinary query error (a constraint,
 * a bug) that must stay what it is. PostgreSQL: SQLSTATE class 08 (connection exception),
 * 57P01–57P03 (the server is shutting down, crashed or starting), 53300 (too many
 * connections), 53100 (disk full), and the client's network errors. SQLite: BUSY/LOCKED
 * (another process holds the write lock past busy_timeout), FULL, and I/O or open failures.
 */
export function sqlOutage(err: unknown): StorageUnavailableError | null {
  if (err instanceof StorageUnavailableError) return err;
  if (typeof err !== 'object' || err === null) return null;
  const e = err as ErrorShape;
  const code = typeof e.code === 'string' ? e.code : '';
  const detail = describe(e);
  if (code.startsWith('SQLITE_')) {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new StorageUnavailableError('database_busy', detail);
    if (code === 'SQLITE_FULL') return new StorageUnavailableError('storage_full', detail);
    if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) return new StorageUnavailableError('database_unavailable', detail);
    return null;
  }
  if (code === '53100') return new StorageUnavailableError('storage_full', detail);
  if (code === '53300') return new StorageUnavailableError('database_busy', detail);
  if (/^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03') return new StorageUnavailableError('database_unavailable', detail);
  if (NETWORK_CODES.has(code)) return new StorageUnavailableError('database_unavailable', detail);
  if (typeof e.message === 'string' && PG_CONNECTION_MESSAGES.some((re) => re.test(e.message as string))) return new StorageUnavailableError('database_unavailable', detail);
  return null;
}

/**
 * The outage an error of the blob store means, or null. S3: network failures, the SDK's
 * timeouts, and 5xx answers (the service down, overloaded or throttling). Filesystem: a
 * full disk, and I/O or permission failures of the blob directory.
 */
export function blobOutage(err: unknown): StorageUnavailableError | null {
  const disk = diskOutage(err);
  if (disk || typeof err !== 'object' || err === null) return disk;
  const e = err as ErrorShape & { name?: unknown; $metadata?: { httpStatusCode?: number } };
  const code = typeof e.code === 'string' ? e.code : '';
  const detail = describe(e);
  if (NETWORK_CODES.has(code)) return new StorageUnavailableError('blob_store_unavailable', detail);
  if (e.name === 'TimeoutError' || e.name === 'RequestTimeout' || e.name === 'RequestTimeTooSkewed') return new StorageUnavailableError('blob_store_unavailable', `${String(e.name)}: ${detail}`);
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return new StorageUnavailableError('blob_store_unavailable', `HTTP ${status}: ${detail}`);
  return null;
}

/**
 * A failure of the local disk (full, read-only, I/O error, permissions): unambiguous
 * wherever it comes from, unlike a network error, which may be the client going away.
 */
export function diskOutage(err: unknown): StorageUnavailableError | null {
  if (err instanceof StorageUnavailableError) return err;
  const code = typeof err === 'object' && err !== null && typeof (err as ErrorShape).code === 'string' ? ((err as ErrorShape).code as string) : '';
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageUnavailableError('storage_full', describe(err as ErrorShape));
  if (code === 'EIO' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return new StorageUnavailableError('blob_store_unavailable', describe(err as ErrorShape));
  return null;
}

/**
 * A value the database refused (PostgreSQL SQLSTATE class 22 "data exception" — a NUL
 * character, an invalid byte sequence, a number out of range — or 54000, an index entry
 * too long; SQLite's TOOBIG/MISMATCH): input that got past validation and that no retry
 * can store. It is the client's request, so a 400; the cause is logged for the operators,
 * since it may also point at a missing validation.
 */
export class SqlValueError extends AppError {
  constructor(readonly detail: string) {
    super('invalid', 'invalid_value', 'A value in the request cannot be stored or looked up (for example, it contains a NUL character or is far too long).');
    this.name = 'SqlValueError';
  }
}

export function sqlValueError(err: unknown): SqlValueError | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = typeof (err as ErrorShape).code === 'string' ? ((err as ErrorShape).code as string) : '';
  if (/^22[0-9A-Z]{3}$/.test(code) || code === '54000' || code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH') return new SqlValueError(describe(err as ErrorShape).replace(/"[^"]*"/g, '"…"')); // quoted parts may be the client's value: not logged
  return null;
}

/** What an SQL error means here: an outage, a refused value, or itself. */
function translateSqlError(err: unknown): unknown {
  return sqlOutage(err) ?? sqlValueError(err) ?? err;
}

/** Rethrows `err` as the outage (or refused value) it means, if it means one. */
export function rethrowSqlOutage(err: unknown): never {
  throw translateSqlError(err);
}

export function rethrowBlobOutage(err: unknown): never {
  throw blobOutage(err) ?? err;
}

/** Runs `fn`, translating its errors whether it throws or rejects (Kysely's SQLite driver throws synchronously). */
function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn().then(undefined, rethrowSqlOutage);
  } catch (err) {
    return Promise.reject(translateSqlError(err));
  }
}

const patched = new WeakSet<DatabaseConnection>();

/**
 * Makes a connection's queries throw StorageUnavailableError for outages (patched in place:
 * drivers keep their identity checks). Every statement goes through here — the drivers'
 * begin, commit, rollback and savepoints too, which they run as queries on the connection.
 */
function outageAwareConnection(conn: DatabaseConnection): DatabaseConnection {
  if (patched.has(conn)) return conn;
  const execute = conn.executeQuery.bind(conn);
  const stream = conn.streamQuery.bind(conn);
  conn.executeQuery = <R>(q: Parameters<DatabaseConnection['executeQuery']>[0]): Promise<QueryResult<R>> => guarded(() => execute<R>(q));
  conn.streamQuery = async function* <R>(q: Parameters<DatabaseConnection['streamQuery']>[0], chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* stream<R>(q, chunkSize);
    } catch (err) {
      rethrowSqlOutage(err);
    }
  };
  patched.add(conn);
  return conn;
}

/**
 * Wraps a Kysely dialect so that database outages surface as StorageUnavailableError. The
 * driver is patched in place too: only getting a connection (pg's pool connecting) and
 * start-up talk to the database other than through a connection's queries.
 */
export function outageAwareDialect(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: (): Driver => {
      const driver = dialect.createDriver();
      const init = driver.init.bind(driver);
      const acquire = driver.acquireConnection.bind(driver);
      driver.init = () => guarded(init);
      driver.acquireConnection = () => guarded(acquire).then(outageAwareConnection);
      return driver;
    },
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
