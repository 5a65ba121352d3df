/**
 * The issuer registry (migration 0200). JSON columns are text; booleans 0/1; timestamps
 * ISO-8601 UTC text.
 */
export interface IssuerTables {
  issuers: {
    id: string;
    name: string;
    category: string;
    scope: string;
    state: string | null;
    description: string | null;
    status: string;
    source: string;
    org_id: string | null;
    pull_uri_url: string | null;
    pull_doc_url: string | null;
    /** AES-256-GCM sealed with a master-key-derived key, bound to the issuer id (crypto/secret-box.ts). */
    hmac_key_sealed: string | null;
    hmac_key_hint: string | null;
    hmac_encoding: string;
    timeout_ms: number | null;
    /** 1 when a key is stored and some document type has both endpoints (connected = this and status active). */
    endpoint_ready: number;
    doctype_count: number;
    /** Lower-case name, for ordering. */
    sort_name: string;
    /** Lower-case name, id, state, document type names and codes, for search. */
    search_text: string;
    created_at: string;
    updated_at: string;
  };
  issuer_doctypes: {
    issuer_id: string;
    code: string;
    position: number;
    name: string;
    /** JSON array of "pdf" | "xml". */
    formats: string;
    /** JSON array of {name, label, example?, pattern?, values?}. */
    parameters: string;
    /** JSON array of profile field names (UID, FullName, DOB, GENDER, Photo). */
    profile_fields: string;
    pull_uri_url: string | null;
    pull_doc_url: string | null;
  };
}
