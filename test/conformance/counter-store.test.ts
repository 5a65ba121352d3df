/**
 * The CounterStore contract on every backend that can hold it: SQLite, PostgreSQL and
 * Redis. Counting must be exact under concurrency, because brute-force limits rest on it.
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterStore } from '../../src/domain/limits/ports.ts';
import { redisCounterStore } from '../../src/storage/redis/counter-store.ts';
import { sqlCounterStore } from '../../src/storage/sql/repositories/counter-store.ts';
import { TEST_REDIS_URL } from '../support/services.ts';
import { describeEachDialect } from '../support/sql.ts';

function counterSuite(get: () => CounterStore, sweeps: boolean) {
  const T0 = 1_800_000_000_000;
  const key = () => `k:${crypto.randomUUID()}`;

  it('counts hits within a window and restarts in the next', async () => {
    const k = key();
    expect(await get().hit(k, 60_000, T0)).toEqual({ count: 1, resetInMs: 60_000 });
    expect((await get().hit(k, 60_000, T0 + 10_000)).count).toBe(2);
    const third = await get().hit(k, 60_000, T0 + 59_999);
    expect(third).toEqual({ count: 3, resetInMs: 1 });
    expect(await get().peek(k, 60_000, T0 + 1)).toBe(3);
    expect((await get().hit(k, 60_000, T0 + 60_000)).count).toBe(1);
    expect(await get().peek(k, 60_000, T0 + 120_000)).toBe(0);
  });

  it('keeps keys apart', async () => {
    const a = key();
    const b = key();
    await get().hit(a, 1000, T0);
    await get().hit(a, 1000, T0);
    expect((await get().hit(b, 1000, T0)).count).toBe(1);
  });

  it('resets a key', async () => {
    const k = key();
    await get().hit(k, 60_000, T0);
    await get().hit(k, 60_000, T0);
    await get().reset(k);
    expect(await get().peek(k, 60_000, T0)).toBe(0);
    expect((await get().hit(k, 60_000, T0)).count).toBe(1);
  });

  it('never loses a count under 100 concurrent hits', async () => {
    const k = key();
    const results = await Promise.all(Array.from({ length: 100 }, () => get().hit(k, 60_000, T0)));
    expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('counts hits made together on one store exactly, in call order per key, over several keys and batches', async () => {
    const store = get();
    const keys = [key(), key(), key()];
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => store.hit(keys[i % 3]!, 60_000, T0)));
    for (let k = 0; k < 3; k++) expect(results.filter((_, i) => i % 3 === k).map((r) => r.count)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await store.peek(keys[0]!, 60_000, T0)).toBe(100);
  });

  if (sweeps) {
    it('sweeps expired counters', async () => {
      const k = key();
      await get().hit(k, 1000, T0);
      expect(await get().sweep(T0 + 5000)).toBeGreaterThanOrEqual(1);
      expect(await get().peek(k, 1000, T0)).toBe(0);
    });
  }
}

describeEachDialect('CounterStore (SQL)', (getStore) => {
  counterSuite(() => sqlCounterStore(getStore()), true);
});

describe('CounterStore [redis]', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { keyPrefix: `test:${crypto.randomUUID()}:` });
  });
  afterAll(async () => {
    await redis.quit();
  });
  counterSuite(() => redisCounterStore(redis), false);
});
