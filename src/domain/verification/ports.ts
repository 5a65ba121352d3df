/**
 * Ports of the verification module. Two views of the same keys:
 *
 * - `KeyDirectory` is what a verifier consults: public keys and their status (valid
 *   period, revocation). The server reads it from its database; the offline CLI builds it
 *   from a fetched key log. When it cannot be consulted it throws
 *   `KeyDirectoryUnavailable`, and verification answers "undetermined" — never "invalid".
 * - `IssuerKeyStore` is what the signing side changes. Every change appends its key-log
 *   entry in the same transaction, so the public log and the keys never disagree.
 */
import type { JWK } from 'jose';

export type KeyKind = 'jws' | 'x509';

export interface IssuerKey {
  kid: string;
  issuerId: string;
  issuerName: string;
  kind: KeyKind;
  /** EdDSA | ES256 for `jws`; RS256 (RSA PKCS#1 v1.5 + SHA-256) for `x509`. */
  alg: string;
  publicJwk: JWK;
  /** did:key of an Ed25519 key, else null. */
  did: string | null;
  /** DER of the signing certificate (x509 keys). */
  certificate: Buffer | null;
  /** DER of the certificates above it. */
  chain: Buffer[];
  certSha256: string | null;
  origin: 'sandbox' | 'registered';
  validFrom: Date;
  validUntil: Date | null;
  revokedAt: Date | null;
  revocationReason: string | null;
}

export class KeyDirectoryUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the issuer key directory could not be consulted: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'KeyDirectoryUnavailable';
  }
}

export interface KeyDirectory {
  /** The key with this id, or null when no issuer has it. Throws `KeyDirectoryUnavailable`. */
  findByKid(kid: string): Promise<IssuerKey | null>;
  /** The x509 key whose certificate has this SHA-256 fingerprint (hex), or null. */
  findByCertificate(sha256Hex: string): Promise<IssuerKey | null>;
  /** The Ed25519 key published as this did:key, or null. */
  findByDid(did: string): Promise<IssuerKey | null>;
}

export interface TrustAnchor {
  id: string;
  name: string;
  certificate: Buffer;
  certSha256: string;
  sandbox: boolean;
  /** Wrapped private key (the sandbox root CA only). */
  wrappedPrivateKey: string | null;
}

export interface NewIssuerKey extends Omit<IssuerKey, 'revokedAt' | 'revocationReason' | 'validUntil'> {
  validUntil: Date | null;
  /** Wrapped PKCS#8 when the locker holds the private key. */
  wrappedPrivateKey: string | null;
}

export interface CurrentSigningKey {
  key: IssuerKey;
  wrappedPrivateKey: string;
}

export interface KeyLogEntry {
  v: 1;
  seq: number;
  /** Hash of the previous entry (64 zeros for the first). */
  prev: string;
  at: string;
  event: 'anchor_added' | 'key_added' | 'key_retired' | 'key_revoked';
  issuer: string;
  kid: string;
  issuer_name?: string;
  kind?: KeyKind | 'anchor';
  alg?: string;
  jwk?: JWK;
  did?: string | null;
  /** base64 DER: the certificate, then its chain. */
  x5c?: string[];
  origin?: string;
  valid_from?: string;
  valid_until?: string | null;
  revoked_at?: string | null;
  reason?: string | null;
}

export interface KeyLogRecord {
  entry: KeyLogEntry;
  hash: string;
}

export interface IssuerKeyStore extends KeyDirectory {
  /** Every key of an issuer, oldest first. */
  listForIssuer(issuerId: string): Promise<IssuerKey[]>;
  /** Issuer ids that have any key, sorted. */
  listIssuers(): Promise<string[]>;
  /** The key `issuerId` signs `kind` with now, with its wrapped private key; null if none. */
  currentSigningKey(issuerId: string, kind: KeyKind): Promise<CurrentSigningKey | null>;
  /**
   * Adds `key` as the issuer's current key of its kind, if the current key is still
   * `expectedCurrentKid` (null: none yet). Compare-and-swap: of concurrent callers
   * expecting the same current key, exactly one gets 'added'; the others get 'conflict'
   * and nothing of theirs is stored. The replaced key is retired in the same transaction
   * (valid until now, private key destroyed); log entries `key_added` (+ `key_retired`).
   */
  addCurrentKey(key: NewIssuerKey, expectedCurrentKid: string | null, at: Date): Promise<'added' | 'conflict'>;
  /** Registers a public key of an issuer whose private key the locker never holds. 'exists' if the kid or certificate is known. */
  registerKey(key: NewIssuerKey, at: Date): Promise<'added' | 'exists'>;
  /** Marks a key revoked (idempotent: the first revocation's time and reason stay). False if unknown. */
  revokeKey(kid: string, reason: string, at: Date): Promise<boolean>;
  /** The trust anchor with this id, or null. */
  getAnchor(id: string): Promise<TrustAnchor | null>;
  /** Adds an anchor unless one with its id exists (first writer wins); returns the stored one. */
  ensureAnchor(anchor: TrustAnchor, at: Date): Promise<TrustAnchor>;
  listAnchors(): Promise<TrustAnchor[]>;
  /** Key-log records with seq > `afterSeq`, in order, at most `limit`. */
  readLog(afterSeq: number, limit: number): Promise<KeyLogRecord[]>;
}
