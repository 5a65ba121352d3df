/**
 * Citizen authentication: an onRequest hook that turns the `ol_session` cookie (pages and
 * APIs) or `Authorization: Bearer ols_…` (APIs, for mobile apps) into `request.citizen`,
 * and the guards routes put in their preHandler:
 *
 *   app.get('/api/v1/uploads', { preHandler: requireCitizen() }, …)           // 401 / 403
 *   app.get('/uploaded', { preHandler: requireCitizenPage() }, …)             // 303 to /signin
 *   app.post('/uploaded/x', { preHandler: [requireCitizenPage(), app.csrfProtection] }, …)
 *
 * The hot path is one indexed read; the session's last-seen time is written at most once
 * a minute (see domain/accounts/sessions.ts). Static files, health checks and the API
 * documentation skip the lookup entirely.
 *
 * CSRF: pages use @fastify/csrf-protection tokens. A cookie-authenticated API call that
 * changes state must send `Content-Type: application/json` or an `X-Requested-With` header —
 * a cross-site form can send neither, and a cross-site script would need a CORS preflight
 * the locker never grants. Bearer tokens are not sent by browsers on their own.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { authenticateSession } from '../../domain/accounts/sessions.ts';
import type { AccountsDeps } from '../../domain/accounts/deps.ts';
import { AppError } from '../../domain/errors.ts';
import type { SessionProblem } from '../principal.ts';

export const SESSION_COOKIE = 'ol_session';

const SKIP_PREFIXES = ['/static/', '/healthz', '/readyz', '/docs', '/openapi.json', '/favicon', '/dev/outbox'];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` skips the session lookup for a route that never needs the citizen. */
    citizenAuth?: boolean;
  }
}

function presentedToken(req: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | null {
  const header = req.headers.authorization;
  if (header && req.url.startsWith('/api/')) {
    const m = /^Bearer\s+(ols_\S+)$/i.exec(header);
    if (m) return { token: m[1]!, via: 'bearer' };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

export function registerAuthentication(app: FastifyInstance, deps: Pick<AccountsDeps, 'sessions' | 'clock' | 'policy' | 'activity'>): void {
  app.decorateRequest('sessionProblem', null);
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.citizenAuth === false || SKIP_PREFIXES.some((p) => req.url.startsWith(p))) return;
    const presented = presentedToken(req);
    if (!presented) return;
    const auth = await authenticateSession(deps, presented.token);
    if (!auth.ok) {
      req.sessionProblem = { problem: auth.problem, ...(auth.reason ? { reason: auth.reason } : {}) };
      return;
    }
    const s = auth.session;
    req.citizen = {
      accountId: s.accountId,
      sessionId: s.id,
      name: s.name,
      idleSeconds: auth.idleSecondsLeft,
      mustChangePin: s.mustChangePin,
      via: presented.via,
    };
  });
}

const ENDED: Record<string, string> = {
  idle: 'You were signed out after a period without activity. Please sign in again.',
  expired: 'Your session reached its time limit. Please sign in again.',
  signed_out: 'This session was signed out. Please sign in again.',
  signed_out_everywhere: 'You signed out of all devices. Please sign in again.',
  ended_from_other_device: 'This session was ended from another device. Please sign in again.',
  pin_changed: 'Your security PIN was changed, so every device was signed out. Please sign in again.',
  pin_reset: 'Your security PIN was reset, so every device was signed out. Please sign in again.',
  mobile_changed: 'Your mobile number was changed, so other devices were signed out. Please sign in again.',
  account_deleted: 'This locker has been deleted.',
  ended_by_operator: 'This session was ended by the locker’s operators. Please sign in again.',
};

export function unauthenticatedError(problem: SessionProblem | null): AppError {
  if (problem?.problem === 'session_expired') {
    const reason = problem.reason ?? 'expired';
    return new AppError('unauthenticated', 'session_expired', ENDED[reason] ?? ENDED.expired!, { reason });
  }
  return new AppError('unauthenticated', 'unauthorized', 'Sign in first: send the session cookie, or `Authorization: Bearer <token>` from POST /api/v1/auth/login.');
}

export function pinChangeRequired(): AppError {
  return new AppError('forbidden', 'pin_change_required', 'Your PIN was set for you when your locker was created. Choose your own PIN before anything else (POST /api/v1/auth/pin/change).');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A JSON body or a custom header: neither can be sent cross-site without a CORS preflight. */
function crossSiteProof(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json') || typeof req.headers['x-requested-with'] === 'string';
}

export interface GuardOptions {
  /** Let a session that must change its provisioned PIN through (the PIN change itself, sign-out, /me). */
  allowPendingPinChange?: boolean;
}

/** The guard for JSON APIs: 401 `unauthorized` / `session_expired`, 403 `pin_change_required` or `csrf_invalid`. */
export function requireCitizen(opts: GuardOptions = {}): preHandlerAsyncHookHandler {
  return async (req) => {
    const c = req.citizen;
    if (!c) throw unauthenticatedError(req.sessionProblem);
    if (c.mustChangePin && !opts.allowPendingPinChange) throw pinChangeRequired();
    if (c.via !== 'bearer' && !SAFE_METHODS.has(req.method) && !crossSiteProof(req)) {
      throw new AppError('forbidden', 'csrf_invalid', 'A signed-in browser request that changes something must send a JSON body (Content-Type: application/json) or the header X-Requested-With.');
    }
  };
}

/** Where a signed-out visitor of `url` is sent. */
export function signInUrl(url: string, problem: SessionProblem | null): string {
  const expired = problem?.problem === 'session_expired' ? `&expired=${encodeURIComponent(problem.reason ?? 'expired')}` : '';
  return `/signin?next=${encodeURIComponent(url)}${expired}`;
}

/** The guard for pages: signed-out visitors go to /signin?next=…; a pending PIN change goes to /profile/pin. */
export function requireCitizenPage(opts: GuardOptions = {}): preHandlerAsyncHookHandler {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const c = req.citizen;
    if (!c) {
      const back = req.method === 'GET' ? req.url : (req.headers.referer ? safePath(req.headers.referer) : '/dashboard');
      return reply.redirect(signInUrl(back, req.sessionProblem), 303);
    }
    if (c.mustChangePin && !opts.allowPendingPinChange) return reply.redirect('/profile/pin?required=1', 303);
  };
}

function safePath(referer: string): string {
  try {
    const u = new URL(referer);
    return u.pathname + u.search;
  } catch {
    return '/dashboard';
  }
}
