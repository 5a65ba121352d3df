/**
 * Storage and service contracts of citizen accounts. Each method says what it stores, what
 * it returns and who wins under concurrency; the SQL implementations live in
 * storage/sql/repositories/, the Redis session store in storage/redis/, and one
 * conformance suite per port runs them all (test/conformance/).
 */

export type Gender = 'M' | 'F' | 'T';

export interface Account {
  /** Stable DigiLocker-style id (UUID), used in every API. */
  id: string;
  /** E.164, `+91` and 10 digits. Unique. */
  mobile: string;
  name: string;
  /** YYYY-MM-DD. */
  dob: string;
  gender: Gender;
  email: string | null;
  emailVerified: boolean;
  /** argon2id PHC string. */
  pinHash: string;
  /** A provisioned PIN (e.g. from a board) that must be changed before anything else. */
  mustChangePin: boolean;
  aadhaarLinked: boolean;
  /** Wrong PINs in a row since the last success or lockout. */
  failedPins: number;
  /** Lockouts since the last successful sign-in (the back-off doubles with each). */
  lockouts: number;
  /** ISO time until which sign-in is refused, or null. */
  lockedUntil: string | null;
  /** `deleting` while erasure is in progress: no sign-in, no sessions. */
  status: 'active' | 'deleting';
  createdAt: string;
  updatedAt: string;
}

export type NewAccount = Pick<Account, 'mobile' | 'name' | 'dob' | 'gender' | 'email' | 'pinHash' | 'mustChangePin'> & { id?: string };

export type PinAttempt =
  /** A try was reserved: `failedPins` now counts it (given back by `pinSucceeded`). */
  | { reserved: true; failedPins: number }
  /** No try is left: locked until `lockedUntil` (null while a concurrent try is setting the lock). */
  | { reserved: false; lockedUntil: string | null };

/** What an erased account leaves behind: no personal data, only that it existed. */
export interface AccountTombstone {
  accountId: string;
  createdAt: string;
  deletedAt: string;
  activityCount: number;
  activityHead: string | null;
}

export interface AccountRepository {
  /** Inserts an active account. Throws AppError conflict `account_exists` if the mobile is taken (unique index: of two concurrent creates, exactly one wins). */
  create(account: NewAccount, now: Date): Promise<Account>;
  findById(id: string): Promise<Account | null>;
  findByMobile(mobile: string): Promise<Account | null>;
  /**
   * Reserves one PIN try before the PIN is checked: atomically adds one to `failedPins`
   * if the account is active, not locked at `now`, and has fewer than `maxFailures`
   * failures. Of N concurrent callers at most `maxFailures - failedPins` get a try, so
   * parallel guesses can never exceed the limit.
   */
  reservePinAttempt(id: string, now: Date, maxFailures: number): Promise<PinAttempt>;
  /** The PIN was right: failures and the lockout back-off start again from zero. */
  pinSucceeded(id: string): Promise<void>;
  /**
   * Locks the account if its failures reached `maxFailures`: sets `lockedUntil = now +
   * lockFor(lockouts)`, adds one to `lockouts`, and resets `failedPins`. Exactly one of
   * several concurrent callers locks it and gets the new `lockedUntil`; the others get null.
   */
  lockIfExhausted(id: string, now: Date, maxFailures: number, lockFor: (previousLockouts: number) => number): Promise<string | null>;
  /** Lifts a lockout (operator action): failures, back-off and lock cleared. */
  unlock(id: string, now: Date): Promise<void>;
  /** Sets a new PIN hash; clears mustChangePin, failures and any lock. */
  setPin(id: string, pinHash: string, now: Date): Promise<void>;
  setEmail(id: string, email: string | null, now: Date): Promise<void>;
  /** Marks the address verified if it is still the account's address; false if it changed meanwhile. */
  markEmailVerified(id: string, email: string, now: Date): Promise<boolean>;
  /** Throws AppError conflict `mobile_taken` if another account has the number. */
  setMobile(id: string, mobile: string, now: Date): Promise<void>;
  /** For the Aadhaar module. */
  setAadhaarLinked(id: string, linked: boolean, now: Date): Promise<void>;
  /** Marks the account as being erased; true for the one caller that did it. */
  markDeleting(id: string, now: Date): Promise<boolean>;
  /** Accounts whose erasure started but did not finish (resumed by the sweeper). */
  listDeleting(limit: number): Promise<Account[]>;
  /** Removes the account row and writes its anonymised stub, in one transaction. Idempotent. */
  removeWithTombstone(stub: AccountTombstone): Promise<void>;
  findTombstone(accountId: string): Promise<AccountTombstone | null>;
}

/** `partner_consent`: the DigiLocker device flow (a partner asks; the code is the citizen's consent, see domain/consent/device-flow.ts). */
export type OtpPurpose = 'signup' | 'login' | 'reset_pin' | 'change_mobile' | 'change_mobile_new' | 'delete_account' | 'partner_consent';

export interface OtpChallenge {
  /** Random UUID: the `challenge_id` handed to the client. */
  id: string;
  purpose: OtpPurpose;
  /** E.164 number the code was sent to. */
  mobile: string;
  /** The signed-in account the challenge belongs to (change mobile, delete), else null. */
  accountId: string | null;
  /** HMAC of the code (see otp-codes.ts); the code itself is never stored. */
  codeHash: string;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
  /** No new code for this number and purpose before this time. */
  resendAt: number;
  /** Tries in use: wrong ones, plus any still being checked (the atomic guard counts these). */
  attempts: number;
  /** Wrong tries so far (at most maxAttempts): the challenge is used up when this reaches maxAttempts. */
  wrongAttempts: number;
  maxAttempts: number;
  verifiedAt: number | null;
  consumedAt: number | null;
  /** Set when a newer code replaced this one. */
  supersededAt: number | null;
}

export type NewOtpChallenge = Omit<OtpChallenge, 'attempts' | 'wrongAttempts' | 'verifiedAt' | 'consumedAt' | 'supersededAt'>;

export interface OtpChallengeStore {
  /**
   * Stores a new challenge and, in the same transaction, supersedes every other open
   * challenge for the same mobile and purpose (a resend cancels the old code).
   */
  issue(challenge: NewOtpChallenge): Promise<void>;
  get(id: string): Promise<OtpChallenge | null>;
  /** The newest challenge for mobile + purpose that is neither superseded nor consumed (for the resend cooldown). */
  latestOpen(mobile: string, purpose: OtpPurpose): Promise<OtpChallenge | null>;
  /**
   * consumeOtpAttempt — reserves one try, before the code is compared: one atomic
   * `attempts = attempts + 1` guarded by "not expired at nowMs, not superseded, not
   * consumed, attempts < maxAttempts". Returns the challenge after the reservation, or null
   * if no try is free or it is closed. Race contract: of any number of concurrent callers
   * at most `maxAttempts - attempts` get a non-null answer, so 50 parallel guesses get at
   * most 3 comparisons. A null while `wrongAttempts < maxAttempts` means every try is busy
   * being checked right now: the caller waits and asks again.
   */
  consumeOtpAttempt(id: string, nowMs: number): Promise<OtpChallenge | null>;
  /** The reserved try was right: gives it back (only wrong tries count) and marks the challenge verified. */
  markVerified(id: string, nowMs: number): Promise<void>;
  /** The reserved try was wrong: it stays used, and `wrongAttempts` grows. Returns the new wrong count. */
  recordWrongAttempt(id: string): Promise<number>;
  /**
   * consumeOtp — the single use of a verified challenge: sets `consumedAt` if it is
   * verified, not consumed, not superseded and not expired at nowMs. Exactly one of any
   * number of concurrent callers gets the challenge; the others get null.
   */
  consumeOtp(id: string, nowMs: number): Promise<OtpChallenge | null>;
  delete(id: string): Promise<void>;
  deleteForAccount(accountId: string, mobile: string): Promise<void>;
  /** Deletes challenges that expired before `beforeMs`; returns how many. */
  sweep(beforeMs: number): Promise<number>;
}

export type SessionEndReason =
  | 'signed_out'
  | 'signed_out_everywhere'
  | 'ended_from_other_device'
  | 'idle'
  | 'expired'
  | 'pin_changed'
  | 'pin_reset'
  | 'mobile_changed'
  | 'account_deleted'
  | 'ended_by_operator';

export interface StoredSession {
  /** Random UUID: names the session in lists and URLs; not a credential. */
  id: string;
  /** SHA-256 of the bearer token (hex); the token itself is never stored. */
  tokenHash: string;
  accountId: string;
  /** Copied from the account at sign-in, so the hot path needs no second read. */
  name: string;
  mustChangePin: boolean;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Last recorded activity: written at most once a minute (see authenticate-session.ts). */
  lastSeenAt: number;
  /** Absolute end of the session. */
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
  endedAt: number | null;
  endReason: SessionEndReason | null;
}

export type NewSession = Omit<StoredSession, 'endedAt' | 'endReason'>;

/**
 * Sessions: in SQL by default, in Redis when REDIS_URL is set. Ended sessions are kept
 * (with why they ended) for a day, so a client presenting an old token learns
 * `session_expired` rather than `unauthorized`.
 */
export interface SessionStore {
  create(session: NewSession): Promise<void>;
  /** The session with this token hash, live or ended, or null if unknown or purged. One indexed read. */
  findByTokenHash(tokenHash: string): Promise<StoredSession | null>;
  /** Sets lastSeenAt if the session is live. Callers throttle it (at most once a minute per session). */
  touch(id: string, atMs: number): Promise<void>;
  /** Ends a live session; returns it to the one concurrent caller that ended it, null to the others. */
  end(id: string, reason: SessionEndReason, atMs: number): Promise<StoredSession | null>;
  /** Ends every live session of the account except `exceptId`; returns those this call ended. */
  endAllForAccount(accountId: string, reason: SessionEndReason, atMs: number, exceptId?: string): Promise<StoredSession[]>;
  /** Live sessions of the account, most recently seen first. */
  listLive(accountId: string): Promise<StoredSession[]>;
  /**
   * Ends live sessions past their idle (`lastSeenAt + idleMs`) or absolute deadline at
   * nowMs and returns them (each to one caller only, across instances); forgets ended
   * sessions that ended before `purgeBeforeMs`.
   */
  sweep(nowMs: number, idleMs: number, purgeBeforeMs: number): Promise<StoredSession[]>;
  /** Forgets every session of the account, live or ended (erasure). */
  deleteAllForAccount(accountId: string): Promise<void>;
}

/** argon2id for security PINs, off the event loop with bounded concurrency. */
export interface PinHasher {
  hash(pin: string): Promise<string>;
  verify(pinHash: string, pin: string): Promise<boolean>;
  /** The cost of one `verify`, for a number with no account, so timing tells nothing. Always false. */
  verifyDummy(pin: string): Promise<false>;
  /** Stops its threads, if it has any (at shutdown). */
  close?(): Promise<void>;
}

/**
 * Account erasure reaches data other modules own (uploads, issued URIs, shares, consents).
 * Each module registers an eraser in its `register(app, deps)`:
 *
 *   deps.accountErasers.register({ name: 'uploads', erase: (accountId) => deleteAllUploads(deps, accountId) });
 *
 * Contract: `erase` removes everything the module keeps about the account, and is
 * idempotent — an erasure interrupted by a crash is resumed, and erasers run again.
 */
export interface AccountDataEraser {
  name: string;
  erase(accountId: string): Promise<void>;
}

export interface AccountErasers {
  /** Adds an eraser (a second one with the same name replaces the first). */
  register(eraser: AccountDataEraser): void;
  list(): AccountDataEraser[];
}

export function accountErasers(): AccountErasers {
  const byName = new Map<string, AccountDataEraser>();
  return {
    register: (e) => void byName.set(e.name, e),
    list: () => [...byName.values()],
  };
}

/** Where a request came from, for the activity log and limits. */
export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  /** Language for SMS texts. */
  lang?: 'en' | 'hi';
}
