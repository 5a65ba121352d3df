/**
 * The activity log: an append-only, per-account record of everything that touched a
 * citizen's locker — sign-ups, sign-ins, failed PINs, lockouts, PIN changes, sign-outs,
 * session expiry now; uploads, downloads, views, shares, share-link opens, issued pulls
 * and pushes and partner accesses under consent as later modules add them.
 *
 * Tamper evidence: each entry carries `prevHash` (the `hash` of the account's previous
 * entry, or a genesis value for the first) and its own `hash`, an HMAC-SHA256 over the
 * entry's canonical form keyed by a key derived from the master key (see chain.ts). Editing,
 * deleting or reordering a stored entry breaks the chain at that entry, and an attacker
 * with write access to the database but not the master key cannot re-seal it.
 *
 * Use it from any module through `deps.activity`:
 *
 *   await deps.activity.append({
 *     accountId, type: 'document_uploaded',
 *     actor: { kind: 'citizen', id: accountId, name: citizen.name },
 *     ip: req.ip, userAgent: req.headers['user-agent'] ?? null,
 *     subject: { kind: 'upload', id: upload.id, name: upload.name },
 *     details: { size: upload.size },
 *   });
 */

/** Who did it. `id` and `name` are what the citizen sees ("Bank of Example", "share link …"). */
export type ActorKind = 'citizen' | 'partner' | 'issuer' | 'share_link' | 'system' | 'admin';

export interface Actor {
  kind: ActorKind;
  /** Account id, partner client id, issuer id, share id, … (`system` for the locker itself). */
  id: string;
  /** Display name at the time of the event (kept, so later renames do not rewrite history). */
  name: string;
}

/** What it was done to: a document, a share, a consent, a session… */
export interface ActivitySubject {
  /** Stable snake_case kind: `upload`, `issued_document`, `share`, `consent`, `session`, … */
  kind: string;
  id: string;
  name: string | null;
}

export interface NewActivityEvent {
  accountId: string;
  /** Stable snake_case event type (see ACTIVITY_TYPES for the ones defined so far). */
  type: string;
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
  subject?: ActivitySubject | null;
  /** Small JSON object (at most 2 KB serialised); never secrets, never document contents. */
  details?: Record<string, unknown>;
  /** Defaults to the log's clock. */
  at?: Date;
}

export interface ActivityEntry {
  accountId: string;
  /** 1, 2, 3… per account, without gaps: the position in the account's chain. */
  seq: number;
  type: string;
  /** ISO-8601 UTC. */
  at: string;
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
  subject: ActivitySubject | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface ActivityQuery {
  types?: string[];
  /** Inclusive lower bound, ISO-8601. */
  from?: string;
  /** Exclusive upper bound, ISO-8601. */
  to?: string;
  subjectKind?: string;
  subjectId?: string;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** 1..100, default 20. */
  limit?: number;
}

export interface ActivityPage {
  /** Newest first. */
  items: ActivityEntry[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export type ChainVerification =
  | { intact: true; count: number; head: string }
  | { intact: false; count: number; firstBroken: { seq: number; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'gap' } };

/** What erasing an account's log leaves behind for the anonymised audit stub. */
export interface ErasedLog {
  count: number;
  /** The chain head at erasure (proves what the log was, reveals nothing of it). */
  head: string | null;
}

export interface ActivityLog {
  /**
   * Appends one entry to the account's chain and returns it.
   * Concurrency: appends for one account are serialised (row lock on PostgreSQL, the single
   * writer on SQLite) and `(account_id, seq)` is unique, so any number of parallel appends,
   * from any number of instances, yields seq 1..N with each `prevHash` the previous `hash`.
   * Appends for different accounts do not wait for each other on PostgreSQL.
   * Throws AppError `invalid` for a malformed type or oversized details.
   */
  append(event: NewActivityEvent): Promise<ActivityEntry>;
  /**
   * Records one entry durably (resolves once it is committed) and chains it shortly after,
   * in the order recorded, before any entry appended later and before any read of the log
   * (`list`, `verify`, the consent accesses) returns. For events recorded on every call of
   * a hot API (a partner's accesses, a share link's opens): what it commits per call is one narrow row, where
   * `append` writes the chained entry with its indexes and moves the head. Until chained
   * (a fraction of a second) the entry is not yet covered by the hash chain.
   * Throws AppError `invalid` like `append`.
   */
  record(event: NewActivityEvent): Promise<void>;
  /** Chains every recorded entry still waiting (readers do this themselves first). */
  settle(): Promise<void>;
  /** One page of the account's entries, newest first, filtered. Never another account's. */
  list(accountId: string, query?: ActivityQuery): Promise<ActivityPage>;
  /** The account's first entry (seq 1), or null: "log intact since …". Optional for other implementations. */
  oldest?(accountId: string): Promise<ActivityEntry | null>;
  /**
   * Recomputes the whole chain; reports the first entry that does not verify. With
   * `reuseWithinMs`, a whole-chain check of this account made by this instance no longer
   * ago than that is built on: only the entries appended since are checked, from the hash it
   * ended on (an edit to an older entry shows at the next whole check). Pages viewed often
   * use it, so a long log costs what is new, not its whole length, on every view.
   */
  verify(accountId: string, options?: { reuseWithinMs?: number }): Promise<ChainVerification>;
  /** Deletes every entry of the account (account erasure); returns the count and final head. */
  erase(accountId: string): Promise<ErasedLog>;
}

/** Event types defined so far. Later modules add theirs (snake_case, past tense). */
export const ACTIVITY_TYPES = {
  signedUp: 'signed_up',
  signedIn: 'signed_in',
  pinFailed: 'pin_failed',
  accountLocked: 'account_locked',
  pinChanged: 'pin_changed',
  pinReset: 'pin_reset',
  signedOut: 'signed_out',
  signedOutEverywhere: 'signed_out_everywhere',
  sessionEnded: 'session_ended',
  sessionExpired: 'session_expired',
  emailChanged: 'email_changed',
  emailVerified: 'email_verified',
  mobileChanged: 'mobile_changed',
  unlockedByOperator: 'unlocked_by_operator',
  sessionsEndedByOperator: 'sessions_ended_by_operator',
} as const;

export const ACTIVITY_TYPE_PATTERN = /^[a-z][a-z0-9_]{1,62}$/;

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'openlocker', name: 'OpenLocker' };
