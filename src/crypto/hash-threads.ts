/**
 * Dedicated threads for argon2id, at a lower CPU priority than the rest of the process.
 *
 * Bounded concurrency alone (pin-hasher.ts) keeps a sign-in flood from taking every core,
 * but on a small machine the one hashing thread still competes on equal terms with the
 * event loop and the database for the CPU, and every other request's latency grows with
 * the flood. Here each hash runs synchronously in its own worker thread whose scheduling
 * priority is lowered (Linux: `nice` 10 for that thread only, via its thread id), so the
 * kernel serves the event loop first and hashing takes what is left — a flood of wrong
 * PINs slows sign-ins, not the locker. Elsewhere (no /proc/thread-self) the threads run at
 * normal priority.
 *
 * Threads start on first use and stop after a minute without work.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export const HASH_THREAD_NICE = 10;
const IDLE_MS = 60_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const os = require('node:os');
const argon2 = require(workerData.argon2);
let nice = null;
try {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  os.setPriority(tid, workerData.nice);
  nice = os.getPriority(tid);
} catch {}
parentPort.postMessage({ ready: true, nice });
parentPort.on('message', ({ id, op, a, b, options }) => {
  try {
    const value = op === 'hash' ? argon2.hashSync(a, options) : argon2.verifySync(a, b, options);
    parentPort.postMessage({ id, value });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message || err) });
  }
});
`;

/** The thread running a hash stopped (or could not start): the answer is unknown, not "wrong PIN". */
export class HashThreadError extends Error {}

interface Job {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

class HashThread {
  readonly worker: Worker;
  readonly jobs = new Map<number, Job>();
  /** The thread's nice value once it reported it (null: could not be set here). */
  nice: Promise<number | null>;
  private seq = 0;

  constructor(onExit: (t: HashThread) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { argon2: createRequire(import.meta.url).resolve('@node-rs/argon2'), nice: HASH_THREAD_NICE } });
    this.worker.unref();
    this.nice = new Promise((resolve) => {
      this.worker.once('message', (m: { nice: number | null }) => resolve(m.nice));
      this.worker.once('error', () => resolve(null));
    });
    this.worker.on('message', (m: { id?: number; value?: unknown; error?: string }) => {
      if (m.id === undefined) return;
      const job = this.jobs.get(m.id);
      this.jobs.delete(m.id);
      if (m.error !== undefined) job?.reject(new Error(m.error));
      else job?.resolve(m.value);
    });
    const fail = (err: Error) => {
      for (const job of this.jobs.values()) job.reject(new HashThreadError(err.message));
      this.jobs.clear();
      onExit(this);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the hashing thread stopped (exit code ${code})`)));
  }

  run(op: 'hash' | 'verify', a: string, b: string | undefined, options: object): Promise<unknown> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, a, b, options });
    });
  }
}

/**
 * A pool of hashing threads. Callers bound the concurrency themselves (pin-hasher's
 * Limiter); the pool gives each call the least busy thread, starting up to `size`.
 */
export class HashThreads {
  private readonly threads: HashThread[] = [];
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly size: number) {}

  private pick(): HashThread {
    clearTimeout(this.idleTimer);
    let best = this.threads.find((t) => t.jobs.size === 0);
    if (!best && this.threads.length < this.size) {
      best = new HashThread((dead) => {
        const i = this.threads.indexOf(dead);
        if (i >= 0) this.threads.splice(i, 1);
      });
      this.threads.push(best);
    }
    return best ?? this.threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  }

  private async call<T>(op: 'hash' | 'verify', a: string, b: string | undefined, options: object): Promise<T> {
    try {
      return (await this.pick().run(op, a, b, options)) as T;
    } finally {
      if (this.threads.every((t) => t.jobs.size === 0)) {
        this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
        this.idleTimer.unref();
      }
    }
  }

  hash(pin: string, options: object): Promise<string> {
    return this.call('hash', pin, undefined, options);
  }

  verify(hashed: string, pin: string, options: object): Promise<boolean> {
    return this.call('verify', hashed, pin, options);
  }

  /** The nice values of the running threads (for tests and diagnostics). */
  async priorities(): Promise<Array<number | null>> {
    return Promise.all(this.threads.map((t) => t.nice));
  }

  get running(): number {
    return this.threads.length;
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    await Promise.all(this.threads.splice(0).map((t) => t.worker.terminate()));
  }
}
