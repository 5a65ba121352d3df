/**
 * Precise limits on the routes that guard secrets (OTP requests, PIN tries, token and
 * partner endpoints) go through `limitBy`, which counts in the shared CounterStore (SQL or
 * Redis) so that every instance sees the same count and an attacker gains nothing by
 * spreading guesses across instances.
 */
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { Clock } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import type { CounterStore } from '../../domain/limits/ports.ts';

export interface LimitRule {
  /** Names the counter (e.g. "otp-ip"); part of the key. */
  name: string;
  max: number;
  windowMs: number;
  /** What is counted; default the client IP. Return null to skip counting this request. */
  key?: (req: FastifyRequest) => string | null;
  /** Error code for the 429 body (default rate_limited). */
  code?: string;
  message?: string;
}

export interface LimitDeps {
  counters: CounterStore;
  clock: Clock;
}

/** Counts one hit for `rule` and throws a 429 AppError (with retry_after seconds) when over. */
export async function enforceLimit(deps: LimitDeps, rule: LimitRule, subject: string, reply?: FastifyReply): Promise<void> {
  const hit = await deps.counters.hit(`${rule.name}:${subject}`, rule.windowMs, deps.clock.now().getTime());
  if (hit.count > rule.max) {
    const retryAfter = Math.max(1, Math.ceil(hit.resetInMs / 1000));
    reply?.header('retry-after', String(retryAfter));
    throw new AppError('rate_limited', rule.code ?? 'rate_limited', rule.message ?? 'Too many attempts. Wait a little and try again.', { retry_after: retryAfter });
  }
}

/** A preHandler that enforces `rule` in the shared counter store. */
export function limitBy(deps: LimitDeps, rule: LimitRule): preHandlerHookHandler {
  return async (req, reply) => {
    const subject = rule.key ? rule.key(req) : req.ip;
    if (subject === null) return;
    await enforceLimit(deps, rule, subject, reply);
  };
}

/**
 * A per-process fixed-window limit (like the flood guard), for high-volume routes whose
 * limit guards capacity, not a secret — e.g. the bearer partner APIs, where the token
 * itself is 256 bits and each request is checked and recorded anyway. It costs no store
 * round trip; with N instances a client gets up to N × max. Use `limitBy` where guesses
 * must be counted exactly across instances.
 */
export function localLimitBy(rule: LimitRule, now: () => number = Date.now): preHandlerHookHandler {
  let windowStart = 0;
  let counts = new Map<string, number>();
  return async (req, reply) => {
    const subject = rule.key ? rule.key(req) : req.ip;
    if (subject === null) return;
    const t = now();
    if (t - windowStart >= rule.windowMs) {
      windowStart = t - (t % rule.windowMs);
      counts = new Map();
    }
    const n = (counts.get(subject) ?? 0) + 1;
    counts.set(subject, n);
    if (n > rule.max) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + rule.windowMs - t) / 1000));
      reply.header('retry-after', String(retryAfter));
      throw new AppError('rate_limited', rule.code ?? 'rate_limited', rule.message ?? 'Too many requests. Wait a little and try again.', { retry_after: retryAfter });
    }
  };
}
