/**
 * One test suite, every SQL backend: `describeEachDialect` runs its body once on SQLite (a
 * fresh file) and once on PostgreSQL (a fresh schema, dropped afterwards), each migrated
 * to the latest version. Every repository test goes through it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { migrateToLatest, openSqlStore, withDefaultUser, type SqlStore } from '../../src/storage/sql/database.ts';
import { TEST_PG_URL } from './services.ts';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

export interface TestSqlStore extends SqlStore {
  /** Closes the store and removes its file or schema. */
  dispose(): Promise<void>;
  /** The DATABASE_URL a child process would use to open this same store. */
  url: string;
  /** PostgreSQL schema (to pass to a child process), if any. */
  schema?: string;
}

export async function openTestSqlStore(dialect: Dialect, { migrate = true } = {}): Promise<TestSqlStore> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-sql-'));
    const file = path.join(dir, 'test.db');
    const store = await openSqlStore({ kind: 'sqlite', file, display: `sqlite:${file}` });
    if (migrate) await migrateToLatest(store);
    return {
      ...store,
      url: `sqlite:${file}`,
      async dispose() {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const store = await openSqlStore({ kind: 'postgres', url: TEST_PG_URL, display: TEST_PG_URL }, { schema });
  if (migrate) await migrateToLatest(store);
  return {
    ...store,
    url: TEST_PG_URL,
    schema,
    async dispose() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

/**
 * A second, independent connection (pool) to the same store, as another process — a
 * second server or the CLI — would open: it shares no in-memory state with the first.
 */
export async function openAnotherConnection(store: TestSqlStore): Promise<SqlStore> {
  return store.url.startsWith('sqlite:')
    ? openSqlStore({ kind: 'sqlite', file: store.url.slice('sqlite:'.length), display: store.url })
    : openSqlStore({ kind: 'postgres', url: store.url, display: store.url }, { schema: store.schema! });
}

/**
 * What a request sent after something committed elsewhere does on arrival: it is read in a
 * later turn of the event loop than the requests already being served (whose turn may share
 * one look at other connections' commits, see ChangeFeed.observe), and it begins with
 * observe(). `app.inject` runs requests back to back without a socket, so tests await this
 * (or at least the next turn) between another connection's commit and the request that
 * must see it.
 */
export async function nextRequest(store?: Pick<SqlStore, 'changes'>): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  store?.changes?.observe();
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDefaultUser(TEST_PG_URL) });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/**
 * Runs `body` once per dialect. `get()` returns that dialect's store, opened before the
 * suite and disposed after it; tests share it, so use unique ids per test.
 */
export function describeEachDialect(name: string, body: (get: () => TestSqlStore, dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let store: TestSqlStore | undefined;
      beforeAll(async () => {
        store = await openTestSqlStore(dialect);
      });
      afterAll(async () => {
        await store?.dispose();
      });
      body(() => {
        if (!store) throw new Error('store not open yet');
        return store;
      }, dialect);
    });
  }
}
