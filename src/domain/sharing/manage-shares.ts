/** The citizen's own shares: list, change expiry, revoke. Another citizen's share id answers "not found". */
import type { Actor } from '../activity/ports.ts';
import { AppError } from '../errors.ts';
import { checkExpiryDays } from './create-share.ts';
import { SHARE_ACTIVITY, type Share, type ShareDeps } from './ports.ts';

export interface ShareWho {
  accountId: string;
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
}

const notFound = () => new AppError('not_found', 'not_found', 'The share was not found.');

export async function getShare(deps: Pick<ShareDeps, 'shares'>, accountId: string, id: string): Promise<Share> {
  const s = typeof id === 'string' && id.length <= 64 ? await deps.shares.get(accountId, id) : null;
  if (!s) throw notFound();
  return s;
}

/** New expiry counted from now. A revoked share stays revoked. */
export async function changeShareExpiry(deps: ShareDeps, who: ShareWho, id: string, days: unknown): Promise<Share> {
  const before = await getShare(deps, who.accountId, id);
  if (before.revokedAt) throw new AppError('conflict', 'share_revoked', 'This share was revoked; share the document again instead.');
  const n = checkExpiryDays(days ?? null, deps.policy);
  const expiresAt = new Date(deps.clock.now().getTime() + n * 86_400_000).toISOString();
  const after = await deps.shares.setExpiry(who.accountId, id, expiresAt);
  if (!after) throw notFound();
  await deps.activity.append({ accountId: who.accountId, type: SHARE_ACTIVITY.updated, actor: who.actor, ip: who.ip, userAgent: who.userAgent, subject: { kind: 'share', id, name: after.docName }, details: { expires_at: expiresAt } });
  return after;
}

/** Stops the link at once (every later open or file fetch checks it). Idempotent. */
export async function revokeShare(deps: ShareDeps, who: ShareWho, id: string): Promise<Share> {
  const before = await getShare(deps, who.accountId, id);
  const after = await deps.shares.revoke(who.accountId, id, deps.clock.now().toISOString());
  if (!after) throw notFound();
  if (!before.revokedAt) {
    await deps.activity.append({ accountId: who.accountId, type: SHARE_ACTIVITY.revoked, actor: who.actor, ip: who.ip, userAgent: who.userAgent, subject: { kind: 'share', id, name: after.docName }, details: { recipient: after.recipientEmail } });
  }
  return after;
}

/** A share is active when not revoked and not expired (its views may still be used up). */
export const isActive = (s: Share, now: Date) => !s.revokedAt && s.expiresAt > now.toISOString() && (s.maxViews === null || s.views < s.maxViews);
