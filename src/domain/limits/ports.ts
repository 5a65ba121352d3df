/**
 * Counters for rate limits and attempt caps. Kept in the SQL store by default and in Redis
 * when `REDIS_URL` is set, so that many instances of the locker share one count.
 */
export interface CounterHit {
  /** The count in the current window, including this hit. */
  count: number;
  /** Milliseconds until the current window ends and the count starts again from zero. */
  resetInMs: number;
}

export interface CounterStore {
  /**
   * Adds one to `key` in the fixed window of `windowMs` that contains `nowMs` and returns
   * the new count. Atomic: N concurrent hits on the same key and window yield the counts
   * 1..N exactly once each, on every backend and across instances sharing the backend.
   * A hit in a later window starts the count again at 1.
   */
  hit(key: string, windowMs: number, nowMs: number): Promise<CounterHit>;
  /** The count `hit` would build on (0 if the window has passed or the key is unknown). */
  peek(key: string, windowMs: number, nowMs: number): Promise<number>;
  /** Forgets `key` (e.g. after a successful sign-in clears the failure count). */
  reset(key: string): Promise<void>;
  /** Removes expired counters; returns how many. Backends that expire by themselves return 0. */
  sweep(nowMs: number): Promise<number>;
}

export function windowStart(nowMs: number, windowMs: number): number {
  return Math.floor(nowMs / windowMs) * windowMs;
}
