/**
 * Sessions: start, authenticate (the hot path), end one, end all, and sweep.
 *
 * The timed logout is exact in one direction: a session never outlives `idle` after its
 * last *recorded* activity. To keep authenticated reads free of writes, activity is
 * recorded at most once per `sessionTouchMs` (a minute), so a session may end up to a
 * minute before `idle` after the very last request — never after. `idleSecondsLeft` tells
 * the page exactly when, so its warning is timed on the real deadline.
 */
import crypto from 'node:crypto';
import { ACTIVITY_TYPES, SYSTEM_ACTOR, type Actor } from '../activity/ports.ts';
import { clip } from '../activity/chain.ts';
import type { AccountsDeps } from './deps.ts';
import type { Account, RequestMeta, SessionEndReason, StoredSession } from './ports.ts';
import { hashSessionToken, isSessionTokenShape, newSessionToken } from './session-tokens.ts';

export interface StartedSession {
  token: string;
  sessionId: string;
  /** Seconds until the absolute end (the idle timeout may end it sooner). */
  expiresIn: number;
}

export async function startSession(deps: Pick<AccountsDeps, 'sessions' | 'clock' | 'policy'>, account: Account, meta: RequestMeta): Promise<StartedSession> {
  const now = deps.clock.now().getTime();
  const token = newSessionToken();
  const id = crypto.randomUUID();
  await deps.sessions.create({
    id,
    tokenHash: hashSessionToken(token),
    accountId: account.id,
    name: account.name,
    mustChangePin: account.mustChangePin,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + deps.policy.sessionMaxMs,
    ip: clip(meta.ip, 64),
    userAgent: clip(meta.userAgent, 300),
  });
  return { token, sessionId: id, expiresIn: Math.round(deps.policy.sessionMaxMs / 1000) };
}

export type Authentication =
  | { ok: true; session: StoredSession; idleSecondsLeft: number }
  /** `unauthorized`: no such session ever; `session_expired`: it existed and has ended (with why). */
  | { ok: false; problem: 'unauthorized' | 'session_expired'; reason?: SessionEndReason };

export async function authenticateSession(deps: Pick<AccountsDeps, 'sessions' | 'clock' | 'policy' | 'activity'>, token: string): Promise<Authentication> {
  if (!isSessionTokenShape(token)) return { ok: false, problem: 'unauthorized' };
  const s = await deps.sessions.findByTokenHash(hashSessionToken(token));
  if (!s) return { ok: false, problem: 'unauthorized' };
  if (s.endedAt !== null) return { ok: false, problem: 'session_expired', reason: s.endReason ?? 'expired' };
  const now = deps.clock.now().getTime();
  const { sessionIdleMs, sessionTouchMs } = deps.policy;
  const ended = now >= s.expiresAt ? 'expired' : now >= s.lastSeenAt + sessionIdleMs ? 'idle' : null;
  if (ended) {
    await expireSession(deps, s, ended, now);
    return { ok: false, problem: 'session_expired', reason: ended };
  }
  let lastSeen = s.lastSeenAt;
  if (now - s.lastSeenAt >= sessionTouchMs) {
    await deps.sessions.touch(s.id, now);
    lastSeen = now;
  }
  const deadline = Math.min(s.expiresAt, lastSeen + sessionIdleMs);
  return { ok: true, session: { ...s, lastSeenAt: lastSeen }, idleSecondsLeft: Math.max(1, Math.floor((deadline - now) / 1000)) };
}

async function expireSession(deps: Pick<AccountsDeps, 'sessions' | 'activity'>, s: StoredSession, reason: 'idle' | 'expired', now: number): Promise<void> {
  const ended = await deps.sessions.end(s.id, reason, now);
  if (ended) await logExpiry(deps, ended, reason, now);
}

async function logExpiry(deps: Pick<AccountsDeps, 'activity'>, s: StoredSession, reason: 'idle' | 'expired', now: number): Promise<void> {
  await deps.activity.append({
    accountId: s.accountId,
    type: ACTIVITY_TYPES.sessionExpired,
    actor: SYSTEM_ACTOR,
    ip: s.ip,
    userAgent: s.userAgent,
    subject: { kind: 'session', id: s.id, name: null },
    details: { reason: reason === 'idle' ? 'inactivity' : 'lifetime' },
    at: new Date(now),
  });
}

export function citizenActor(accountId: string, name: string): Actor {
  return { kind: 'citizen', id: accountId, name };
}

/** Signs out one session of the account (this device, or another from the sessions list). */
export async function endSession(
  deps: Pick<AccountsDeps, 'sessions' | 'clock' | 'activity'>,
  input: { accountId: string; name: string; sessionId: string; currentSessionId: string; meta: RequestMeta },
): Promise<boolean> {
  const live = await deps.sessions.listLive(input.accountId);
  const target = live.find((s) => s.id === input.sessionId);
  // Another citizen's session, or one already ended: the same answer.
  if (!target) return false;
  const own = input.sessionId === input.currentSessionId;
  const ended = await deps.sessions.end(target.id, own ? 'signed_out' : 'ended_from_other_device', deps.clock.now().getTime());
  if (!ended) return false;
  await deps.activity.append({
    accountId: input.accountId,
    type: own ? ACTIVITY_TYPES.signedOut : ACTIVITY_TYPES.sessionEnded,
    actor: citizenActor(input.accountId, input.name),
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    subject: { kind: 'session', id: target.id, name: null },
  });
  return true;
}

/** "Sign out of all devices": ends every session of the account, this one included. */
export async function endAllSessions(
  deps: Pick<AccountsDeps, 'sessions' | 'clock' | 'activity'>,
  input: { accountId: string; name: string; meta: RequestMeta },
): Promise<number> {
  const ended = await deps.sessions.endAllForAccount(input.accountId, 'signed_out_everywhere', deps.clock.now().getTime());
  await deps.activity.append({
    accountId: input.accountId,
    type: ACTIVITY_TYPES.signedOutEverywhere,
    actor: citizenActor(input.accountId, input.name),
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    details: { sessions: ended.length },
  });
  return ended.length;
}

/** Ends sessions past their deadlines (logging each expiry once) and forgets old ended ones. */
export async function sweepSessions(deps: Pick<AccountsDeps, 'sessions' | 'clock' | 'activity' | 'policy'>): Promise<number> {
  const now = deps.clock.now().getTime();
  const ended = await deps.sessions.sweep(now, deps.policy.sessionIdleMs, now - deps.policy.sessionRetentionMs);
  for (const s of ended) await logExpiry(deps, s, s.endReason === 'expired' ? 'expired' : 'idle', now);
  return ended.length;
}
