/**
 * A coarse flood guard on every route: at most `maxPerMinute` requests per client IP per
 * fixed minute, counted in this instance's memory. It must cost next to nothing on hot
 * read paths; behind a load balancer it is per instance, i.e. more lenient, which is fine
 * for its purpose. Limits that protect secrets use `limitBy` (shared counters) instead.
 * Routes opt out with `config: { floodGuard: false }` (health checks).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    floodGuard?: boolean;
  }
}

export function registerFloodGuard(app: FastifyInstance, maxPerMinute: number, now: () => number = Date.now): void {
  let windowStart = 0;
  let counts = new Map<string, number>();
  app.addHook('onRequest', (req, reply, done) => {
    if (req.routeOptions.config?.floodGuard === false) return done();
    const t = now();
    if (t - windowStart >= 60_000) {
      windowStart = t - (t % 60_000);
      counts = new Map();
    }
    const n = (counts.get(req.ip) ?? 0) + 1;
    counts.set(req.ip, n);
    if (n > maxPerMinute) {
      const retry = Math.max(1, Math.ceil((windowStart + 60_000 - t) / 1000));
      reply.header('retry-after', String(retry));
      return done(new AppError('rate_limited', 'rate_limited', 'Too many requests. Wait a little and try again.', { retry_after: retry }));
    }
    done();
  });
}
