/**
 * Process entry for `openlocker serve`: load config -> open dependencies -> build the app
 * -> listen; stop cleanly on SIGINT/SIGTERM. Start-up problems (bad settings, an
 * unreachable database) end the process with one clear message and exit code 1, never a
 * stack trace.
 */
import { markServing } from './storage/serving-marker.ts';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config/index.ts';
import { closeDeps, openDeps, type AppDeps } from './deps.ts';
import { DatabaseUnavailableError } from './storage/sql/database.ts';
import { loggerOptions } from './http/logging.ts';
import { startBlobGcJob } from './jobs/blob-gc-job.ts';

export interface Running {
  app: FastifyInstance;
  deps: AppDeps;
  url: string;
  stop(): Promise<void>;
}

/** Hooks later modules use to start companions (the sandbox issuers) and seed demo data. */
export interface StartHooks {
  beforeListen?: (deps: AppDeps) => Promise<void>;
  afterListen?: (running: Running) => Promise<void>;
}

export class StartupError extends Error {}

export async function startServer(env: Record<string, string | undefined>, opts: { pretty?: boolean; hooks?: StartHooks } = {}): Promise<Running> {
  const { config, warnings } = loadConfig(env);
  for (const w of warnings) process.stderr.write(`\x1b[33m⚠  WARNING: ${w}\x1b[0m\n`);
  const deps = await openDeps(config, { serving: true });
  // While it serves, `openlocker restore` refuses this database (storage/serving-marker.ts).
  const releaseMarker = markServing(config.databaseUrl);
  try {
    // The start-up hook (the issuer directory: database work) and building the app (loading
    // modules, first-start keys) overlap; both must succeed before the locker listens.
    const [hooked, built] = await Promise.allSettled([
      opts.hooks?.beforeListen?.(deps),
      buildApp(deps, { logger: logger(config, opts.pretty), ...(config.tls ? { https: config.tls } : {}) }),
    ]);
    if (hooked.status === 'rejected' || built.status === 'rejected') {
      if (built.status === 'fulfilled') await built.value.close().catch(() => {});
      throw hooked.status === 'rejected' ? hooked.reason : (built as PromiseRejectedResult).reason;
    }
    const app = built.value;
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new StartupError(`Port ${config.port} is already in use. Stop the other program or set PORT.`);
      if (code === 'EACCES') throw new StartupError(`Not allowed to listen on port ${config.port}. Use a port above 1023 or set PORT.`);
      throw err;
    }
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const url = `${config.tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    let gcJob: ReturnType<typeof startBlobGcJob>;
    const running: Running = {
      app,
      deps,
      url,
      async stop() {
        await gcJob?.stop();
        await app.close();
        await closeDeps(deps);
        releaseMarker();
      },
    };
    await opts.hooks?.afterListen?.(running);
    gcJob = startBlobGcJob(deps, app.log);
    app.log.info({ url, database: deps.sql.describe, blobs: deps.blobs.describe }, 'listening');
    // Always shown, whatever LOG_LEVEL says: the one line an operator looks for.
    process.stderr.write(`OpenLocker is serving on ${url} (database ${deps.sql.describe}, blobs ${deps.blobs.describe})\n`);
    return running;
  } catch (err) {
    await closeDeps(deps).catch(() => {});
    releaseMarker();
    throw err;
  }
}

function logger(config: Config, pretty?: boolean) {
  const base = loggerOptions(config) as Record<string, unknown>;
  if (pretty && process.stdout.isTTY && config.nodeEnv !== 'production') {
    return { ...base, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } };
  }
  return base;
}

/** Turns a start-up failure into the one message an operator needs. */
export function describeStartupFailure(err: unknown): string | undefined {
  if (err instanceof ConfigError || err instanceof DatabaseUnavailableError || err instanceof StartupError) return err.message;
  const e = err as Error;
  if (e?.message?.startsWith('Cannot reach Redis') || e?.message?.startsWith('Migration ')) return e.message;
  if ((e as NodeJS.ErrnoException)?.code === 'EACCES') return `Permission denied: ${(e as NodeJS.ErrnoException).path ?? e.message}. Check DATA_DIR.`;
  return undefined;
}

export function installSignalHandlers(running: Running): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.app.log.info(`${signal} received, shutting down`);
    running
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
