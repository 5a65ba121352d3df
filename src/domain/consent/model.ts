/**
 * Partners (requesters: banks, employers, universities, government) and the consents
 * citizens give them. A partner is an OAuth client of the DigiLocker Authorized Partner
 * API; a consent is one citizen's grant to one partner — purpose, scopes, exactly which
 * documents, for how long — with a signed receipt, revocable at any time.
 */

export const PARTNER_TYPES = ['bank', 'employer', 'university', 'government', 'other'] as const;
export type PartnerType = (typeof PARTNER_TYPES)[number];

/**
 * pending: applied, waiting for an admin (no secret yet); approved: may ask citizens;
 * suspended: temporarily stopped (every token refused at once, can be approved again);
 * revoked: ended for good; rejected: an application an admin turned down.
 */
export const PARTNER_STATUSES = ['pending', 'approved', 'suspended', 'revoked', 'rejected'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** `hex-s256`: accept digilocker-sdk 0.1.4's PKCE encoding (see oauth/pkce-compat.ts). */
export type PkceCompat = 'none' | 'hex-s256';

export interface Partner {
  /** The OAuth client_id. */
  id: string;
  name: string;
  type: PartnerType;
  status: PartnerStatus;
  statusReason: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  redirectUris: string[];
  /** Approved scopes: what this partner may ask citizens for. */
  scopes: string[];
  /** Approved doc types (`partners.<DOCTYPE>`, `req_doctype`). */
  doctypes: string[];
  purpose: string;
  /** HMAC of the secret (hex); null while pending. */
  secretHash: string | null;
  secretSealed: string | null;
  /** Last 4 characters of the secret, to recognise it. */
  secretHint: string | null;
  secretCreatedAt: string | null;
  pkceCompat: PkceCompat;
  source: 'admin' | 'application';
  createdAt: string;
  updatedAt: string;
  approvedAt: string | null;
}

/** One document (or folder, or doc type) a consent covers, as the citizen ticked it. */
export type ConsentDocument =
  | { kind: 'issued'; uri: string; name: string; doctype: string | null; issuer: string | null }
  | { kind: 'upload'; id: string; name: string }
  | { kind: 'folder'; id: string; name: string }
  /** A document of this type the partner may pull for the citizen (`partners.<DOCTYPE>`). */
  | { kind: 'doctype'; doctype: string; name: string };

export type ConsentFlow = 'authorization_code' | 'device_code';
export type RevokedBy = 'citizen' | 'partner' | 'admin' | 'system';

export interface Consent {
  id: string;
  accountId: string;
  partnerId: string;
  grantId: string | null;
  flow: ConsentFlow;
  purpose: string;
  scopes: string[];
  documents: ConsentDocument[];
  grantedAt: string;
  validTill: string;
  revokedAt: string | null;
  revokedBy: RevokedBy | null;
  revokedReason: string | null;
  /** DigiLocker's `reference_key`: an opaque reference to this consent, in receipts and token responses. */
  referenceKey: string;
  /** Compact JWS (see consent-receipt.ts). */
  receipt: string;
  ip: string | null;
  userAgent: string | null;
}

export type ConsentState = 'active' | 'expired' | 'revoked';

export function consentState(c: Pick<Consent, 'revokedAt' | 'validTill'>, now: Date): ConsentState {
  if (c.revokedAt) return 'revoked';
  return new Date(c.validTill).getTime() <= now.getTime() ? 'expired' : 'active';
}

export interface ConsentAccess {
  consentId: string;
  accountId: string;
  partnerId: string;
  at: string;
  /** snake_case: token_issued, user_details, file, xml, issued_list, … */
  action: string;
  /** Document URI, upload id or doc type the access concerned, if any. */
  subject: string | null;
  ip: string | null;
}
