/**
 * What counts as a store outage (a 503 with a stable code) and what does not (an ordinary
 * error that must stay itself), on real errors from each backend: the SQL store on SQLite
 * and PostgreSQL, a real disk error, a real refused connection. The HTTP side is in
 * test/integration/storage-outage.test.ts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { blobOutage, diskOutage, SqlValueError, sqlOutage, StorageUnavailableError } from '../../src/storage/outage.ts';
import { openAnotherConnection, describeEachDialect } from '../support/sql.ts';
import { withDefaultUser } from '../../src/storage/sql/database.ts';
import { TEST_PG_URL } from '../support/services.ts';
import { freePort } from '../support/partners.ts';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describeEachDialect('SQL errors through the store', (get, dialect) => {
  it('an ordinary query error (a unique violation) stays what it is', async () => {
    const id = crypto.randomUUID();
    const table = `outage_probe_${crypto.randomBytes(4).toString('hex')}`;
    await sql`create table ${sql.table(table)} (id text primary key)`.execute(get().db);
    await sql`insert into ${sql.table(table)} (id) values (${id})`.execute(get().db);
    const err = await sql`insert into ${sql.table(table)} (id) values (${id})`.execute(get().db).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(StorageUnavailableError);
    expect((err as { code?: string }).code).toBe(dialect === 'sqlite' ? 'SQLITE_CONSTRAINT_PRIMARYKEY' : '23505');
    expect(sqlOutage(err)).toBeNull();
  });

  if (dialect === 'sqlite') {
    it('the write lock held by another process (SQLITE_BUSY) is database_busy', async () => {
      const file = get().url.slice('sqlite:'.length);
      const holder = new SQLite(file);
      const writer = new SQLite(file, { timeout: 0 });
      holder.exec('BEGIN IMMEDIATE');
      try {
        const err = thrown(() => writer.exec('CREATE TABLE busy_probe (x)'));
        expect((err as { code: string }).code).toBe('SQLITE_BUSY');
        expect(sqlOutage(err)).toMatchObject({ code: 'database_busy', kind: 'unavailable', details: { retry_after: 5 } });
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
        writer.close();
      }
    });
  }

  if (dialect === 'postgres') {
    it('a connection the server terminates (57P01, as on restart) is database_unavailable, and the next query works', async () => {
      const admin = await openAnotherConnection(get());
      try {
        const err = await get()
          .db.connection()
          .execute(async (conn) => {
            const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
            // Waits (up to 5 s) until the backend is gone, so the next query cannot slip in first.
            await sql`select pg_terminate_backend(${rows[0]!.pid}, 5000)`.execute(admin.db);
            return sql`select 1`.execute(conn);
          })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StorageUnavailableError);
        expect(err).toMatchObject({ code: 'database_unavailable', details: { retry_after: 30 } });
        expect((err as StorageUnavailableError).detail).toMatch(/57P01|terminat|connection error/i);
        // The pool drops the dead client (once its socket has closed) and connects anew;
        // meanwhile a query may still meet the dead client, and then it is an outage too.
        let one: number | null = null;
        for (let i = 0; i < 20 && one === null; i++) {
          try {
            const { rows } = await sql<{ one: number }>`select 1 as one`.execute(get().db);
            one = Number(rows[0]!.one);
          } catch (e) {
            expect(e).toBeInstanceOf(StorageUnavailableError);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        expect(one).toBe(1);
      } finally {
        await admin.close();
      }
    });

    it('a value PostgreSQL refuses (a NUL character) is a 400 invalid_value, not a 500 and not an outage', async () => {
      const err = await sql`select ${'a\u0000b'}::text as v`.execute(get().db).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SqlValueError);
      expect(err).toMatchObject({ kind: 'invalid', code: 'invalid_value' });
      expect((err as SqlValueError).detail).toMatch(/22021|0x00/);
      expect(sqlOutage(err)).toBeNull();
    });

    it('a refused connection (nothing listening) is database_unavailable', async () => {
      const url = new URL(withDefaultUser(TEST_PG_URL));
      url.port = String(await freePort());
      const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 2000 });
      const err = await client.connect().catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('ECONNREFUSED');
      expect(sqlOutage(err)?.code).toBe('database_unavailable');
    });
  }
});

describe('disk and blob store errors', () => {
  it('a full disk (a real ENOSPC from /dev/full) is storage_full; a missing file is not an outage', () => {
    const fd = fs.openSync('/dev/full', 'w');
    try {
      const err = thrown(() => fs.writeSync(fd, Buffer.alloc(4096)));
      expect((err as { code: string }).code).toBe('ENOSPC');
      expect(diskOutage(err)).toMatchObject({ code: 'storage_full', details: { retry_after: 300 } });
      expect(blobOutage(err)?.code).toBe('storage_full');
    } finally {
      fs.closeSync(fd);
    }
    const missing = thrown(() => fs.readFileSync(path.join(os.tmpdir(), `absent-${crypto.randomUUID()}`)));
    expect(diskOutage(missing)).toBeNull();
    expect(blobOutage(missing)).toBeNull();
  });

  it('S3 answers: 5xx and timeouts are outages; 404 and 403 are not', () => {
    expect(blobOutage(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }))?.code).toBe('blob_store_unavailable');
    expect(blobOutage(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))?.code).toBe('blob_store_unavailable');
    expect(blobOutage(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))?.code).toBe('blob_store_unavailable');
    expect(blobOutage(Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }))).toBeNull();
    expect(blobOutage(Object.assign(new Error('AccessDenied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }))).toBeNull();
  });

  it('messages are sentences for citizens; the cause is kept for the operators only', () => {
    const e = new StorageUnavailableError('database_unavailable', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432');
    expect(e.message).toMatch(/^The locker cannot reach its database right now\./);
    expect(e.message).not.toMatch(/ECONN|5432/);
    expect(e.detail).toMatch(/5432/);
  });
});
