/**
 * Session tokens: `ols_` + 256 random bits (base64url). Only their SHA-256 is stored — a
 * slow hash is pointless for 256 random bits, and the lookup must be one indexed read. The
 * prefix lets the authentication hook ignore other bearer tokens (admin, partner OAuth)
 * without a database read, and makes leaked tokens easy to recognise in secret scanners.
 */
import crypto from 'node:crypto';

export const SESSION_TOKEN_PREFIX = 'ols_';
const TOKEN_PATTERN = /^ols_[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return SESSION_TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
}

export function isSessionTokenShape(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export function hashSessionToken(token: string): string {
  // One-shot crypto.hash: a quarter of createHash's cost on the path of every signed-in request.
  return crypto.hash('sha256', token, 'hex');
}
