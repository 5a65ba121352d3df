/**
 * The composition root: turns a Config into the live dependencies (stores, keys, clock)
 * that the app and the CLI share. Opening fails with one clear message per problem; tests
 * build `AppDeps` themselves from test stores.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Config } from './config/index.ts';
import { loadOrCreateAdminToken } from './crypto/admin-token.ts';
import { loadOrCreateMasterKey, type MasterKey } from './crypto/master-key.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import type { CounterStore } from './domain/limits/ports.ts';
import type { BlobReferences } from './domain/blobs/ports.ts';
import type { EmailSender } from './domain/notifications/email-port.ts';
import type { DevOutbox } from './domain/outbox/ports.ts';
import { openEmailSender } from './integrations/email/index.ts';
import { openBlobStore, type BlobStore, type RawObjectStore } from './storage/blob/index.ts';
import { redisCounterStore } from './storage/redis/counter-store.ts';
import { migrateToLatest, openSqlStore, type SqlStore } from './storage/sql/database.ts';
import { sqlBlobReferences } from './storage/sql/repositories/blob-references.ts';
import { sqlCounterStore } from './storage/sql/repositories/counter-store.ts';
import { sqlDevOutbox } from './storage/sql/repositories/dev-outbox.ts';

export interface AppDeps {
  config: Config;
  sql: SqlStore;
  blobs: BlobStore;
  rawBlobs: RawObjectStore;
  /** Reference counting of shared blobs and their garbage collection (domain/blobs/ports.ts). */
  blobRefs: BlobReferences;
  counters: CounterStore;
  /** Copies of sent SMS/email, shown at /dev/outbox outside production. */
  outbox: DevOutbox;
  /** Email: SMTP when SMTP_URL is set, else the dev outbox (outside production) or a sender that refuses. */
  email: EmailSender;
  masterKey: MasterKey;
  /** Bearer token of the admin API (ADMIN_TOKEN or DATA_DIR/admin.token). */
  adminToken: string;
  clock: Clock;
  redis?: Redis;
}

export interface OpenDepsOptions {
  migrate?: boolean;
  clock?: Clock;
  /** PostgreSQL schema (tests). */
  schema?: string;
}

export async function openDeps(config: Config, options: OpenDepsOptions = {}): Promise<AppDeps> {
  const sql = await openSqlStore(config.databaseUrl, options.schema ? { schema: options.schema } : {});
  try {
    if (options.migrate !== false) await migrateToLatest(sql);
    const { key: masterKey } = loadOrCreateMasterKey(config.masterKey, config.dataDir);
    const { blobs, raw } = openBlobStore(config.blobUrl, masterKey);
    let redis: Redis | undefined;
    if (config.redisUrl) {
      redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: true });
      redis.on('error', () => {}); // reported by /readyz; reconnects by itself
      await redis.connect().catch((err: Error) => {
        throw new Error(`Cannot reach Redis at REDIS_URL: ${err.message}`);
      });
    }
    const clock = options.clock ?? systemClock;
    const outbox = sqlDevOutbox(sql);
    const emailLog = pino({ level: config.logLevel, base: { component: 'email' } });
    return {
      config,
      sql,
      blobs,
      rawBlobs: raw,
      blobRefs: sqlBlobReferences(sql, { blobs, raw, clock, graceMs: config.blobGcGraceSeconds * 1000 }),
      counters: redis ? redisCounterStore(redis) : sqlCounterStore(sql),
      outbox,
      email: openEmailSender(config, { outbox, clock, log: (fields, msg) => emailLog.info(fields, msg) }),
      masterKey,
      adminToken: loadOrCreateAdminToken(config.adminToken, config.dataDir),
      clock,
      ...(redis ? { redis } : {}),
    };
  } catch (err) {
    await sql.close().catch(() => {});
    throw err;
  }
}

export async function closeDeps(deps: AppDeps): Promise<void> {
  await deps.email.close().catch(() => {});
  await deps.redis?.quit().catch(() => {});
  await deps.sql.close();
}
