/**
 * Whole lockers for backup and restore tests: a DATA_DIR, a database (an SQLite file in it,
 * or a fresh PostgreSQL schema) and a blob store (a directory in it, or a fresh prefix on a
 * shared s3rver), described by the environment an operator would set — so the same settings
 * drive in-process calls and `openlocker` child processes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { closeDeps, openDeps, type AppDeps } from '../../src/deps.ts';
import { readMasterKey } from '../../src/crypto/master-key.ts';
import { openBlobStore, openRawObjectStore, type BlobStore, type RawObjectStore } from '../../src/storage/blob/index.ts';
import { openSqlStore, type SqlStore } from '../../src/storage/sql/database.ts';
import type { BlobBackend } from './blob.ts';
import { streamToBuffer } from './bytes.ts';
import { signUpCitizen } from './citizen.ts';
import type { TestS3 } from './s3.ts';
import { TEST_PG_URL } from './services.ts';
import { dropSchema, type Dialect } from './sql.ts';

export interface TestLocker {
  env: Record<string, string>;
  config: Config;
  dataDir: string;
  schema?: string;
  /** Opens the locker's deps (migrating, creating keys as `serve` would). */
  open(): Promise<AppDeps>;
  /** The store alone, without migrating or creating anything. */
  openSql(): Promise<SqlStore>;
  /** The raw object store (no key needed). */
  openRaw(): RawObjectStore;
  /** Blob stores under the key currently in effect (file or MASTER_KEY). */
  openBlobs(): { blobs: BlobStore; raw: RawObjectStore };
  dispose(): Promise<void>;
}

export function makeLocker(dialect: Dialect, blob: BlobBackend, s3: TestS3 | undefined, extraEnv: Record<string, string> = {}): TestLocker {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-locker-'));
  const id = crypto.randomBytes(5).toString('hex');
  const schema = dialect === 'postgres' ? `t_${id}` : undefined;
  if (blob === 's3' && !s3) throw new Error('an S3 locker needs the test s3rver');
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SANDBOX: 'false',
    DATA_DIR: dataDir,
    ...(schema ? { DATABASE_URL: `${TEST_PG_URL}?schema=${schema}` } : {}),
    ...(blob === 's3' ? { BLOB_URL: `s3://${s3!.bucket}/locker-${id}?endpoint=${encodeURIComponent(s3!.endpoint)}&region=us-east-1&access_key_id=S3RVER&secret_access_key=S3RVER` } : {}),
    ...extraEnv,
  };
  const config = loadConfig(env).config;
  return {
    env,
    config,
    dataDir,
    ...(schema ? { schema } : {}),
    open: () => openDeps(config),
    openSql: () => openSqlStore(config.databaseUrl),
    openRaw: () => openRawObjectStore(config.blobUrl),
    openBlobs() {
      const key = readMasterKey(config.masterKey, dataDir);
      if (!key) throw new Error('no master key in this locker yet');
      return openBlobStore(config.blobUrl, key.key);
    },
    async dispose() {
      if (schema) await dropSchema(schema);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Puts typical content into a locker: blobs of several sizes with references, rows in every table kind. */
export async function populate(deps: AppDeps, n = 6): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  const sizes = [0, 1, 65_536, 65_537, 200_000, 4096];
  for (let i = 0; i < n; i++) {
    const data = crypto.randomBytes(sizes[i % sizes.length]!);
    const p = await deps.blobs.put(Readable.from([data]));
    contents.set(p.key, data);
    await deps.blobRefs.addBlobRef({ ownerKind: 'upload', ownerId: `upload-${i}`, blobKey: p.key, size: p.size });
  }
  // Two owners sharing one blob, and a blob whose last reference is gone (in its grace period).
  const [firstKey] = contents.keys();
  await deps.blobRefs.addBlobRef({ ownerKind: 'upload', ownerId: 'shared-copy', blobKey: firstKey!, size: contents.get(firstKey!)!.length });
  const released = await deps.blobs.put(Readable.from([crypto.randomBytes(321)]));
  await deps.blobRefs.addBlobRef({ ownerKind: 'upload', ownerId: 'deleted-upload', blobKey: released.key, size: released.size });
  await deps.blobRefs.removeBlobRef({ ownerKind: 'upload', ownerId: 'deleted-upload', blobKey: released.key });
  contents.set(released.key, (await streamToBuffer(await deps.blobs.get(released.key))) as Buffer);
  for (let i = 0; i < 5; i++) {
    await deps.outbox.record({ channel: i % 2 ? 'sms' : 'email', to: `citizen${i}@example.in`, subject: i % 2 ? null : 'आपका दस्तावेज़ — "quoted", \\back\\slash', body: `OTP ${100000 + i}\nनमस्ते 🙏 ${'x'.repeat(i * 100)}` }, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
  }
  await deps.counters.hit(`otp:+9198765${Math.floor(Math.random() * 1e5)}`, 3600_000, Date.now());
  await deps.sql.db.insertInto('instance_meta').values({ key: 'install_id', value: crypto.randomUUID(), updated_at: new Date().toISOString() }).execute();
  // Another module's rows: a citizen signed up and signed in through the real API (accounts,
  // OTP challenges, sessions, the hash-chained activity log), which backup knows nothing about.
  const app = await buildApp(deps, { logger: false });
  try {
    await app.ready();
    await signUpCitizen(app, deps);
  } finally {
    await app.close();
  }
  return contents;
}

/** Every table's rows, normalised (bytes as hex, numbers as text) and sorted, for row-identical comparison. */
export async function dumpTables(store: SqlStore): Promise<Record<string, string[]>> {
  const names =
    store.caps.name === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)).rows.map((r) => r.name)
      : (await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = ${store.schema ?? 'public'}`.execute(store.db)).rows.map((r) => r.tablename);
  const out: Record<string, string[]> = {};
  for (const name of names.sort()) {
    if (name === 'kysely_migration_lock') continue;
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(store.db)).rows;
    out[name] = rows
      .map((r) =>
        JSON.stringify(
          Object.keys(r)
            .sort()
            .map((k) => {
              const v = r[k];
              if (v === null || v === undefined) return [k, null];
              if (Buffer.isBuffer(v)) return [k, `hex:${v.toString('hex')}`];
              if (v instanceof Date) return [k, v.toISOString()];
              return [k, String(v)];
            }),
        ),
      )
      .sort();
  }
  return out;
}

/** Raw (encrypted) bytes of every stored blob. */
export async function rawBlobBytes(raw: RawObjectStore): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const k of raw.keys()) out.set(k, await streamToBuffer(await raw.read(k)));
  return out;
}

export { closeDeps };
