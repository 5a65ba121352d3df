/**
 * Liveness and readiness. /healthz answers while the process can serve; /readyz also
 * proves the database and the blob store answer, so a load balancer stops sending
 * citizens to an instance that would fail them.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const CheckResult = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('failing')]), ms: Type.Number(), error: Type.Optional(Type.String()) });

export function registerHealthRoutes(app: FastifyInstance, checks: ReadinessCheck[], timeoutMs = 3000): void {
  app.get(
    '/healthz',
    {
      config: { floodGuard: false },
      schema: { tags: ['operations'], summary: 'Liveness: the process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { floodGuard: false },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database and the blob store answer',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), checks: Type.Record(Type.String(), CheckResult) }),
          503: Type.Object({ status: Type.Literal('not_ready'), checks: Type.Record(Type.String(), CheckResult) }),
        },
      },
    },
    async (req, reply) => {
      const results = await Promise.all(
        checks.map(async (c) => {
          const t0 = performance.now();
          try {
            await withTimeout(c.check(), timeoutMs);
            return [c.name, { status: 'ok' as const, ms: Math.round(performance.now() - t0) }] as const;
          } catch (err) {
            req.log.warn({ check: c.name, err: (err as Error).message }, 'readiness check failing');
            return [c.name, { status: 'failing' as const, ms: Math.round(performance.now() - t0), error: describe(err) }] as const;
          }
        }),
      );
      const out = Object.fromEntries(results);
      const ok = results.every(([, r]) => r.status === 'ok');
      reply.header('cache-control', 'no-store');
      return ok ? { status: 'ready' as const, checks: out } : reply.code(503).send({ status: 'not_ready' as const, checks: out });
    },
  );
}

function describe(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  return e?.code ?? e?.name ?? 'unavailable';
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'timeout' })), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
