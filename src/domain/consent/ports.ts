/**
 * Storage and service contracts of the consent module. Each method says what it stores,
 * what it returns and who wins under concurrency; the SQL implementations are in
 * storage/sql/repositories/ (partners.ts, consents.ts) and oauth/ (the token store), with
 * one conformance suite run on SQLite and PostgreSQL (test/conformance/consents.test.ts).
 */
import type { Consent, ConsentAccess, ConsentDocument, Partner, PartnerStatus, RevokedBy } from './model.ts';

export interface PartnerQuery {
  status?: PartnerStatus;
  offset?: number;
  limit?: number;
}

export interface PartnerRepository {
  /** Inserts a partner. Throws AppError conflict `partner_exists` if the id is taken. */
  create(p: Partner): Promise<void>;
  get(id: string): Promise<Partner | null>;
  /** Newest first. */
  list(q?: PartnerQuery): Promise<{ items: Partner[]; total: number }>;
  /**
   * Moves a partner to `to` only if its status is one of `from` (a guarded UPDATE: of two
   * concurrent transitions exactly one applies). Returns the updated partner, or null if
   * it does not exist or was not in `from`.
   */
  transition(id: string, from: PartnerStatus[], to: PartnerStatus, reason: string | null, now: Date): Promise<Partner | null>;
  /** Replaces the secret (hash, sealed copy, hint). The previous secret stops working at once. */
  setSecret(id: string, secret: { hash: string; sealed: string; hint: string }, now: Date): Promise<void>;
}

export interface ConsentRepository {
  /** Inserts a consent. `grantId` is unique: a grant belongs to one consent. */
  create(c: Consent): Promise<void>;
  get(id: string): Promise<Consent | null>;
  getByGrant(grantId: string): Promise<Consent | null>;
  /** Binds a consent created before its grant (device flow) to the grant; only if unbound. */
  bindGrant(id: string, grantId: string): Promise<void>;
  /** The account's consents, newest first (at most `limit`). */
  listForAccount(accountId: string, limit?: number): Promise<Consent[]>;
  /**
   * Revokes a live (not yet revoked) consent: sets revokedAt/By/Reason in one guarded
   * UPDATE. Returns the consent to the one caller that revoked it; null to every other
   * (already revoked, unknown, or someone else's when `accountId` is given).
   */
  revoke(id: string, by: RevokedBy, reason: string, now: Date, accountId?: string): Promise<Consent | null>;
  /** As `revoke`, for the consent bound to `grantId` (the grant was revoked: replay, reuse, token revocation). */
  revokeByGrant(grantId: string, by: RevokedBy, reason: string, now: Date): Promise<Consent | null>;
  /** The partner's consents that are not revoked (expired ones included), for ending a partner. */
  listUnrevokedForPartner(partnerId: string, limit?: number): Promise<Consent[]>;
  /**
   * A consent's accesses, newest first. Accesses are recorded once, in the citizen's
   * activity log (recordPartnerAccess); these read them from there.
   */
  listAccesses(accountId: string, consentId: string, limit?: number): Promise<ConsentAccess[]>;
  /** The accesses of one partner to one account since `since` (inclusive), oldest first. */
  accessesSince(accountId: string, partnerId: string, since: string, limit?: number): Promise<ConsentAccess[]>;
  /** Deletes every consent, notice and device request of the account (erasure; its accesses go with the activity log). Idempotent. */
  eraseAccount(accountId: string): Promise<void>;
}

/** A due notification batch, claimed by one sweeper. */
export interface ClaimedNotice {
  accountId: string;
  partnerId: string;
  /** Accesses since this time are the ones to tell the citizen about. */
  since: string;
  /** At least 1 (the queue keeps a flag, not a count): the message counts the access records since `since`. */
  count: number;
}

/**
 * Batching of access notifications: at most one message per (citizen, partner) per
 * interval. Accesses bump a counter; a sweep claims rows whose batch is due.
 */
export interface NoticeQueue {
  /** Notes one access: starts a pending batch (from `at`) unless one is already pending; writes nothing then. */
  bump(accountId: string, partnerId: string, at: Date): Promise<void>;
  /**
   * Claims due batches: rows with pending > 0 whose last message is older than
   * `intervalMs` (or never sent). Each claim is one guarded UPDATE (pending → 0,
   * last_sent_at → now), so a batch is claimed by exactly one of several concurrent
   * sweepers, and an access bumped after the claim starts the next batch.
   */
  claimDue(now: Date, intervalMs: number, limit: number): Promise<ClaimedNotice[]>;
  /** Puts a claimed batch back (the message could not be sent): it is retried by the next sweep. */
  release(n: ClaimedNotice): Promise<void>;
}

export interface DeviceRequest {
  /** SHA-256 (hex) of the device code. */
  id: string;
  partnerId: string;
  challengeId: string;
  purpose: string;
  scopes: string[];
  consentValidTill: string | null;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
  ip: string | null;
}

export interface DeviceRequestStore {
  create(r: Omit<DeviceRequest, 'consumedAt'>): Promise<void>;
  get(id: string): Promise<DeviceRequest | null>;
  /** Single use: sets consumedAt if unconsumed and unexpired at nowMs; exactly one concurrent caller gets the request. */
  consume(id: string, nowMs: number): Promise<DeviceRequest | null>;
}

/** What the consent module needs from the token store (oidc-provider's access tokens). */
export interface TokenStore {
  /** The live access token with this value, or null (unknown, expired or revoked). */
  findAccessToken(value: string): Promise<{ accountId: string; clientId: string; grantId: string; scopes: string[]; expiresAt: number } | null>;
  /** Deletes every token, code and the grant itself (tokens stop working at once). */
  revokeGrant(grantId: string): Promise<void>;
  /** Deletes everything the store keeps about the account (sessions, grants, tokens). */
  eraseAccount(accountId: string): Promise<void>;
  /** Deletes rows (tokens, codes, sessions, device requests) that expired before `beforeMs`; returns how many. */
  sweepExpired(beforeMs: number): Promise<number>;
}

/** A document a citizen may tick on the consent screen. */
export type ConsentableDocument = ConsentDocument & { kind: 'issued' | 'upload' | 'folder' };

export interface DocumentRequest {
  /** The scopes asked for (`files.issueddocs`, `files.uploadeddocs`, `partners.<DOCTYPE>`…). */
  scopes: string[];
  /** `req_doctype`: limit issued documents to these types (empty: all). */
  doctypes: string[];
}

/**
 * The port the consent screen lists a citizen's documents through. The issued-documents
 * and uploads modules each register a source (phase 2); until then nothing is listed.
 * Contract: only the account's own documents, only those the request's scopes reach
 * (issued documents for `files.issueddocs`, filtered by `doctypes` when given; uploads and
 * folders for `files.uploadeddocs`).
 */
export interface ConsentDocumentSource {
  name: string;
  list(accountId: string, request: DocumentRequest): Promise<ConsentableDocument[]>;
}

export interface ConsentDocumentSources {
  /** Adds a source (a second with the same name replaces the first). */
  register(source: ConsentDocumentSource): void;
  list(): ConsentDocumentSource[];
}

export function consentDocumentSources(): ConsentDocumentSources {
  const byName = new Map<string, ConsentDocumentSource>();
  return {
    register: (s) => void byName.set(s.name, s),
    list: () => [...byName.values()],
  };
}

/** Signs consent receipts (compact JWS) with a key published in the JWKS. */
export interface ReceiptSigner {
  sign(claims: Record<string, unknown>): Promise<string>;
}
