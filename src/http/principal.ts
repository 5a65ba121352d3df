/**
 * Who is making a request. The accounts module sets `request.citizen` from the session
 * cookie or bearer token; everything else reads it. Null means signed out.
 */
export interface CitizenPrincipal {
  accountId: string;
  sessionId: string;
  name: string;
  /** Seconds of inactivity before the session ends (for the idle-logout warning). */
  idleSeconds: number;
  /** Set when the citizen must change a provisioned PIN before doing anything else. */
  mustChangePin?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    citizen: CitizenPrincipal | null;
  }
}
