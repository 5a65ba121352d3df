/** Tables of the accounts module (migration 0100-accounts). */
export interface AccountsTables {
  /** One row per citizen. `mobile` unique (E.164). Booleans 0/1; times ISO-8601 UTC. */
  accounts: {
    id: string;
    mobile: string;
    name: string;
    dob: string;
    gender: string;
    email: string | null;
    email_verified: number;
    pin_hash: string;
    must_change_pin: number;
    aadhaar_linked: number;
    failed_pins: number;
    lockouts: number;
    locked_until: string | null;
    status: string;
    created_at: string;
    updated_at: string;
  };
  /** What remains of an erased account: no personal data. */
  deleted_accounts: {
    account_id: string;
    created_at: string;
    deleted_at: string;
    activity_count: number;
    activity_head: string | null;
  };
  /** SMS one-time codes (hashed). Times are epoch milliseconds: expiry is arithmetic. */
  otp_challenges: {
    id: string;
    purpose: string;
    mobile: string;
    account_id: string | null;
    code_hash: string;
    created_at: number;
    expires_at: number;
    resend_at: number;
    attempts: number;
    wrong_attempts: number;
    max_attempts: number;
    verified_at: number | null;
    consumed_at: number | null;
    superseded_at: number | null;
  };
  /** Sessions when no Redis is configured. `token_hash` is SHA-256 of the bearer token. Epoch ms. */
  sessions: {
    id: string;
    token_hash: string;
    account_id: string;
    name: string;
    must_change_pin: number;
    created_at: number;
    last_seen_at: number;
    expires_at: number;
    ip: string | null;
    user_agent: string | null;
    ended_at: number | null;
    end_reason: string | null;
  };
}
