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
