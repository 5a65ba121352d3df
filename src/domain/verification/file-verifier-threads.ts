/**
 * Verifying an uploaded file (POST /api/v1/verify and the /verify page, no sign-in) in
 * worker threads instead of on the event loop.
 *
 * A signed PDF costs ~35 ms of CPU (CMS, certificate chain, the attached XML's XMLDSig, the
 * QR payload); a photo of a QR code costs image decoding. On the event loop every other
 * request — any citizen's — waited that long per file, and anyone can send files. Here
 * the work runs in at most `size` threads (default: all cores but one, at least one, at
 * most four), one file per thread at a time, the rest in a bounded queue (full: 503
 * `server_busy`). A thread has its own heap limit (a hostile file exhausts the thread, not
 * the locker) and a deadline per file; a thread that dies or overruns is replaced and the
 * client gets a clear 503, never a hang. The key directory stays on the main thread, which
 * owns the database: a thread asks for keys by message. Threads start on first use and
 * stop after a minute without work.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import { reviveError, serializeError, THREAD_MARK, type DirectoryMethod, type FromThread, type ToThread } from './file-verifier-thread.ts';
import type { VerifyResult } from './verify-result.ts';
import type { VerifierDeps } from './verify-qr.ts';
import { verifyUpload } from './verify-upload.ts';

export interface FileVerifierThreadsOptions {
  size?: number;
  /** Files waiting beyond those being checked; more are refused with 503 (default 64). */
  maxQueue?: number;
  /** One file's deadline in its thread (default 30 s). */
  timeoutMs?: number;
  /** A thread's heap limit (default 512 MB). */
  maxHeapMb?: number;
  idleMs?: number;
  /** The thread's script (tests: a thread that hangs or dies); default file-verifier-thread. */
  entry?: ThreadEntry;
}

export interface FileVerifierThreads {
  verify(deps: VerifierDeps, file: Buffer): Promise<VerifyResult>;
  /** Threads running now (for tests and diagnostics). */
  readonly running: number;
  close(): Promise<void>;
}

interface Job {
  deps: VerifierDeps;
  file: Buffer;
  now: number;
  resolve(r: VerifyResult): void;
  reject(e: Error): void;
}

interface Thread {
  worker: Worker;
  job: Job | null;
  /** It has loaded and said so. */
  ready: boolean;
  timer?: NodeJS.Timeout;
}

const failed = () => new AppError('unavailable', 'verification_failed', 'This file could not be checked right now. Try again in a minute; if it keeps failing, the file may be damaged.');
const tooSlow = () => new AppError('unavailable', 'verification_timeout', 'Checking this file took too long, so it was stopped. Try again, or verify the QR code instead.');
/** Marks a deadline overrun (the thread had loaded; the file took too long). */
const timedOut = new Error('timed out');
const busy = () => new AppError('unavailable', 'server_busy', 'The locker is checking many files right now. Please try again in a minute.', { retry_after: 30 });

interface ThreadEntry {
  url: URL;
  /** tsx's loader API (file URL), when the entry is TypeScript. */
  tsx?: string;
}

/** The thread's entry: beside this module, as .js in the build, as .ts when running from source (tests, `node --import tsx`). */
function threadEntry(): ThreadEntry {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./file-verifier-thread.js', import.meta.url) };
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return { url: new URL('./file-verifier-thread.ts', import.meta.url), tsx: pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href };
}

/** Node 20 applies no --import loader in worker threads: a TypeScript entry registers tsx itself first. */
const TSX_BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });`;

export function fileVerifierThreads(o: FileVerifierThreadsOptions = {}): FileVerifierThreads {
  const size = Math.max(1, o.size ?? Math.min(4, os.availableParallelism() - 1));
  const maxQueue = o.maxQueue ?? 64;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const idleMs = o.idleMs ?? 60_000;
  const threads: Thread[] = [];
  const queue: Job[] = [];
  let idle: NodeJS.Timeout | undefined;
  let closed = false;
  /** A thread failed to load (e.g. its file is missing): check files in-process from now on. */
  let broken = false;

  function finish(t: Thread, settle: (job: Job) => void): void {
    const job = t.job;
    clearTimeout(t.timer);
    t.job = null;
    if (job) settle(job);
    dispatch();
  }

  function drop(t: Thread, why: Error): void {
    const i = threads.indexOf(t);
    if (i < 0) return;
    threads.splice(i, 1);
    t.worker.removeAllListeners();
    t.worker.on('error', () => {});
    void t.worker.terminate();
    if (!t.ready && !closed) {
      // It never loaded: the file is not at fault. Check it (and the rest) in-process.
      broken = true;
      finish(t, (job) => queue.unshift(job));
      return;
    }
    finish(t, (job) => job.reject(why === timedOut ? tooSlow() : why));
  }

  function start(): Thread | null {
    let worker: Worker;
    try {
      const entry = o.entry ?? threadEntry();
      const resourceLimits = { maxOldGenerationSizeMb: o.maxHeapMb ?? 512 };
      worker = entry.tsx
        ? new Worker(TSX_BOOT, { eval: true, workerData: { mark: THREAD_MARK, tsx: entry.tsx, entry: entry.url.href }, resourceLimits })
        : new Worker(entry.url, { workerData: { mark: THREAD_MARK }, resourceLimits });
    } catch {
      return null;
    }
    worker.unref();
    const t: Thread = { worker, job: null, ready: false };
    // A thread that never says it is ready counts as one that failed to load.
    t.timer = setTimeout(() => drop(t, failed()), 60_000);
    t.timer.unref();
    worker.on('message', (m: FromThread) => {
      if (m.type === 'ready') {
        t.ready = true;
        clearTimeout(t.timer);
        if (t.job) arm(t);
      } else if (m.type === 'lookup') {
        const job = t.job;
        if (!job) return;
        Promise.resolve()
          .then(() => job.deps.directory[m.method as DirectoryMethod](m.arg))
          .then(
            (key) => worker.postMessage({ type: 'key', id: m.id, key } satisfies ToThread),
            (err: unknown) => worker.postMessage({ type: 'key', id: m.id, error: serializeError(err) } satisfies ToThread),
          );
      } else if (m.type === 'done') {
        finish(t, (job) => (m.error ? job.reject(reviveError(m.error)) : job.resolve(m.result as VerifyResult)));
      }
    });
    worker.on('error', () => drop(t, failed()));
    worker.on('exit', () => drop(t, failed()));
    threads.push(t);
    return t;
  }

  /** The file's deadline, from when its thread is ready (a thread's start-up is not the file's fault). */
  function arm(t: Thread): void {
    clearTimeout(t.timer);
    t.timer = setTimeout(() => drop(t, timedOut), timeoutMs);
    t.timer.unref();
  }

  function dispatch(): void {
    while (queue.length) {
      const t = broken ? null : (threads.find((x) => !x.job) ?? (threads.length < size ? start() : null));
      if (!t) {
        if (broken || threads.length === 0) {
          // No thread could be started here (e.g. a runtime without worker threads): check in-process.
          for (const job of queue.splice(0)) verifyUpload(job.deps, job.file).then(job.resolve, job.reject);
        }
        return;
      }
      const job = queue.shift()!;
      t.job = job;
      if (t.ready) arm(t);
      // A copy of its own (the caller's Buffer may be a view of a pooled allocation), moved
      // to the thread rather than copied again.
      const file = new Uint8Array(job.file);
      t.worker.postMessage({ type: 'verify', file, now: job.now } satisfies ToThread, [file.buffer]);
    }
    clearTimeout(idle);
    if (threads.length && threads.every((x) => !x.job)) {
      idle = setTimeout(() => {
        for (const t of [...threads]) if (!t.job) drop(t, failed());
      }, idleMs);
      idle.unref();
    }
  }

  return {
    verify(deps, file) {
      if (closed) return verifyUpload(deps, file);
      if (queue.length >= maxQueue) return Promise.reject(busy());
      return new Promise<VerifyResult>((resolve, reject) => {
        queue.push({ deps, file, now: deps.now().getTime(), resolve, reject });
        dispatch();
      });
    },
    get running() {
      return threads.length;
    },
    async close() {
      closed = true;
      clearTimeout(idle);
      for (const job of queue.splice(0)) job.reject(failed());
      await Promise.all([...threads].map(async (t) => drop(t, failed())));
    },
  };
}
