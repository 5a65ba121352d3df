/**
 * Share links: a citizen shares one document (issued or uploaded) with an email address.
 * The link carries a random 256-bit token; only its SHA-256 is stored. Storage contract
 * for storage/sql/repositories/shares.ts, run on SQLite and PostgreSQL.
 */
import type { ActivityLog } from '../activity/ports.ts';
import type { Clock } from '../clock.ts';
import type { DocumentSourceKind, DocumentSources } from '../documents/sources.ts';
import type { EmailSender } from '../notifications/email-port.ts';
import type { SmsSender } from '../sms/ports.ts';
import type { CounterStore } from '../limits/ports.ts';

export interface Share {
  id: string;
  accountId: string;
  source: DocumentSourceKind;
  ref: string;
  docName: string;
  sharerName: string;
  recipientEmail: string;
  hasAccessCode: boolean;
  maxViews: number | null;
  views: number;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastOpenedAt: string | null;
}

export interface NewShare extends Omit<Share, 'views' | 'revokedAt' | 'lastOpenedAt' | 'hasAccessCode'> {
  tokenHash: string;
  accessCodeHash: string | null;
}

export interface ShareOpenBatch {
  accountId: string;
  opens: Array<{ shareId: string; at: string }>;
}

/** What openByTokenHash did: counted this view, or left alone what is stored (null: no such link). */
export type ShareOpenAttempt = { counted: Share } | { stored: (Share & { accessCodeHash: string | null }) | null };

export interface ShareRepo {
  insert(share: NewShare): Promise<void>;
  /** The share with this token hash (any account: the token is the credential), with its code hash. */
  byTokenHash(tokenHash: string): Promise<(Share & { accessCodeHash: string | null }) | null>;
  get(accountId: string, id: string): Promise<Share | null>;
  list(accountId: string): Promise<Share[]>;
  countActive(accountId: string, now: string): Promise<number>;
  setExpiry(accountId: string, id: string, expiresAt: string): Promise<Share | null>;
  /** Revokes (idempotent: the first revocation time stays). Null when not the account's. */
  revoke(accountId: string, id: string, at: string): Promise<Share | null>;
  /**
   * consumeShareUse: counts one view, atomically, only if the share is live at `now` (not
   * revoked, not expired, under its view limit), and queues the open for the citizen's
   * notice. Race contract: one conditional UPDATE — with a limit of N, any number of
   * concurrent opens from any number of instances succeed at most N times in total.
   * Returns the share after the count, or null if it was not live.
   */
  consumeShareUse(id: string, now: string): Promise<Share | null>;
  /**
   * openByTokenHash: the open of a link without an access code in one step — the share with
   * this token hash is counted exactly as consumeShareUse counts it (same guard, same race
   * contract, the open queued for the notice) if it has no access code and is live at `now`.
   * Otherwise nothing is counted and the stored share (with its code hash), or null for an
   * unknown token, is returned as read in the same transaction, so the caller can say why.
   */
  openByTokenHash(tokenHash: string, now: string): Promise<ShareOpenAttempt>;
  /** Claims un-notified opens older than `before`, grouped per account (marks them notified). */
  claimOpens(before: string, now: string, limit: number): Promise<ShareOpenBatch[]>;
  /** Puts claimed opens back (their notice could not be sent). */
  unclaim(accountId: string, at: string): Promise<void>;
  /** Revokes every live share of one document (it was deleted); returns how many. */
  revokeForDocument(accountId: string, source: DocumentSourceKind, ref: string, at: string): Promise<number>;
  /** Forgets opens that were reported before `before` (the activity log keeps them). */
  pruneOpens(before: string): Promise<number>;
  /** Account erasure: every share (links stop at once) and queued open of the account. Idempotent. */
  eraseAccount(accountId: string): Promise<void>;
}

export interface SharePolicy {
  publicUrl: string;
  serviceName: string;
  defaultExpiryDays: number;
  maxExpiryDays: number;
  /** Opens are reported to the citizen at most once per this many ms. */
  noticeIntervalMs: number;
  /** Share-link requests one client IP may make per minute. */
  linkOpensPerMinute: number;
}

export interface ShareDeps {
  shares: ShareRepo;
  documents: DocumentSources;
  activity: ActivityLog;
  email: EmailSender;
  sms: SmsSender;
  counters: CounterStore;
  clock: Clock;
  /** HMAC key for access codes. */
  codeKey: Buffer;
  policy: SharePolicy;
  accounts: { findById(id: string): Promise<{ id: string; name: string; mobile: string; email: string | null; emailVerified: boolean; status: string } | null> };
}

export const SHARE_ACTIVITY = {
  created: 'share_created',
  updated: 'share_updated',
  revoked: 'share_revoked',
  opened: 'share_opened',
  codeFailed: 'share_code_failed',
} as const;
