/** Issuer signing keys, trust anchors and the public key log (verification module). */
export interface VerificationTables {
  /** Every key an issuer has had, public part always, private part only while current and held here. */
  issuer_keys: {
    kid: string;
    issuer_id: string;
    /** Display name of the issuer when the key was added. */
    issuer_name: string;
    /** `jws` (QR codes, SD-JWT, Data Integrity) or `x509` (PDF and XML signatures). */
    kind: 'jws' | 'x509';
    alg: string;
    public_jwk: string;
    /** did:key of an Ed25519 key (Verifiable Credentials), else null. */
    did: string | null;
    certificate_der: string | null;
    /** base64 DER certificates above the signing certificate, JSON array. */
    chain_der: string;
    cert_sha256: string | null;
    /** Wrapped PKCS#8 (crypto/signing/key-wrap.ts); null for registered keys and after retirement. */
    private_key: string | null;
    origin: 'sandbox' | 'registered';
    valid_from: string;
    valid_until: string | null;
    revoked_at: string | null;
    revocation_reason: string | null;
    created_at: string;
  };
  /** The key each issuer signs with now, one per kind: the compare-and-swap point of rotation. */
  issuer_key_current: {
    issuer_id: string;
    kind: 'jws' | 'x509';
    kid: string;
    updated_at: string;
  };
  trust_anchors: {
    id: string;
    name: string;
    certificate_der: string;
    cert_sha256: string;
    private_key: string | null;
    sandbox: number;
    created_at: string;
  };
  /** Append-only, hash-chained public log of key events. `prev_hash` is unique: the chain cannot fork. */
  key_log: {
    seq: number;
    prev_hash: string;
    hash: string;
    entry: string;
    issuer_id: string;
    kid: string;
    event: string;
    created_at: string;
  };
}
