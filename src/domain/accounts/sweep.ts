/**
 * Housekeeping, run every minute by each instance (safe in parallel: every step is an
 * atomic claim) and by `openlocker accounts sweep`: ends idle and expired sessions (logging
 * each expiry once), forgets old challenges and counters, and finishes interrupted account
 * erasures.
 */
import type { AccountsDeps } from './deps.ts';
import { finishAccountErasure } from './delete-account.ts';
import { sweepSessions } from './sessions.ts';

export interface SweepReport {
  sessionsEnded: number;
  challengesRemoved: number;
  countersRemoved: number;
  erasuresFinished: number;
  erasuresPending: number;
}

export async function sweepAccounts(deps: AccountsDeps): Promise<SweepReport> {
  const now = deps.clock.now().getTime();
  const sessionsEnded = await sweepSessions(deps);
  const challengesRemoved = await deps.otps.sweep(now - 24 * 3600_000);
  const countersRemoved = await deps.counters.sweep(now);
  let erasuresFinished = 0;
  let erasuresPending = 0;
  for (const a of await deps.accounts.listDeleting(50)) {
    try {
      await finishAccountErasure(deps, a.id);
      erasuresFinished++;
    } catch {
      erasuresPending++;
    }
  }
  return { sessionsEnded, challengesRemoved, countersRemoved, erasuresFinished, erasuresPending };
}
