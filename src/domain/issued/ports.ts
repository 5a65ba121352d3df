/**
 * Storage contracts of the issued-documents module. The SQL implementations are in
 * storage/sql/repositories/issued-documents.ts (+ aadhaar-links.ts, push-clients.ts); one
 * conformance suite runs them on SQLite and PostgreSQL (test/conformance/issued-store.test.ts).
 */

export type IssuedSource = 'pull' | 'push' | 'aadhaar' | 'preprovision';

/** A document in a citizen's Issued section: a reference (URI) to a file that stays with its issuer. */
export interface IssuedDocument {
  accountId: string;
  /** `IssuerId-DocType-DocId`. */
  uri: string;
  issuerId: string;
  doctype: string;
  name: string;
  /** YYYY-MM-DD, when the issuer said. */
  issuedOn: string | null;
  source: IssuedSource;
  createdAt: string;
  updatedAt: string;
}

export type NewIssuedDocument = Omit<IssuedDocument, 'createdAt' | 'updatedAt'>;

/** A pull the issuer answered "pending" (Status 9). */
export interface PendingPull {
  id: string;
  accountId: string;
  issuerId: string;
  doctype: string;
  /** The document type's name, shown while pending. */
  name: string;
  params: Record<string, string>;
  /** The URI the issuer already announced, if any. */
  uri: string | null;
  attempts: number;
  /** Epoch ms of the next try. */
  nextRetryAt: number;
  lastError: string | null;
  createdAt: string;
}

export interface IssuedDocumentStore {
  /**
   * Adds the document or, if the account already holds this URI, refreshes its name,
   * date and source (`updatedAt` = now, `createdAt` kept). Unique per (account, uri):
   * concurrent saves of one pair leave one row. Returns whether it was new.
   */
  save(doc: NewIssuedDocument, now: Date): Promise<{ created: boolean }>;
  /**
   * Bulk form of `save` for pushes: one statement per call (callers batch ~1,000). Rows
   * whose URI another account holds are NOT written and are returned in `conflicts`.
   */
  saveMany(docs: NewIssuedDocument[], now: Date): Promise<{ written: number; conflicts: string[] }>;
  /** The account's document with this URI, or null (another account's URI is null too). */
  get(accountId: string, uri: string): Promise<IssuedDocument | null>;
  /** The account's documents, newest first (index range scan on (account_id, created_at)). */
  list(accountId: string, options?: { limit?: number; doctypes?: string[] }): Promise<IssuedDocument[]>;
  /** Documents per issuer for the dashboard. */
  countByIssuer(accountId: string): Promise<Array<{ issuerId: string; count: number }>>;
  /** Removes the account's reference; false if it held none. */
  remove(accountId: string, uri: string): Promise<boolean>;
  /** Removes a URI from every account holding it (an issuer's delete); returns the accounts. */
  removeUri(uri: string): Promise<string[]>;
  /** The account holding this URI, if any (push: "URI already exists in another account"). */
  ownerOf(uri: string): Promise<string | null>;
  /**
   * Push recipients in one read: which of `ids` are active accounts, and the account id of
   * each of `mobiles` (E.164) that has a locker.
   */
  holders(ids: string[], mobiles: string[]): Promise<{ ids: Set<string>; byMobile: Map<string, string> }>;
  /** Everything of one account (erasure). */
  eraseAccount(accountId: string): Promise<void>;

  /** Records a pending pull. */
  addPending(p: PendingPull): Promise<void>;
  /** The account's pending pulls, newest first. */
  listPending(accountId: string): Promise<PendingPull[]>;
  getPending(accountId: string, id: string): Promise<PendingPull | null>;
  /**
   * claimDuePending — takes up to `limit` pulls due at `nowMs` and moves each one's
   * `nextRetryAt` to `nowMs + leaseMs` with a guarded UPDATE (… WHERE next_retry_at = the
   * value read): of several instances sweeping at once, exactly one claims each pull.
   */
  claimDuePending(nowMs: number, leaseMs: number, limit: number): Promise<PendingPull[]>;
  /** After a try that is still pending or failed: next try at `nextRetryAt`. */
  reschedulePending(id: string, attempts: number, nextRetryAt: number, lastError: string | null): Promise<void>;
  removePending(id: string): Promise<void>;
  /**
   * The version of the account's Issued list: it changes, in the same transaction, with
   * every change `list`/`listPending` would show (save, saveMany, remove, removeUri,
   * eraseAccount, addPending, removePending) and never repeats; 0 before the first.
   */
  listVersion(accountId: string): Promise<number>;
}

export interface AadhaarLink {
  accountId: string;
  /** HMAC of the 12 digits under a key derived from the master key: finds duplicates, reveals nothing. */
  uidHash: string;
  uidLast4: string;
  name: string;
  /** YYYY-MM-DD */
  dob: string;
  gender: 'M' | 'F' | 'T';
  /** base64 JPEG */
  photo: string | null;
  /** The eKYC address (null for links made before addresses were kept). */
  address: AadhaarAddress | null;
  eaadhaarUri: string | null;
  linkedAt: string;
}

/** The address on the Aadhaar record, as UIDAI's eKYC returns it. */
export interface AadhaarAddress {
  careOf: string | null;
  line: string;
  district: string;
  state: string;
  pin: string;
}

export interface AadhaarLinkStore {
  /**
   * Links (or re-links) the account. Throws AppError conflict `aadhaar_linked_elsewhere`
   * if another account holds this Aadhaar (unique index: of two racing links one wins).
   */
  save(link: AadhaarLink): Promise<void>;
  get(accountId: string): Promise<AadhaarLink | null>;
  remove(accountId: string): Promise<void>;
}

export interface PushClient {
  clientId: string;
  issuerId: string;
  secretSealed: string;
  createdAt: string;
}

export interface PushClientStore {
  /** Sets the issuer's credential, replacing any previous one (the old client id stops working). */
  set(client: PushClient): Promise<void>;
  get(clientId: string): Promise<PushClient | null>;
  forIssuer(issuerId: string): Promise<PushClient | null>;
}
