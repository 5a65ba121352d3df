/**
 * `requireAdmin`: a preHandler for the operator's admin API. The request must carry
 * `Authorization: Bearer <admin token>` (see crypto/admin-token.ts). Failed attempts are
 * counted per client IP in the shared store, so the token cannot be guessed at speed.
 */
import type { preHandlerHookHandler } from 'fastify';
import { tokenMatches } from '../../crypto/admin-token.ts';
import { AppError } from '../../domain/errors.ts';
import { enforceLimit, type LimitDeps } from './limits.ts';

export function requireAdmin(deps: LimitDeps & { adminToken: string }): preHandlerHookHandler {
  return async (req, reply) => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (m && tokenMatches(m[1]!, deps.adminToken)) return;
    await enforceLimit(deps, { name: 'admin-auth-fail', max: 20, windowMs: 15 * 60_000 }, req.ip, reply);
    throw new AppError('unauthenticated', 'unauthorized', 'The admin API needs `Authorization: Bearer <admin token>` (see `openlocker admin token`).');
  };
}
