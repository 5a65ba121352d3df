/**
 * The issuer registry's vocabulary: an issuer (a department, board or agency, id like
 * `in.gov.cbse`), the document types it issues (DigiLocker's 5-letter codes), the search
 * parameters each type needs, and how the locker reaches it (Pull URI / Pull Doc endpoints
 * and the HMAC key of the DigiLocker Issuer API).
 */

export const CATEGORIES = [
  'education',
  'transport',
  'identity',
  'revenue',
  'local-bodies',
  'health',
  'agriculture',
  'social-welfare',
  'employment',
  'insurance',
  'finance',
  'utilities',
  'police',
  'defence',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const isCategory = (v: unknown): v is Category => typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);

export type IssuerScope = 'central' | 'state';
export type IssuerStatus = 'active' | 'disabled';
/** Where the row came from: the seeded public directory, an operator, or the sandbox. */
export type IssuerSource = 'directory' | 'admin' | 'sandbox';
export type DocFormat = 'pdf' | 'xml';

/**
 * How `x-digilocker-hmac` is encoded when the locker sends it. The spec says Base64 of the
 * HMAC; production issuers (DIVOC, Assam RTPS) verify Base64 of the lower-case hex digest.
 * `base64-hex` is the default for compatibility (DIGILOCKER-APIS.md §3.1).
 */
export const HMAC_ENCODINGS = ['base64-hex', 'base64-raw'] as const;
export type HmacEncoding = (typeof HMAC_ENCODINGS)[number];

/**
 * Facts about the citizen the locker fills in itself (from the verified profile), sent to
 * the issuer only when the document type opts in. UID, FullName, DOB and Photo are the
 * Issuer API's own `DocDetails` elements; GENDER travels as a `<GENDER>` element (M/F/T),
 * as the real API Setu directory names it.
 */
export const PROFILE_FIELDS = ['UID', 'FullName', 'DOB', 'GENDER', 'Photo'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export interface ParameterValue {
  value: string;
  label: string;
}

/** One search parameter the citizen types (sent as an element with this `name`). */
export interface DoctypeParameter {
  /** Element name in the Pull URI request, exactly as the issuer configured it (`rollno`). */
  name: string;
  /** Label shown on the form (`Roll No`). */
  label: string;
  /** Example value, shown as a hint. */
  example?: string;
  /** A regular expression the whole value must match (HTML `pattern` semantics: anchored). */
  pattern?: string;
  /** The value must be one of these (rendered as a select). */
  values?: ParameterValue[];
}

export interface Doctype {
  /** DigiLocker's 5-letter code (`HSCER`); a few real codes have 6 (`FITCER`). */
  code: string;
  name: string;
  formats: DocFormat[];
  parameters: DoctypeParameter[];
  /** Verified profile facts sent with every Pull URI request for this type. */
  profileFields: ProfileField[];
  /** Endpoint overrides for this type (DigiLocker registers endpoints per document type). */
  pullUriUrl: string | null;
  pullDocUrl: string | null;
}

export interface IssuerSummary {
  id: string;
  name: string;
  category: Category;
  scope: IssuerScope;
  /** The state or union territory, for state issuers (and where a central body sits). */
  state: string | null;
  status: IssuerStatus;
  source: IssuerSource;
  /** Active, with endpoints and an HMAC key: documents can be fetched from it now. */
  connected: boolean;
  doctypeCount: number;
}

export interface Issuer extends IssuerSummary {
  description: string | null;
  /** `orgId` attribute sent in requests (the id the issuer gave the locker); default the issuer id. */
  orgId: string | null;
  pullUriUrl: string | null;
  pullDocUrl: string | null;
  /** True when an HMAC key is stored (the key itself never leaves the registry unsealed). */
  hmacKeySet: boolean;
  /** A short hint to recognise the key (`…a1b2`), never the key. */
  hmacKeyHint: string | null;
  hmacEncoding: HmacEncoding;
  /** Per-issuer timeout for one HTTP attempt; null = the ISSUER_TIMEOUT_MS default. */
  timeoutMs: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface IssuerWithDoctypes extends Issuer {
  doctypes: Doctype[];
}

/** An issuer id: reverse-domain style, lower-case labels (`in.gov.up.edistrict`). */
export const ISSUER_ID = /^[a-z0-9]+(?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9]+(?:[a-z0-9_-]*[a-z0-9])?){1,9}$/;
/** A document type code: upper-case letters and digits, 5 (DigiLocker) or 6 (a few real ones). */
export const DOCTYPE_CODE = /^[A-Z0-9]{5,6}$/;
/** A parameter name must be usable as an XML element name in the Pull URI request. */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
/** Element names the Issuer API already uses in DocDetails; a search parameter may not take them. */
export const RESERVED_ELEMENT_NAMES = new Set(['DocType', 'DigiLockerId', 'UID', 'FullName', 'DOB', 'Photo', 'GENDER', 'URI', 'DocContent', 'DataContent', 'IssuedTo']);

/** Connected = can be called now: active, both endpoints set and a key stored. */
export function isConnected(i: { status: IssuerStatus; pullUriUrl: string | null; pullDocUrl: string | null; hmacKeySet: boolean }): boolean {
  return i.status === 'active' && Boolean(i.pullUriUrl) && Boolean(i.pullDocUrl) && i.hmacKeySet;
}
