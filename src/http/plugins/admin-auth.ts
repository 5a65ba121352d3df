/**
 * `requireAdmin`: a preHandler for the operator's admin API. The request must carry
 * `Authorization: Bearer <admin token>` (see crypto/admin-token.ts). Failed attempts are
 * counted per client IP in the shared store; past the limit the address is locked out for
 * the window, the right token included — otherwise the limit would only tell a guesser
 * which answer was right, not stop the guessing (as the PIN lockout does).
 */
import type { FastifyReply, preHandlerHookHandler } from 'fastify';
import { tokenMatches } from '../../crypto/admin-token.ts';
import { AppError } from '../../domain/errors.ts';
import { windowStart } from '../../domain/limits/ports.ts';
import type { LimitDeps } from './limits.ts';

export const ADMIN_FAILURES = { name: 'admin-auth-fail', max: 20, windowMs: 15 * 60_000 } as const;

function locked(retryAfterS: number, reply?: FastifyReply): AppError {
  reply?.header('retry-after', String(retryAfterS));
  return new AppError('rate_limited', 'rate_limited', 'Too many wrong admin tokens from your address. Wait 15 minutes and try again.', { retry_after: retryAfterS });
}

/**
 * Checks `presented` against the admin token with the per-IP lockout: throws 429 while the
 * address is locked out (whatever it presents), counts a failure otherwise. Returns whether
 * the token was right.
 */
export async function checkAdminToken(deps: LimitDeps & { adminToken: string }, ip: string, presented: string | null, reply?: FastifyReply): Promise<boolean> {
  const key = `${ADMIN_FAILURES.name}:${ip}`;
  const now = deps.clock.now().getTime();
  const windowEnd = windowStart(now, ADMIN_FAILURES.windowMs) + ADMIN_FAILURES.windowMs;
  if ((await deps.counters.peek(key, ADMIN_FAILURES.windowMs, now)) >= ADMIN_FAILURES.max) throw locked(Math.max(1, Math.ceil((windowEnd - now) / 1000)), reply);
  if (presented !== null && tokenMatches(presented, deps.adminToken)) return true;
  const hit = await deps.counters.hit(key, ADMIN_FAILURES.windowMs, now);
  if (hit.count > ADMIN_FAILURES.max) throw locked(Math.max(1, Math.ceil(hit.resetInMs / 1000)), reply);
  return false;
}

export function requireAdmin(deps: LimitDeps & { adminToken: string }): preHandlerHookHandler {
  return async (req, reply) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (await checkAdminToken(deps, req.ip, m ? m[1]! : null, reply)) return;
    throw new AppError('unauthenticated', 'unauthorized', 'The admin API needs `Authorization: Bearer <admin token>` (see `openlocker admin token`).');
  };
}
