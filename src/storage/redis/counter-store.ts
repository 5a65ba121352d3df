import type { Redis } from 'ioredis';
import { windowStart, type CounterHit, type CounterStore } from '../../domain/limits/ports.ts';

// One hash per key: the window it counts (s) and the count (c). A hit in a new window
// restarts the count. Scripts run atomically in Redis, so concurrent hits never lose one.
const HIT = `
if redis.call('HGET', KEYS[1], 's') ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'c', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return redis.call('HINCRBY', KEYS[1], 'c', 1)`;

export function redisCounterStore(redis: Redis, prefix = 'ol:cnt:'): CounterStore {
  const k = (key: string) => `${prefix}${key}`;
  return {
    async hit(key, windowMs, nowMs): Promise<CounterHit> {
      const start = windowStart(nowMs, windowMs);
      // Keep the key a little past its window so clock skew between instances cannot reset it early.
      const count = await redis.eval(HIT, 1, k(key), String(start), String(start + windowMs - nowMs + 60_000));
      return { count: Number(count), resetInMs: start + windowMs - nowMs };
    },
    async peek(key, windowMs, nowMs) {
      const [s, c] = await redis.hmget(k(key), 's', 'c');
      return s === String(windowStart(nowMs, windowMs)) ? Number(c) : 0;
    },
    async reset(key) {
      await redis.del(k(key));
    },
    async sweep() {
      return 0;
    },
  };
}
