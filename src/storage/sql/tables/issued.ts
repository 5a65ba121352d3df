/** Issued documents, pending pulls, Aadhaar links and push credentials (migration 0210). */
export interface IssuedTables {
  /** A reference to a document held by its issuer: the URI, never the file. */
  issued_documents: {
    account_id: string;
    uri: string;
    issuer_id: string;
    doctype: string;
    name: string;
    /** YYYY-MM-DD when the issuer said, else null. */
    issued_on: string | null;
    /** pull | push | aadhaar | preprovision */
    source: string;
    created_at: string;
    updated_at: string;
  };
  /** The version of a citizen's Issued list: bumped with every change it shows (migration 0220). */
  issued_versions: {
    account_id: string;
    version: number;
  };
  /** A pull the issuer answered "pending" (Status 9): retried with back-off until it is issued or given up. */
  issued_pulls: {
    id: string;
    account_id: string;
    issuer_id: string;
    doctype: string;
    name: string;
    /** JSON object of the search parameters the citizen typed. */
    params: string;
    uri: string | null;
    attempts: number;
    /** Epoch ms; a claim moves it forward (a lease), so two sweepers never retry one pull at once. */
    next_retry_at: number;
    last_error: string | null;
    created_at: string;
  };
  /** The Aadhaar linked to an account: keyed hash + last 4 digits, and the eKYC-verified profile. */
  aadhaar_links: {
    account_id: string;
    uid_hash: string;
    uid_last4: string;
    name: string;
    dob: string;
    gender: string;
    /** base64 JPEG */
    photo: string | null;
    /** JSON of AadhaarAddress (null: linked before addresses were kept). */
    address: string | null;
    eaadhaar_uri: string | null;
    linked_at: string;
  };
  /** An issuer's client credential for the push API (`clientid` + sealed secret). */
  issuer_push_clients: {
    client_id: string;
    issuer_id: string;
    secret_sealed: string;
    created_at: string;
  };
}
