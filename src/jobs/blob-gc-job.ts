/**
 * The in-process blob sweep of `openlocker serve`: every BLOB_GC_INTERVAL_SECONDS (0 = off,
 * the default under NODE_ENV=test) one `collectGarbage` run, never two at once in this
 * process. Several instances may sweep together: each deletion is decided under the blob's
 * row lock (storage/sql/repositories/blob-gc.ts). Untracked blobs are never deleted here.
 */
import type { AppDeps } from '../deps.ts';
import type { GcReport } from '../domain/blobs/ports.ts';

export interface JobLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface BlobGcJob {
  /** Runs one sweep now (waits for a running one instead of starting a second). */
  runOnce(): Promise<GcReport | undefined>;
  stop(): Promise<void>;
}

export function startBlobGcJob(deps: Pick<AppDeps, 'blobRefs' | 'clock' | 'config'>, log: JobLog): BlobGcJob | undefined {
  const intervalMs = deps.config.blobGcIntervalSeconds * 1000;
  if (intervalMs <= 0) return undefined;
  let running: Promise<GcReport | undefined> | undefined;
  let stopped = false;

  const runOnce = (): Promise<GcReport | undefined> => {
    if (running) return running;
    running = deps.blobRefs
      .collectGarbage(deps.clock.now())
      .then((report) => {
        if (report.deleted || report.tempRemoved || report.alreadyMissing || report.heldBy.length) log.info({ gc: report }, 'blob garbage collection');
        return report;
      })
      .catch((err: Error) => {
        log.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, 'blob garbage collection failed; will retry at the next interval');
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, intervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
