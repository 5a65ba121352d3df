/**
 * Redeeming a share link, as a visible list of small checks (each a rule of its own):
 *   1. the token names a share          → else 404 share_not_found
 *   2. it was not revoked               → else 410 share_revoked
 *   3. it has not expired               → else 410 share_expired
 *   4. views are left                   → else 410 share_view_limit
 *   5. the access code, if any, is right, within 5 tries per share per 15 minutes
 *                                       → else 403 wrong_access_code / 429 access_code_locked
 *   6. consumeShareUse counts the view atomically (a race past the limit loses at step 4)
 * Each successful open is logged in the owner's activity and queued for their notice.
 * openShareLink does 1–6 for the page of a link without a code in one batched statement
 * (the count finds the share by its token); a coded link goes to the form, then openShare.
 */
import crypto from 'node:crypto';
import type { NewActivityEvent } from '../activity/ports.ts';
import { AppError } from '../errors.ts';
import { codeHash, tokenHash } from './create-share.ts';
import { SHARE_ACTIVITY, type Share, type ShareDeps } from './ports.ts';

export const CODE_TRIES = 5;
export const CODE_WINDOW_MS = 15 * 60_000;

export type StoredShare = Share & { accessCodeHash: string | null };
type Stored = StoredShare;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const wellFormed = (token: string) => typeof token === 'string' && TOKEN.test(token);
const shareNotFound = () => new AppError('not_found', 'share_not_found', 'This link does not exist. Check that you copied the whole link.');

export async function findShare(deps: Pick<ShareDeps, 'shares'>, token: string): Promise<Stored> {
  const s = wellFormed(token) ? await deps.shares.byTokenHash(tokenHash(token)) : null;
  if (!s) throw shareNotFound();
  return s;
}

/** Steps 2–3: still valid now (revocation and expiry apply at once, also to a page already open). */
export function checkLive(share: Share, now: Date): void {
  if (share.revokedAt) throw new AppError('gone', 'share_revoked', 'The person who shared this document has stopped sharing it.');
  if (share.expiresAt <= now.toISOString()) throw new AppError('gone', 'share_expired', 'This link has expired. Ask the person who shared it for a new one.');
}

function checkViewsLeft(share: Share): void {
  if (share.maxViews !== null && share.views >= share.maxViews) throw new AppError('gone', 'share_view_limit', 'This link has been opened as many times as allowed. Ask the person who shared it for a new one.');
}

async function checkAccessCode(deps: Pick<ShareDeps, 'counters' | 'clock' | 'codeKey' | 'activity'>, share: Stored, code: string | undefined, meta: OpenMeta): Promise<void> {
  if (!share.accessCodeHash) return;
  if (code === undefined || code === '') throw new AppError('forbidden', 'access_code_required', 'Enter the access code the person who shared this gave you.');
  const now = deps.clock.now().getTime();
  const key = `share-code:${share.id}`;
  const hit = await deps.counters.hit(key, CODE_WINDOW_MS, now);
  if (hit.count > CODE_TRIES) {
    throw new AppError('rate_limited', 'access_code_locked', 'Too many wrong access codes. Wait 15 minutes and try again.', { retry_after: Math.max(1, Math.ceil(hit.resetInMs / 1000)) });
  }
  const given = Buffer.from(codeHash(deps.codeKey, share.id, String(code).slice(0, 64)), 'hex');
  if (!crypto.timingSafeEqual(given, Buffer.from(share.accessCodeHash, 'hex'))) {
    await deps.activity.append(linkEvent(share, meta, SHARE_ACTIVITY.codeFailed));
    throw new AppError('forbidden', 'wrong_access_code', 'That access code is not right.', { tries_left: Math.max(0, CODE_TRIES - hit.count) });
  }
}

export interface OpenMeta {
  ip: string | null;
  userAgent: string | null;
}

/** An event in the owner's activity log, done through the share link (actor: the link and its recipient). */
function linkEvent(share: Share, meta: OpenMeta, type: string, details?: Record<string, unknown>): NewActivityEvent {
  return {
    accountId: share.accountId,
    type,
    actor: { kind: 'share_link', id: share.id, name: share.recipientEmail },
    ip: meta.ip,
    userAgent: meta.userAgent,
    subject: { kind: 'share', id: share.id, name: share.docName },
    ...(details ? { details } : {}),
  };
}

/** A counted view in the owner's activity: recorded on every open, chained a moment later. */
function recordOpened(deps: Pick<ShareDeps, 'activity'>, counted: Share, meta: OpenMeta): Promise<void> {
  return deps.activity.record(linkEvent(counted, meta, SHARE_ACTIVITY.opened, { views: counted.views, source: counted.source, ref: counted.ref }));
}

/**
 * Steps 1–6. Returns the share after counting this view. `found` is the share the caller
 * has just looked up by this token (it is not read twice); the count itself is atomic.
 */
export async function openShare(deps: ShareDeps, token: string, code: string | undefined, meta: OpenMeta, found?: Stored): Promise<Share> {
  const share = found ?? (await findShare(deps, token));
  const now = deps.clock.now();
  checkLive(share, now);
  checkViewsLeft(share);
  await checkAccessCode(deps, share, code, meta);
  const counted = await deps.shares.consumeShareUse(share.id, now.toISOString());
  if (!counted) {
    // Lost a race with a revocation, the expiry or the last allowed view: say which.
    const again = await findShare(deps, token);
    checkLive(again, deps.clock.now());
    checkViewsLeft(again);
    throw new AppError('gone', 'share_view_limit', 'This link has been opened as many times as allowed.');
  }
  await recordOpened(deps, counted, meta);
  return counted;
}

/**
 * The page open of a link (steps 1–6) in one round trip when the link has no access code:
 * the count finds the share by its token. A link with a code is not counted here: it comes
 * back as `needsCode` (live, views left) for the code form, whose answer goes to openShare.
 */
export async function openShareLink(deps: ShareDeps, token: string, meta: OpenMeta): Promise<{ share: Share } | { needsCode: Stored }> {
  if (!wellFormed(token)) throw shareNotFound();
  const now = deps.clock.now();
  const r = await deps.shares.openByTokenHash(tokenHash(token), now.toISOString());
  if ('counted' in r) {
    await recordOpened(deps, r.counted, meta);
    return { share: r.counted };
  }
  if (!r.stored) throw shareNotFound();
  checkLive(r.stored, now);
  checkViewsLeft(r.stored);
  if (r.stored.accessCodeHash) return { needsCode: r.stored };
  // Live, no code, views left, yet not counted: the stored row was read after the count in
  // the same transaction, so this cannot happen; refuse rather than show an uncounted view.
  throw new AppError('gone', 'share_view_limit', 'This link has been opened as many times as allowed.');
}

/** Whether the share asks for a code (without counting anything). */
export async function shareNeedsCode(deps: Pick<ShareDeps, 'shares' | 'clock'>, token: string): Promise<Stored> {
  const share = await findShare(deps, token);
  checkLive(share, deps.clock.now());
  checkViewsLeft(share);
  return share;
}
