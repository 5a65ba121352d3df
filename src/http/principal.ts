/**
 * Who is making a request. The accounts module's authentication hook
 * (http/plugins/authenticate.ts) sets `request.citizen` from the `ol_session` cookie or an
 * `Authorization: Bearer ols_…` token on `/api/` routes; everything else reads it. Null
 * means signed out — and then `request.sessionProblem` says whether a session was presented
 * that has ended (`session_expired`, with why) or none/unknown (`unauthorized`).
 *
 * Routes do not test `request.citizen` by hand: they use the guards `requireCitizen()`
 * (JSON APIs: 401/403) and `requireCitizenPage()` (pages: redirect to /signin?next=…).
 */
export interface CitizenPrincipal {
  accountId: string;
  sessionId: string;
  name: string;
  /** Seconds until the session ends if nothing happens (for the idle-logout warning). */
  idleSeconds: number;
  /** Set when the citizen must change a provisioned PIN before doing anything else. */
  mustChangePin?: boolean;
  /** How the request proved itself: the web session cookie, or a bearer token (mobile apps). */
  via?: 'cookie' | 'bearer';
}

export interface SessionProblem {
  problem: 'unauthorized' | 'session_expired';
  /** Why the session ended (`idle`, `expired`, `signed_out`, `pin_changed`, …). */
  reason?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    citizen: CitizenPrincipal | null;
    sessionProblem: SessionProblem | null;
  }
}
