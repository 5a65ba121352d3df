/**
 * argon2id for security PINs (@node-rs/argon2). Hashing runs on libuv's thread pool, never
 * on the event loop, and at most `concurrency` hashes run at once: the rest wait in a
 * bounded queue, so a flood of sign-ins cannot take every core (or all the thread pool,
 * which file I/O shares) from the requests around it. When the queue is full, the request
 * is refused with 503 `server_busy` instead of piling up memory.
 *
 * The hash is keyed with a pepper derived from the master key (argon2's `secret`): a copy
 * of the database alone is not enough to try the million possible PINs offline.
 */
import os from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../domain/errors.ts';
import type { PinHasher } from '../domain/accounts/ports.ts';

export interface PinHasherOptions {
  memoryKib: number;
  iterations: number;
  /** Hashes at once; 0 = half the CPU cores, at least 1. */
  concurrency: number;
  pepper: Buffer;
  /** Waiting hashes beyond which requests are refused (default 1000). */
  maxQueue?: number;
}

/** A counting semaphore with a bounded FIFO queue. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(
    readonly max: number,
    private readonly maxQueue: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      if (this.waiting.length >= this.maxQueue) {
        throw new AppError('unavailable', 'server_busy', 'The locker is very busy right now. Please try again in a minute.', { retry_after: 30 });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      if (next) next();
      else this.active--;
    }
  }
}

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, not importable under isolatedModules)

export function defaultConcurrency(): number {
  return Math.max(1, Math.floor(os.availableParallelism() / 2));
}

export function argon2PinHasher(opts: PinHasherOptions): PinHasher & { limiter: Limiter } {
  const limiter = new Limiter(opts.concurrency > 0 ? opts.concurrency : defaultConcurrency(), opts.maxQueue ?? 1000);
  const params = { algorithm: ARGON2ID as never, memoryCost: opts.memoryKib, timeCost: opts.iterations, parallelism: 1, secret: opts.pepper };
  let dummy: Promise<string> | undefined;
  const hasher = {
    limiter,
    hash: (pin: string) => limiter.run(() => hash(pin, params)),
    verify: (pinHash: string, pin: string) =>
      limiter.run(async () => {
        try {
          return await verify(pinHash, pin, { secret: opts.pepper });
        } catch {
          // A malformed stored hash is a wrong PIN, not a crash.
          return false;
        }
      }),
    async verifyDummy(pin: string): Promise<false> {
      dummy ??= hasher.hash('dummy-pin-for-unknown-numbers');
      await hasher.verify(await dummy, pin);
      return false;
    },
  };
  return hasher;
}
