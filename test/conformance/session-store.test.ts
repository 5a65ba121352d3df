/**
 * The SessionStore contract on every backend: SQLite, PostgreSQL and Redis. Ending is
 * exactly-once under concurrency (so each expiry is logged once), ended sessions are still
 * recognisable (session_expired), and the sweeper ends idle and expired sessions.
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewSession, SessionStore } from '../../src/domain/accounts/ports.ts';
import { redisSessionStore } from '../../src/storage/redis/session-store.ts';
import { sqlSessionStore } from '../../src/storage/sql/repositories/sessions.ts';
import { TEST_REDIS_URL } from '../support/services.ts';
import { describeEachDialect, nextRequest, openAnotherConnection } from '../support/sql.ts';

const T0 = 1_800_000_000_000;
const IDLE = 900_000;

function session(accountId: string, over: Partial<NewSession> = {}): NewSession {
  const id = crypto.randomUUID();
  return {
    id,
    tokenHash: crypto.createHash('sha256').update(id).digest('hex'),
    accountId,
    name: 'Asha',
    mustChangePin: false,
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: T0 + 12 * 3600_000,
    ip: '10.0.0.1',
    userAgent: 'Mozilla/5.0',
    ...over,
  };
}

function sessionSuite(get: () => SessionStore) {
  it('creates, finds by token hash, touches, lists live sessions most recent first', async () => {
    const acc = crypto.randomUUID();
    const a = session(acc);
    const b = session(acc, { ip: null, userAgent: null });
    await get().create(a);
    await get().create(b);
    expect(await get().findByTokenHash(a.tokenHash)).toEqual({ ...a, endedAt: null, endReason: null });
    expect(await get().findByTokenHash('0'.repeat(64))).toBeNull();
    await get().touch(b.id, T0 + 60_000);
    await get().touch(b.id, T0 + 30_000); // never moves backwards
    expect((await get().findByTokenHash(b.tokenHash))!.lastSeenAt).toBe(T0 + 60_000);
    expect((await get().listLive(acc)).map((s) => s.id)).toEqual([b.id, a.id]);
    expect(await get().listLive(crypto.randomUUID())).toEqual([]);
  });

  it('ends a session exactly once among 20 concurrent callers, and remembers why', async () => {
    const acc = crypto.randomUUID();
    const s = session(acc);
    await get().create(s);
    const results = await Promise.all(Array.from({ length: 20 }, () => get().end(s.id, 'signed_out', T0 + 5)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await get().findByTokenHash(s.tokenHash)).toMatchObject({ endedAt: T0 + 5, endReason: 'signed_out' });
    expect(await get().listLive(acc)).toEqual([]);
    await get().touch(s.id, T0 + 100);
    expect((await get().findByTokenHash(s.tokenHash))!.lastSeenAt).toBe(T0);
  });

  it('ends all sessions of an account except one, and none of another account', async () => {
    const acc = crypto.randomUUID();
    const other = crypto.randomUUID();
    const keep = session(acc);
    const x = session(acc);
    const y = session(acc);
    const theirs = session(other);
    for (const s of [keep, x, y, theirs]) await get().create(s);
    const ended = await get().endAllForAccount(acc, 'pin_changed', T0 + 1, keep.id);
    expect(ended.map((s) => s.id).sort()).toEqual([x.id, y.id].sort());
    expect((await get().listLive(acc)).map((s) => s.id)).toEqual([keep.id]);
    expect((await get().listLive(other)).map((s) => s.id)).toEqual([theirs.id]);
    expect(await get().endAllForAccount(acc, 'pin_changed', T0 + 2, keep.id)).toEqual([]);
  });

  it('sweeps idle and absolutely expired sessions once, leaving live ones', async () => {
    const acc = crypto.randomUUID();
    const idle = session(acc);
    const active = session(acc, { lastSeenAt: T0 + IDLE });
    const old = session(acc, { lastSeenAt: T0 + IDLE, expiresAt: T0 + IDLE + 1 });
    for (const s of [idle, active, old]) await get().create(s);
    const now = T0 + IDLE + 10;
    const [first, second] = await Promise.all([get().sweep(now, IDLE, 0), get().sweep(now, IDLE, 0)]);
    const ended = [...first!, ...second!].filter((s) => s.accountId === acc);
    expect(ended.map((s) => [s.id, s.endReason]).sort()).toEqual([[idle.id, 'idle'], [old.id, 'expired']].sort());
    expect((await get().listLive(acc)).map((s) => s.id)).toEqual([active.id]);
  });

  it('forgets every session of an erased account', async () => {
    const acc = crypto.randomUUID();
    const s = session(acc);
    await get().create(s);
    await get().end(s.id, 'account_deleted', T0 + 1);
    await get().create(session(acc));
    await get().deleteAllForAccount(acc);
    expect(await get().findByTokenHash(s.tokenHash)).toBeNull();
    expect(await get().listLive(acc)).toEqual([]);
  });
}

describeEachDialect('SessionStore (SQL)', (getStore) => {
  sessionSuite(() => sqlSessionStore(getStore()));

  it('purges ended sessions older than the retention', async () => {
    const store = sqlSessionStore(getStore());
    const s = session(crypto.randomUUID());
    await store.create(s);
    await store.end(s.id, 'signed_out', T0 + 1);
    await store.sweep(T0 + 2, IDLE, T0 + 2);
    expect(await store.findByTokenHash(s.tokenHash)).toBeNull();
  });

  // The look-up is cached on SQLite (storage/sql/read-cache.ts): a session ended elsewhere —
  // `openlocker` on the same file, another server process — must end here at once too.
  it('sees a session ended or touched through another connection in the next request', async () => {
    const store = sqlSessionStore(getStore());
    const s = session(crypto.randomUUID());
    await store.create(s);
    expect((await store.findByTokenHash(s.tokenHash))!.endedAt).toBeNull();
    expect((await store.findByTokenHash(s.tokenHash))!.endedAt).toBeNull();
    const other = await openAnotherConnection(getStore() as never);
    try {
      await sqlSessionStore(other).touch(s.id, T0 + 5_000);
      await nextRequest(getStore());
      expect((await store.findByTokenHash(s.tokenHash))!.lastSeenAt).toBe(T0 + 5_000);
      await sqlSessionStore(other).end(s.id, 'ended_by_operator', T0 + 6_000);
    } finally {
      await other.close();
    }
    await nextRequest(getStore());
    expect(await store.findByTokenHash(s.tokenHash)).toMatchObject({ endedAt: T0 + 6_000, endReason: 'ended_by_operator' });
  });

  it('hands out a session callers cannot change for each other', async () => {
    const store = sqlSessionStore(getStore());
    const s = session(crypto.randomUUID());
    await store.create(s);
    const first = (await store.findByTokenHash(s.tokenHash))!;
    try {
      (first as { name: string }).name = 'Mallory';
    } catch {
      // frozen (the cached copy on SQLite): the change is refused loudly
    }
    expect((await store.findByTokenHash(s.tokenHash))!.name).toBe('Asha');
  });
});

describe('SessionStore [redis]', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { keyPrefix: `test:${crypto.randomUUID()}:` });
  });
  afterAll(async () => {
    await redis.quit();
  });
  sessionSuite(() => redisSessionStore(redis));

  it('lets ended sessions expire from Redis after the retention', async () => {
    const store = redisSessionStore(redis, { retentionMs: 50 });
    const s = session(crypto.randomUUID());
    await store.create(s);
    await store.end(s.id, 'signed_out', T0 + 1);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.findByTokenHash(s.tokenHash)).toBeNull();
  });
});
