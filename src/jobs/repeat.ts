/**
 * A background job of a running server: `run` every `everyMs`, never two runs at once in
 * this process, stopped when the app closes. A failed run is logged ("… failed; will
 * retry") and the next interval tries again; the timer never keeps the process alive.
 * Jobs must be safe to run on several instances at once (they claim rows in SQL).
 */
import type { FastifyInstance } from 'fastify';

export function repeatWhileServing(app: FastifyInstance, everyMs: number, what: string, run: () => Promise<void>): void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    run()
      .catch((err: unknown) => app.log.warn({ err }, `${what} failed; will retry`))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
