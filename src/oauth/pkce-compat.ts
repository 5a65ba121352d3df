/**
 * digilocker-sdk 0.1.4 (npm) sends `code_challenge = base64url(hex(SHA-256(verifier)))`
 * with `code_challenge_method=S256`, and a 23-character verifier with `@#*!` in it — not
 * RFC 7636. A partner can opt in (`pkce_compat: hex-s256`); for it, and only it:
 *
 * - at the authorization endpoint, a challenge that is base64url of 64 hex digits is
 *   replaced by S256 of itself (`base64url(SHA-256(c_hex))`);
 * - at the token endpoint, the verifier v becomes v' = base64url(hex(SHA-256(v))) when
 *   S256(v') equals the stored challenge — i.e. exactly when hex-S256(v) was the challenge.
 *
 * oidc-provider then runs its ordinary S256 check. Why this is safe enough: the transform is
 * still a one-way function of the verifier (no downgrade to `plain`; an attacker who saw the
 * challenge needs a SHA-256 preimage); it applies only to partners an admin switched it on
 * for; and these are confidential clients, so a stolen code is useless without the client
 * secret as well. What it does weaken: the SDK's verifier has about 60 bits from
 * Math.random plus a timestamp, below RFC 7636's recommendation (256 bits) — hence opt-in.
 */
import crypto from 'node:crypto';

const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8');

export function isHexChallenge(challenge: string): boolean {
  if (challenge.length !== 86 || !/^[A-Za-z0-9_-]+$/.test(challenge)) return false;
  return /^[0-9a-f]{64}$/.test(Buffer.from(challenge, 'base64url').toString('latin1'));
}

/** What the stored challenge becomes for a hex challenge. */
export function wrapHexChallenge(hexChallenge: string): string {
  return sha256(hexChallenge).digest('base64url');
}

/** base64url(hex(SHA-256(verifier))): the SDK's challenge for `verifier`. */
export function hexChallengeOf(verifier: string): string {
  return Buffer.from(sha256(verifier).digest('hex'), 'latin1').toString('base64url');
}

/** The verifier to hand oidc-provider: v' when it matches the stored (wrapped) challenge, else v unchanged. */
export function compatVerifier(verifier: string, storedChallenge: string | undefined): string {
  if (!storedChallenge || verifier.length > 128) return verifier;
  const v2 = hexChallengeOf(verifier);
  const a = Buffer.from(wrapHexChallenge(v2));
  const b = Buffer.from(storedChallenge);
  return a.length === b.length && crypto.timingSafeEqual(a, b) ? v2 : verifier;
}
