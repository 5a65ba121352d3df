/**
 * Tables of partners (requesters), their consents and the authorization server's own
 * store (migration 0400-consent). JSON columns are text; booleans 0/1; timestamps ISO-8601
 * UTC text, except epoch milliseconds where expiry is arithmetic (the OAuth store).
 */
import type { Generated } from 'kysely';

export interface ConsentTables {
  /** Authorized partners (OAuth clients): registered by an admin or applied for and approved. */
  partners: {
    /** The OAuth client_id. */
    id: string;
    name: string;
    /** bank | employer | university | government | other */
    type: string;
    /** pending | approved | suspended | revoked | rejected */
    status: string;
    status_reason: string | null;
    contact_name: string | null;
    contact_email: string | null;
    contact_phone: string | null;
    /** JSON array of exact redirect URIs. */
    redirect_uris: string;
    /** JSON array of approved scopes. */
    scopes: string;
    /** JSON array of approved doc types (5-letter codes), for `partners.<DOCTYPE>` and req_doctype. */
    doctypes: string;
    purpose: string;
    /** HMAC-SHA256 of the client secret under a master-key-derived key (hex); null until approved. */
    secret_hash: string | null;
    /** The secret sealed (AES-256-GCM, bound to the client id) for DigiLocker's secret-keyed hashes. */
    secret_sealed: string | null;
    secret_hint: string | null;
    secret_created_at: string | null;
    /** `none` or `hex-s256` (digilocker-sdk 0.1.4's PKCE encoding, opt-in per partner). */
    pkce_compat: string;
    /** admin | application */
    source: string;
    created_at: string;
    updated_at: string;
    approved_at: string | null;
  };
  /** oidc-provider's models (sessions, interactions, grants, codes, tokens) — one table, see oauth/adapter.ts. */
  oauth_store: {
    model: string;
    id: string;
    payload: string;
    grant_id: string | null;
    uid: string | null;
    user_code: string | null;
    account_id: string | null;
    /** Epoch milliseconds; null = no expiry. */
    expires_at: number | null;
    consumed_at: number | null;
  };
  /** Signing keys of the authorization server (id tokens, consent receipts), sealed by the master key. */
  oauth_keys: {
    kid: string;
    /** id_token | receipt */
    use: string;
    alg: string;
    private_sealed: string;
    public_jwk: string;
    created_at: string;
    retired_at: string | null;
  };
  /** One citizen's consent to one partner. */
  consents: {
    id: string;
    account_id: string;
    partner_id: string;
    /** oidc-provider grant the partner's tokens belong to (unique). */
    grant_id: string | null;
    /** authorization_code | device_code */
    flow: string;
    purpose: string;
    /** JSON array of granted scopes. */
    scopes: string;
    /** JSON array of ConsentDocument. */
    documents: string;
    granted_at: string;
    valid_till: string;
    revoked_at: string | null;
    /** citizen | partner | admin | system */
    revoked_by: string | null;
    revoked_reason: string | null;
    reference_key: string;
    /** Compact JWS consent receipt. */
    receipt: string;
    ip: string | null;
    user_agent: string | null;
  };
  /** Batching of the citizen's access notifications: one row per (account, partner). */
  partner_notices: {
    account_id: string;
    partner_id: string;
    pending: number;
    first_pending_at: string | null;
    last_sent_at: string | null;
  };
  /** DigiLocker device flow (`1/code`): a device code waiting for the citizen's OTP. */
  partner_device_requests: {
    /** SHA-256 (hex) of the device code; the code itself is never stored. */
    id: string;
    partner_id: string;
    challenge_id: string;
    purpose: string;
    scopes: string;
    consent_valid_till: string | null;
    created_at: number;
    expires_at: number;
    consumed_at: number | null;
    ip: string | null;
  };
}
