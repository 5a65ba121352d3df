/**
 * The issuer registry's storage contract. One implementation per SQL dialect family
 * (storage/sql/repositories/issuer-registry.ts), held to this contract by
 * test/conformance/issuer-registry.test.ts on SQLite and PostgreSQL.
 */
import type { Category, Doctype, HmacEncoding, Issuer, IssuerScope, IssuerSource, IssuerStatus, IssuerSummary } from './model.ts';

/** Everything about an issuer except its key and timestamps: what `save` writes. */
export interface IssuerRecord {
  id: string;
  name: string;
  category: Category;
  scope: IssuerScope;
  state: string | null;
  description: string | null;
  status: IssuerStatus;
  source: IssuerSource;
  orgId: string | null;
  pullUriUrl: string | null;
  pullDocUrl: string | null;
  hmacEncoding: HmacEncoding;
  timeoutMs: number | null;
  doctypes: Doctype[];
}

/** An HMAC key sealed for storage (see crypto/secret-box.ts) and its display hint. */
export interface SealedKey {
  sealed: string;
  hint: string;
}

export interface IssuerListFilter {
  category?: Category;
  /** Case-insensitive words, each matched against the name, id, state and document type names. */
  q?: string;
  connectedOnly?: boolean;
  /** The public directory hides disabled issuers; operators see them. */
  includeDisabled?: boolean;
  offset: number;
  limit: number;
}

export interface CategoryCount {
  category: Category;
  issuers: number;
  connected: number;
}

export interface SeedResult {
  inserted: number;
  updated: number;
  /** Directory entries left alone because an operator or the sandbox owns that id. */
  skipped: number;
}

export interface IssuerRegistry {
  /**
   * Creates issuer `record.id` or replaces it whole: its fields and its set of document
   * types (types not in `record.doctypes` are removed), in one transaction. `key`:
   * `undefined` keeps the stored key, `null` removes it, a SealedKey replaces it.
   * Returns whether the issuer was created. Concurrent saves of one id serialise: the
   * last commit wins for the whole issuer; a reader never sees one save's fields with
   * another's document types.
   */
  save(record: IssuerRecord, key: SealedKey | null | undefined, at: Date): Promise<{ created: boolean }>;

  /** The issuer (any status or source), or null. */
  get(id: string): Promise<Issuer | null>;

  /** The issuers among `ids` that exist (for resolving document URIs); order unspecified. */
  getMany(ids: string[]): Promise<Issuer[]>;

  /** Document types of issuer `id` in display order ([] if the issuer is unknown). */
  doctypes(id: string): Promise<Doctype[]>;

  /** One document type, or null. */
  doctype(id: string, code: string): Promise<Doctype | null>;

  /**
   * What each of `codes` is called (for a consent screen asking for `partners.<DOCTYPE>`):
   * the name a connected, active issuer gives it, else the name most active issuers give
   * it. Codes no active issuer has are absent.
   */
  doctypeNames(codes: string[]): Promise<Map<string, string>>;

  /**
   * A page of issuers matching `filter`, connected ones first, then by name; `total`
   * counts every match. Uses the category/name indexes; search is a substring match on
   * a precomputed lower-case text (fast for the ~1,500-row directory and far beyond).
   */
  list(filter: IssuerListFilter): Promise<{ items: IssuerSummary[]; total: number }>;

  /** Issuers per category (active ones unless `includeDisabled`), with how many are connected. */
  categoryCounts(options?: { includeDisabled?: boolean }): Promise<CategoryCount[]>;

  /** Sets the status; false if the issuer does not exist. */
  setStatus(id: string, status: IssuerStatus, at: Date): Promise<boolean>;

  /** The sealed HMAC key of issuer `id`, or null if none is stored. */
  /**
   * How many changes this process has made to the registry (through any store on the same
   * database). Lets a caller keep derived data (issuer names in a rendered list) and drop
   * it at once after a local change; changes by other processes need a time limit.
   */
  localChanges(): number;
  sealedKey(id: string): Promise<string | null>;

  /**
   * Writes the public directory: inserts entries that are absent, refreshes the ones the
   * directory owns (source `directory`), and leaves ids an operator or the sandbox
   * registered untouched (counted as skipped). Records `version` so `directoryVersion`
   * reports it; all in one transaction, so a crash leaves the previous directory whole.
   * Running it twice with the same entries changes nothing, and two instances seeding at
   * once both succeed (the first to insert an id wins; the other skips it).
   */
  seedDirectory(records: IssuerRecord[], version: string, at: Date): Promise<SeedResult>;

  /** The version `seedDirectory` last recorded, or null if never seeded. */
  directoryVersion(): Promise<string | null>;
}
