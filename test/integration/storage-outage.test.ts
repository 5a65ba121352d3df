/**
 * DESIGN §7: "Database or issuer restarts under load: clear errors while down, full
 * service after, no acknowledged data lost." The stores are reached through TCP proxies
 * that cut every connection (PostgreSQL, S3) — the machine's servers keep running for the
 * tests beside this one — and SQLite is locked by a second connection, as another process
 * (a backup, an import) would. While a store is out, requests get 503 with a stable code,
 * a sentence and Retry-After (never a 500), /readyz fails and /healthz holds; once it is
 * back, the next request works and everything acknowledged before is there, byte for byte.
 */
import os from 'node:os';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBlobUrl } from '../../src/config/schema.ts';
import { openBlobStore } from '../../src/storage/blob/index.ts';
import { openSqlStore } from '../../src/storage/sql/database.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { TEST_PG_URL } from '../support/services.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { samplePdf, upload } from '../support/uploads.ts';

function expectOutage(res: { statusCode: number; headers: Record<string, unknown>; body: string }, code: string, retryAfter: string): void {
  expect(res.statusCode, res.body).toBe(503);
  const body = JSON.parse(res.body) as { error: string; error_description: string; retry_after: number };
  expect(body.error).toBe(code);
  expect(body.error_description).toMatch(/try again/i);
  expect(body.error_description).not.toMatch(/ECONN|SQLITE|stack|at \w+ \(/);
  expect(res.headers['retry-after']).toBe(retryAfter);
  expect(body.retry_after).toBe(Number(retryAfter));
}

describe('storage outages [postgres+s3]', () => {
  let t: TestApp;
  let pg: TcpProxy;
  let s3: TcpProxy | undefined;
  let citizen: TestCitizen;
  let pdf: Buffer;
  let uploadId: string;

  beforeAll(async () => {
    const target = new URL(TEST_PG_URL);
    pg = await startTcpProxy(Number(target.port || 5432), target.hostname);
    t = await startTestApp({
      stack: { dialect: 'postgres', blob: 's3' },
      via: async ({ sql, blob }) => {
        const through = new URL(TEST_PG_URL);
        through.hostname = '127.0.0.1';
        through.port = String(pg.port);
        const store = await openSqlStore({ kind: 'postgres', url: through.toString(), display: 'postgres through a proxy' }, { schema: sql.schema!, connectTimeoutMs: 2000 });
        const endpoint = new URL(decodeURIComponent(/endpoint=([^&]+)/.exec(blob.blobUrl)![1]!));
        s3 = await startTcpProxy(Number(endpoint.port), endpoint.hostname);
        const url = blob.blobUrl.replace(encodeURIComponent(endpoint.origin), encodeURIComponent(`http://127.0.0.1:${s3.port}`));
        return { sql: store, ...openBlobStore(parseBlobUrl(url, { dataDir: os.tmpdir(), nodeEnv: 'test' }), blob.master) };
      },
    });
    citizen = await signUpCitizen(t.app, t.deps);
    pdf = await samplePdf('acknowledged before the outage');
    const up = await upload(t.app, citizen.headers, pdf, 'before.pdf');
    expect(up.statusCode, up.body).toBe(201);
    uploadId = (JSON.parse(up.body) as { id: string }).id;
  });

  afterAll(async () => {
    pg?.up();
    s3?.up();
    await t?.close();
    await pg?.close();
    await s3?.close();
  });

  it('PostgreSQL down: 503 database_unavailable with Retry-After, /readyz fails, /healthz holds; back: full service, nothing lost', async () => {
    pg.down();
    try {
      expectOutage(await t.app.inject({ method: 'GET', url: '/api/v1/uploads', headers: citizen.headers }), 'database_unavailable', '30');
      expectOutage(await upload(t.app, citizen.headers, await samplePdf('during the outage'), 'during.pdf'), 'database_unavailable', '30');
      expectOutage(await t.app.inject({ method: 'PATCH', url: `/api/v1/uploads/${uploadId}`, headers: citizen.headers, payload: { name: 'renamed while down' } }), 'database_unavailable', '30');
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      const checks = (JSON.parse(ready.body) as { checks: Record<string, { status: string; error?: string }> }).checks;
      expect(checks.database).toMatchObject({ status: 'failing', error: 'database_unavailable' });
      expect(checks.blobs!.status).toBe('ok');
      expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      // Under load: fifty at once, every one a clear 503, none a 500 or a hang.
      const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? t.app.inject({ method: 'GET', url: '/api/v1/uploads', headers: citizen.headers }) : t.app.inject({ method: 'PATCH', url: `/api/v1/uploads/${uploadId}`, headers: citizen.headers, payload: { name: `burst ${i}` } }))));
      for (const r of burst) expectOutage(r, 'database_unavailable', '30');
      // A browser gets a page that says so, not a stack trace.
      const page = await t.app.inject({ method: 'GET', url: '/uploaded', headers: { cookie: citizen.cookie, accept: 'text/html' } });
      expect(page.statusCode).toBe(503);
      expect(page.body).toMatch(/cannot reach its database/);
    } finally {
      pg.up();
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/uploads', headers: citizen.headers });
    expect(list.statusCode, list.body).toBe(200);
    const items = (JSON.parse(list.body) as { items: Array<{ id: string; name: string }> }).items;
    expect(items.map((i) => i.id)).toEqual([uploadId]); // nothing half-made during the outage
    expect(items[0]!.name).not.toMatch(/while down|burst/);
    const file = await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${uploadId}/file`, headers: citizen.headers });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(pdf)).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('S3 down: 503 blob_store_unavailable for uploads and downloads, nothing listed half-made; back: the bytes are intact', async () => {
    s3!.down();
    try {
      expectOutage(await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${uploadId}/file`, headers: citizen.headers }), 'blob_store_unavailable', '30');
      expectOutage(await upload(t.app, citizen.headers, await samplePdf('while S3 is down'), 'during.pdf'), 'blob_store_unavailable', '30');
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect((JSON.parse(ready.body) as { checks: Record<string, { status: string }> }).checks.blobs!.status).toBe('failing');
    } finally {
      s3!.up();
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/uploads', headers: citizen.headers });
    expect((JSON.parse(list.body) as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual([uploadId]);
    const file = await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${uploadId}/file`, headers: citizen.headers });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(pdf)).toBe(true);
  });
});

describe('storage outages [sqlite+fs]', () => {
  let t: TestApp;
  let citizen: TestCitizen;
  let uploadId: string;

  beforeAll(async () => {
    t = await startTestApp({ stack: { dialect: 'sqlite', blob: 'fs' } });
    citizen = await signUpCitizen(t.app, t.deps);
    const up = await upload(t.app, citizen.headers, await samplePdf('sqlite'), 'before.pdf');
    expect(up.statusCode, up.body).toBe(201);
    uploadId = (JSON.parse(up.body) as { id: string }).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('SQLite write-locked by another process past busy_timeout: 503 database_busy; unlocked: the change goes through', async () => {
    const other = new SQLite(t.sql.url.slice('sqlite:'.length));
    other.exec('BEGIN IMMEDIATE'); // holds the write lock, as a long import or restore would
    try {
      const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/uploads/${uploadId}`, headers: citizen.headers, payload: { name: 'renamed while locked' } });
      expectOutage(res, 'database_busy', '5');
      // Reads still work under WAL while another connection writes.
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/uploads', headers: citizen.headers })).statusCode).toBe(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/uploads/${uploadId}`, headers: citizen.headers, payload: { name: 'renamed after' } });
    expect(res.statusCode, res.body).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/uploads', headers: citizen.headers });
    expect((JSON.parse(list.body) as { items: Array<{ name: string }> }).items[0]!.name).toBe('renamed after');
  }, 30_000);
});
