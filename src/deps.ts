/**
 * The composition root: turns a Config into the live dependencies (stores, keys, clock)
 * that the app and the CLI share. Opening fails with one clear message per problem; tests
 * build `AppDeps` themselves from test stores.
 */
import type { Redis } from 'ioredis';
import pino from 'pino';
import type { Config } from './config/index.ts';
import { loadOrCreateAdminToken } from './crypto/admin-token.ts';
import { loadOrCreateMasterKey, type MasterKey } from './crypto/master-key.ts';
import { argon2PinHasher } from './crypto/pin-hasher.ts';
import { accountErasers, type AccountErasers, type PinHasher, type SessionStore } from './domain/accounts/ports.ts';
import type { ActivityLog } from './domain/activity/ports.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import type { BlobReferences } from './domain/blobs/ports.ts';
import { consentDocumentSources, type ConsentDocumentSources } from './domain/consent/ports.ts';
import { documentSources, type DocumentSources } from './domain/documents/sources.ts';
import { dashboardCards, type DashboardCards } from './web/dashboard/cards.ts';
import type { CounterStore } from './domain/limits/ports.ts';
import type { EmailSender } from './domain/notifications/email-port.ts';
import type { DevOutbox } from './domain/outbox/ports.ts';
import type { SmsSender } from './domain/sms/ports.ts';
import { loggerOptions } from './http/logging.ts';
import type { LogLine } from './integrations/sms/console.ts';
import { openSmsSender } from './integrations/sms/index.ts';
import { openEmailSender } from './integrations/email/index.ts';
import { openBlobStore, type BlobStore, type RawObjectStore } from './storage/blob/index.ts';
import { redisCounterStore } from './storage/redis/counter-store.ts';
import { redisSessionStore } from './storage/redis/session-store.ts';
import { migrateToLatest, openSqlStore, type SqlStore } from './storage/sql/database.ts';
import { sqlActivityLog } from './storage/sql/repositories/activity-log.ts';
import { sqlBlobReferences } from './storage/sql/repositories/blob-references.ts';
import { sqlCounterStore } from './storage/sql/repositories/counter-store.ts';
import { sqlDevOutbox } from './storage/sql/repositories/dev-outbox.ts';
import { sqlSessionStore } from './storage/sql/repositories/sessions.ts';

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
  masterKey: MasterKey;
  /** Bearer token of the admin API (ADMIN_TOKEN or DATA_DIR/admin.token). */
  adminToken: string;
  clock: Clock;
  redis?: Redis;
  /** Email: SMTP when SMTP_URL is set, else the dev outbox (outside production) or a sender that refuses. */
  email: EmailSender;
  /** SMS to citizens (SMS_PROVIDER); see domain/sms/ports.ts. */
  sms: SmsSender;
  /** The per-account, hash-chained activity log; see domain/activity/ports.ts. */
  activity: ActivityLog;
  /** Citizen sessions: SQL, or Redis when REDIS_URL is set. */
  sessions: SessionStore;
  /** argon2id for security PINs (bounded, off the event loop). */
  pinHasher: PinHasher;
  /** Modules register here what must go when a citizen deletes their account. */
  accountErasers: AccountErasers;
  /** Modules that hold documents register here how the consent screen lists them (domain/consent/ports.ts). */
  consentDocuments: ConsentDocumentSources;
  /** Modules that own documents (issued, uploaded) register how others list and open them (domain/documents/sources.ts). */
  documents: DocumentSources;
  /** Modules register summary cards for the citizen's dashboard (web/dashboard/cards.ts). */
  dashboardCards: DashboardCards;
}

/** The services built on the stores: shared by `openDeps` and the test app, so both wire them alike. */
export function buildServiceDeps(
  config: Config,
  base: { sql: SqlStore; masterKey: MasterKey; outbox: DevOutbox; clock: Clock; redis?: Redis | undefined; log?: LogLine },
): Pick<AppDeps, 'sms' | 'email' | 'activity' | 'sessions' | 'pinHasher' | 'accountErasers' | 'consentDocuments' | 'documents' | 'dashboardCards'> {
  const log = base.log ?? defaultLogLine(config);
  return {
    sms: openSmsSender(config, { outbox: base.outbox, clock: base.clock, log }),
    email: openEmailSender(config, { outbox: base.outbox, clock: base.clock, log }),
    activity: sqlActivityLog(base.sql, base.masterKey.derive('activity-chain'), base.clock),
    sessions: base.redis ? redisSessionStore(base.redis) : sqlSessionStore(base.sql),
    pinHasher: argon2PinHasher({
      memoryKib: config.pinHashMemoryKib,
      iterations: config.pinHashIterations,
      concurrency: config.pinHashConcurrency,
      pepper: base.masterKey.derive('pin-pepper'),
    }),
    accountErasers: accountErasers(),
    consentDocuments: consentDocumentSources(),
    documents: documentSources(),
    dashboardCards: dashboardCards(),
  };
}

function defaultLogLine(config: Config): LogLine {
  const logger = pino(loggerOptions(config) as pino.LoggerOptions);
  return (fields, message) => logger.info(fields, message);
}

export interface OpenDepsOptions {
  migrate?: boolean;
  clock?: Clock;
  /** PostgreSQL schema (tests). */
  schema?: string;
  /** For `openlocker serve`: its PostgreSQL connections say so (see storage/serving-marker.ts). */
  serving?: boolean;
}

export async function openDeps(config: Config, options: OpenDepsOptions = {}): Promise<AppDeps> {
  const sql = await openSqlStore(config.databaseUrl, { ...(options.schema ? { schema: options.schema } : {}), ...(options.serving ? { serving: true } : {}) });
  try {
    if (options.migrate !== false) await migrateToLatest(sql);
    const { key: masterKey } = loadOrCreateMasterKey(config.masterKey, config.dataDir);
    const { blobs, raw } = openBlobStore(config.blobUrl, masterKey);
    let redis: Redis | undefined;
    if (config.redisUrl) {
      const { Redis } = await import('ioredis'); // only when REDIS_URL is set
      redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: true });
      redis.on('error', () => {}); // reported by /readyz; reconnects by itself
      await redis.connect().catch((err: Error) => {
        throw new Error(`Cannot reach Redis at REDIS_URL: ${err.message}`);
      });
    }
    const outbox = sqlDevOutbox(sql);
    const clock = options.clock ?? systemClock;
    return {
      config,
      sql,
      blobs,
      rawBlobs: raw,
      blobRefs: sqlBlobReferences(sql, { blobs, raw, clock, graceMs: config.blobGcGraceSeconds * 1000 }),
      counters: redis ? redisCounterStore(redis) : sqlCounterStore(sql),
      outbox,
      masterKey,
      adminToken: loadOrCreateAdminToken(config.adminToken, config.dataDir),
      clock,
      ...(redis ? { redis } : {}),
      ...buildServiceDeps(config, { sql, masterKey, outbox, clock, redis }),
    };
  } catch (err) {
    await sql.close().catch(() => {});
    throw err;
  }
}

export async function closeDeps(deps: AppDeps): Promise<void> {
  await deps.email.close().catch(() => {});
  await deps.pinHasher.close?.().catch(() => {});
  await deps.redis?.quit().catch(() => {});
  await deps.sql.close();
}
