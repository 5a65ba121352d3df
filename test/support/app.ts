/**
 * A real app on real stores for integration tests. `describeEachStack` runs a suite on
 * SQLite + filesystem blobs and on PostgreSQL + S3 blobs, so every HTTP-level test covers
 * both SQL dialects and both blob backends.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { buildApp, type BuildOptions } from '../../src/app.ts';
import { testConfig } from '../../src/config/index.ts';
import { masterKeyFromBytes } from '../../src/crypto/master-key.ts';
import { systemClock, type Clock } from '../../src/domain/clock.ts';
import { buildServiceDeps, type AppDeps } from '../../src/deps.ts';
import { redisCounterStore } from '../../src/storage/redis/counter-store.ts';
import { sqlCounterStore } from '../../src/storage/sql/repositories/counter-store.ts';
import { sqlDevOutbox } from '../../src/storage/sql/repositories/dev-outbox.ts';
import { sqlBlobReferences } from '../../src/storage/sql/repositories/blob-references.ts';
import type { BlobStore, RawObjectStore } from '../../src/storage/blob/index.ts';
import type { SqlStore } from '../../src/storage/sql/database.ts';
import { openTestBlobStore, type BlobBackend, type TestBlobStore } from './blob.ts';
import { TEST_REDIS_URL } from './services.ts';
import { openTestSqlStore, type Dialect, type TestSqlStore } from './sql.ts';

export interface Stack {
  dialect: Dialect;
  blob: BlobBackend;
}

export const STACKS: Stack[] = [
  { dialect: 'sqlite', blob: 'fs' },
  { dialect: 'postgres', blob: 's3' },
];

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  sql: TestSqlStore;
  blob: TestBlobStore;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  stack?: Stack;
  /** Settings as environment variables (NODE_ENV=test, LOG_LEVEL=silent, SANDBOX=false by default). */
  env?: Record<string, string>;
  clock?: Clock;
  build?: BuildOptions;
  /** Keep sessions and counters in Redis (under a fresh key prefix), as with REDIS_URL. */
  redis?: boolean;
  /**
   * Reach the test's stores another way (e.g. through a TCP proxy that can cut the
   * connection, for outage tests): the app uses what this returns instead.
   */
  via?: (stores: { sql: TestSqlStore; blob: TestBlobStore }) => Promise<{ sql: SqlStore; blobs: BlobStore; raw: RawObjectStore }>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const stack = options.stack ?? STACKS[0]!;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-app-'));
  const testSql = await openTestSqlStore(stack.dialect);
  const blob = await openTestBlobStore(stack.blob);
  const config = testConfig({
    DATA_DIR: dataDir,
    MASTER_KEY: blob.masterBytes.toString('hex'),
    BLOB_URL: blob.blobUrl,
    // Real argon2id, at a cost tests can afford (production refuses these values).
    ...(options.env?.NODE_ENV === 'production' ? {} : { PIN_HASH_MEMORY_KIB: '1024', PIN_HASH_ITERATIONS: '1' }),
    ...(options.env ?? {}),
  });
  const redis = options.redis ? new Redis(TEST_REDIS_URL, { keyPrefix: `test:${crypto.randomUUID()}:` }) : undefined;
  const masterKey = masterKeyFromBytes(blob.masterBytes);
  const via = options.via ? await options.via({ sql: testSql, blob }) : { sql: testSql as SqlStore, blobs: blob.blobs, raw: blob.raw };
  const sql = via.sql;
  const outbox = sqlDevOutbox(sql);
  const clock = options.clock ?? systemClock;
  const deps: AppDeps = {
    config,
    sql,
    blobs: via.blobs,
    rawBlobs: via.raw,
    blobRefs: sqlBlobReferences(sql, { blobs: via.blobs, raw: via.raw, clock, graceMs: config.blobGcGraceSeconds * 1000 }),
    counters: redis ? redisCounterStore(redis) : sqlCounterStore(sql),
    outbox,
    masterKey,
    adminToken: 'test-admin-token-0123456789',
    clock,
    ...(redis ? { redis } : {}),
    ...buildServiceDeps(config, { sql, masterKey, outbox, clock, redis, log: () => {} }),
  };
  const app = await buildApp(deps, { logger: false, ...(options.build ?? {}) });
  await app.ready();
  return {
    app,
    deps,
    sql: testSql,
    blob,
    dataDir,
    async close() {
      await app.close();
      await redis?.quit();
      if (via.sql !== testSql) await via.sql.close();
      await testSql.dispose();
      await blob.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function describeEachStack(name: string, body: (get: () => TestApp, stack: Stack) => void, options: Omit<TestAppOptions, 'stack'> = {}): void {
  for (const stack of STACKS) {
    describe(`${name} [${stack.dialect}+${stack.blob}]`, () => {
      let t: TestApp | undefined;
      beforeAll(async () => {
        t = await startTestApp({ ...options, stack });
      });
      afterAll(async () => {
        await t?.close();
      });
      body(() => {
        if (!t) throw new Error('test app not started');
        return t;
      }, stack);
    });
  }
}

export const randomId = () => crypto.randomBytes(6).toString('hex');
