/**
 * Partner (OAuth client) credentials. The client secret is 256 random bits, shown once.
 * At rest it is kept twice, for two different jobs:
 *
 * - an HMAC-SHA256 under a master-key-derived key (`hashClientSecret`), which is what
 *   client authentication compares, in constant time — a copy of the database alone
 *   does not authenticate anyone;
 * - sealed (AES-256-GCM, bound to the client id) because DigiLocker's partner protocol
 *   keys other checks with the secret itself: the meta APIs' `hmac` = SHA-256(secret +
 *   clientid + ts), the upload HMAC and the `hmac` header of XML responses. Only those
 *   checks open it; it is never returned or logged.
 */
import crypto from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A DigiLocker-like client id: `OL` and 10 characters, no look-alikes. */
export function generateClientId(): string {
  let s = 'OL';
  for (const b of crypto.randomBytes(10)) s += ID_ALPHABET[b % 32];
  return s;
}

export function generateClientSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashClientSecret(key: Buffer, secret: string): string {
  return crypto.createHmac('sha256', key).update(secret, 'utf8').digest('hex');
}

/** Constant-time: compares fixed-length HMACs, never the secrets themselves. */
export function clientSecretMatches(key: Buffer, presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashClientSecret(key, presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** DigiLocker's meta-API hash: hex SHA-256 of client_secret + clientid + ts. */
export function partnerRequestHash(secret: string, clientId: string, ts: string): string {
  return crypto.createHash('sha256').update(secret + clientId + ts, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented hex hash (any case) with the expected one. */
export function hexHashMatches(presented: string, expectedHex: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(presented)) return false;
  return crypto.timingSafeEqual(Buffer.from(presented.toLowerCase(), 'hex'), Buffer.from(expectedHex, 'hex'));
}

export const PARTNER_SECRET_PURPOSE = 'partner-client-secrets';
export const PARTNER_SECRET_HASH_PURPOSE = 'partner-client-secret-hash';
