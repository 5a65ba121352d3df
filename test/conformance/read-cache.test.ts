/**
 * The never-stale read cache (storage/sql/read-cache.ts) on both dialects, with the real
 * partners repository: on SQLite it answers from memory until its tables change — by this
 * store's statements or by another connection to the file (another process, the CLI) — and
 * on PostgreSQL, where other servers write too, it reads through every time.
 */
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import type { Partner } from '../../src/domain/consent/model.ts';
import { writtenTable } from '../../src/storage/sql/database.ts';
import { readCache } from '../../src/storage/sql/read-cache.ts';
import { sqlNoticeQueue } from '../../src/storage/sql/repositories/consents.ts';
import { sqlPartners } from '../../src/storage/sql/repositories/partners.ts';
import { describeEachDialect, nextRequest, openAnotherConnection } from '../support/sql.ts';

function partner(id: string): Partner {
  const now = new Date().toISOString();
  return { id, name: 'Cache Bank', type: 'bank', status: 'approved', statusReason: null, contactName: null, contactEmail: null, contactPhone: null, redirectUris: ['https://bank.example/cb'], scopes: ['openid'], doctypes: [], purpose: 'KYC', secretHash: null, secretSealed: null, secretHint: null, secretCreatedAt: null, pkceCompat: 'none', source: 'admin', createdAt: now, updatedAt: now, approvedAt: now };
}

it('tells the table a statement writes, and null when it cannot', () => {
  expect(writtenTable('insert into "partners" ("id") values (?)')).toBe('partners');
  expect(writtenTable('update "consents" set "revoked_at" = ? where "id" = ?')).toBe('consents');
  expect(writtenTable('delete from "oauth_store" where "id" = ?')).toBe('oauth_store');
  expect(writtenTable('  INSERT INTO "partners" values (1)')).toBe('partners');
  expect(writtenTable('insert into partners values (1)')).toBeNull();
  expect(writtenTable('with x as (select 1) update "partners" set a = 1')).toBeNull();
});

describeEachDialect('never-stale read cache', (get, dialect) => {
  const counted = (repo: ReturnType<typeof sqlPartners>) => {
    let loads = 0;
    const cache = readCache<string, Partner>(get().changes, ['partners']);
    return { get: (id: string) => cache.get(id, () => (loads++, repo.get(id))), loads: () => loads };
  };

  it(dialect === 'sqlite' ? 'answers from memory until its table is written here' : 'reads through on PostgreSQL', async () => {
    const repo = sqlPartners(get());
    const id = `OLC${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    await repo.create(partner(id));
    const c = counted(repo);
    expect((await c.get(id))?.status).toBe('approved');
    expect((await c.get(id))?.status).toBe('approved');
    expect(c.loads()).toBe(dialect === 'sqlite' ? 1 : 2);
    // Writes to other tables leave it alone…
    await sqlNoticeQueue(get()).bump(crypto.randomUUID(), id, new Date());
    await c.get(id);
    expect(c.loads()).toBe(dialect === 'sqlite' ? 1 : 3);
    // …a write to its own is seen at once.
    await repo.transition(id, ['approved'], 'suspended', 'test', new Date());
    expect((await c.get(id))?.status).toBe('suspended');
  });

  it('sees a write made through another connection to the same database (another process, the CLI)', async () => {
    const repo = sqlPartners(get());
    const id = `OLC${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    await repo.create(partner(id));
    const c = counted(repo);
    expect((await c.get(id))?.status).toBe('approved');
    const other = await openAnotherConnection(get() as never);
    try {
      await sqlPartners(other).transition(id, ['approved'], 'revoked', 'by the CLI', new Date());
    } finally {
      await other.close();
    }
    // The next request sees it (each request begins with observe(), see src/app.ts)…
    await nextRequest(get());
    expect((await c.get(id))?.status).toBe('revoked');
    // …and so does any reader from the next turn of the event loop on, request or not.
    const other2 = await openAnotherConnection(get() as never);
    try {
      await sqlPartners(other2).transition(id, ['revoked'], 'approved', 'by the CLI again', new Date());
    } finally {
      await other2.close();
    }
    await new Promise((r) => setImmediate(r));
    expect((await c.get(id))?.status).toBe('approved');
  });

  it.runIf(dialect === 'sqlite')('shares one look at other connections among the requests of one turn, and looks again in the next', async () => {
    const repo = sqlPartners(get());
    const id = `OLC${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    await repo.create(partner(id));
    const c = counted(repo);
    const feed = get().changes!;
    await new Promise((r) => setImmediate(r));
    // A read made outside a request (a background job, before the loop waited) is dropped
    // by the turn's first request.
    expect((await c.get(id))?.status).toBe('approved');
    const other = await openAnotherConnection(get() as never);
    try {
      await sqlPartners(other).transition(id, ['approved'], 'suspended', 'by the CLI', new Date());
      feed.observe();
      expect((await c.get(id))?.status).toBe('suspended');
      // The turn's next request arrived before that look; it shares it (no new read).
      await sqlPartners(other).transition(id, ['suspended'], 'approved', 'by the CLI again', new Date());
      feed.observe();
      expect((await c.get(id))?.status).toBe('suspended');
    } finally {
      await other.close();
    }
    // The next turn's first request looks again.
    await new Promise((r) => setImmediate(r));
    feed.observe();
    expect((await c.get(id))?.status).toBe('approved');
    expect(c.loads()).toBe(3);
  });

  it('does not keep a value read while its table was written, nor an unknown key', async () => {
    const repo = sqlPartners(get());
    const id = `OLC${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
    await repo.create(partner(id));
    const cache = readCache<string, Partner>(get().changes, ['partners']);
    let loads = 0;
    // The load returns what it read before a suspension landed: handed back, never kept.
    const stale = await cache.get(id, async () => {
      loads++;
      const p = await repo.get(id);
      await repo.transition(id, ['approved'], 'suspended', 'during the read', new Date());
      return p;
    });
    expect(stale?.status).toBe('approved');
    expect((await cache.get(id, async () => (loads++, repo.get(id))))?.status).toBe('suspended');
    expect(loads).toBe(2);
    let misses = 0;
    for (let i = 0; i < 3; i++) expect(await cache.get('OLNOSUCH', async () => (misses++, repo.get('OLNOSUCH')))).toBeNull();
    expect(misses).toBe(3);
  });
});
