/**
 * SMS codes: 6 digits from the CSPRNG, stored only as an HMAC keyed by a server key and
 * bound to the challenge id, so a copy of the database neither reveals codes nor lets
 * anyone precompute the million possibilities.
 */
import crypto from 'node:crypto';

export function generateOtp(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
}

export function hashOtp(key: Buffer, challengeId: string, code: string): string {
  return crypto.createHmac('sha256', key).update(`${challengeId}:${code}`).digest('hex');
}

export function otpMatches(key: Buffer, challengeId: string, code: string, storedHash: string): boolean {
  const a = Buffer.from(hashOtp(key, challengeId, code), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
