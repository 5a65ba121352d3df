/**
 * argon2id for security PINs (@node-rs/argon2). Hashing runs in dedicated threads at a
 * lower CPU priority (hash-threads.ts), never on the event loop nor in libuv's pool (which
 * file I/O needs), and at most `concurrency` hashes run at once: the rest wait in a
 * bounded queue, so a flood of sign-ins cannot take every core from the requests around
 * it. When the queue is full, the request is refused with 503 `server_busy` instead of
 * piling up memory.
 *
 * The hash is keyed with a pepper derived from the master key (argon2's `secret`): a copy
 * of the database alone is not enough to try the million possible PINs offline.
 */
import os from 'node:os';
import { AppError } from '../domain/errors.ts';
import type { PinHasher } from '../domain/accounts/ports.ts';
import { HashThreadError, HashThreads } from './hash-threads.ts';

export interface PinHasherOptions {
  memoryKib: number;
  iterations: number;
  /** Hashes at once; 0 = half the CPU cores, at least 1. */
  concurrency: number;
  pepper: Buffer;
  /** Waiting hashes beyond which requests are refused (default 1000). */
  maxQueue?: number;
}

const busy = () => new AppError('unavailable', 'server_busy', 'The locker is very busy right now. Please try again in a minute.', { retry_after: 30 });

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
        throw busy();
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

export function argon2PinHasher(opts: PinHasherOptions): PinHasher & { limiter: Limiter; threads: HashThreads } {
  const limiter = new Limiter(opts.concurrency > 0 ? opts.concurrency : defaultConcurrency(), opts.maxQueue ?? 1000);
  const threads = new HashThreads(limiter.max);
  const params = { algorithm: ARGON2ID, memoryCost: opts.memoryKib, timeCost: opts.iterations, parallelism: 1, secret: opts.pepper };
  let dummy: Promise<string> | undefined;
  const hasher = {
    limiter,
    threads,
    close: () => threads.close(),
    hash: (pin: string) => limiter.run(() => threads.hash(pin, params)),
    verify: (pinHash: string, pin: string) =>
      limiter.run(async () => {
        try {
          return await threads.verify(pinHash, pin, { secret: opts.pepper });
        } catch (err) {
          if (err instanceof HashThreadError) throw busy();
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
