/**
 * The signed payload of a document's QR code: a compact JWS (jose) whose protected header
 * is `{alg, kid, zip: "DEF"}` and whose payload is raw-DEFLATE-compressed JSON (the
 * SMART Health Cards convention). Short claim names keep the code small:
 *
 *   v   format version (1)            iss  issuer id          iat  signing time (epoch s)
 *   u   document URI                  t    doctype            d    issue date (YYYY-MM-DD)
 *   n   holder name                   nh   holder name in Hindi (when the document has one)
 *   f   the fields the QR vouches for, {key: value}
 *   h   base64url SHA-256 of the document: the XMLDSig reference digest of its certificate XML
 *
 * Anyone holding the issuer's public key (its JWKS, or the key log) can verify it offline.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { CompactSign, decodeProtectedHeader, type JWK } from 'jose';

export interface QrClaims {
  v: 1;
  iss: string;
  iat: number;
  u: string;
  t: string;
  d: string;
  n: string;
  nh?: string;
  f: Record<string, string>;
  h: string;
}

/** Inflated payloads larger than this are refused (a compressed bomb cannot exhaust memory). */
const MAX_PAYLOAD = 16 * 1024;

export async function signQrPayload(claims: QrClaims, key: crypto.KeyObject, kid: string, alg: 'EdDSA' | 'ES256'): Promise<string> {
  const payload = zlib.deflateRawSync(Buffer.from(JSON.stringify(claims), 'utf8'), { level: 9 });
  return new CompactSign(payload).setProtectedHeader({ alg, kid, zip: 'DEF' }).sign(key);
}

export type QrHeader = { alg: string; kid: string; zip?: string };

/** The protected header, without verifying anything (to find the key). Null if malformed. */
export function peekQrHeader(jws: string): QrHeader | null {
  try {
    const h = decodeProtectedHeader(jws);
    if (typeof h.alg !== 'string' || typeof h.kid !== 'string') return null;
    return { alg: h.alg, kid: h.kid, ...(typeof h.zip === 'string' ? { zip: h.zip } : {}) };
  } catch {
    return null;
  }
}

export type QrVerifyOutcome = { ok: true; claims: QrClaims } | { ok: false; reason: 'bad_signature' | 'bad_payload' };

/**
 * Public keys as node:crypto key objects, by their JWK. Creating one costs about half a
 * verification; a key's material never changes, so they are cached (bounded). Only the
 * key object is cached — a key's status (revocation) is looked up every time.
 */
const keyObjects = new Map<string, crypto.KeyObject>();

function publicKeyObject(jwk: JWK): crypto.KeyObject {
  const id = `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y ?? ''}|${jwk.n ?? ''}`;
  let k = keyObjects.get(id);
  if (!k) {
    k = crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) } as crypto.JsonWebKey, format: 'jwk' });
    if (keyObjects.size >= 1000) keyObjects.delete(keyObjects.keys().next().value!);
    keyObjects.set(id, k);
  }
  return k;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * RFC 7515 compact JWS verification for the QR hot path, with node:crypto doing the
 * cryptography synchronously (WebCrypto, which jose uses, adds a job and a promise per
 * call — a third of the cost of the verification itself). The checks are jose's: three
 * base64url parts, a JSON-object header whose `alg` is the key's, no `crit`, no
 * unencoded payload; Ed25519, or ECDSA P-256 with a raw (r||s) signature. Tested against
 * jose-made tokens (qr-payload.test.ts).
 */
export function verifyCompactJws(jws: string, key: crypto.KeyObject, alg: string): { header: Record<string, unknown>; payload: Buffer } | null {
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return null;
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!header || typeof header !== 'object' || Array.isArray(header) || header.alg !== alg || 'crit' in header || 'b64' in header) return null;
  const input = Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii');
  const sig = Buffer.from(parts[2]!, 'base64url');
  let ok: boolean;
  if (alg === 'EdDSA' && key.asymmetricKeyType === 'ed25519') ok = crypto.verify(null, input, key, sig);
  else if (alg === 'ES256' && key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') ok = sig.length === 64 && crypto.verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, sig);
  else return null;
  return ok ? { header, payload: Buffer.from(parts[1]!, 'base64url') } : null;
}

/** Verifies the JWS with `publicKey` (its algorithm `alg`) and decodes the claims. */
export async function verifyQrPayload(jws: string, publicKey: crypto.KeyObject | JWK, alg: string): Promise<QrVerifyOutcome> {
  let verified: ReturnType<typeof verifyCompactJws>;
  try {
    verified = verifyCompactJws(jws, publicKey instanceof crypto.KeyObject ? publicKey : publicKeyObject(publicKey), alg);
  } catch {
    verified = null;
  }
  if (!verified) return { ok: false, reason: 'bad_signature' };
  try {
    const raw = verified.header.zip === 'DEF' ? zlib.inflateRawSync(verified.payload, { maxOutputLength: MAX_PAYLOAD }) : verified.payload;
    const claims = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) as QrClaims;
    if (!isClaims(claims)) return { ok: false, reason: 'bad_payload' };
    return { ok: true, claims };
  } catch {
    return { ok: false, reason: 'bad_payload' };
  }
}

function isClaims(c: unknown): c is QrClaims {
  const x = c as Record<string, unknown>;
  return (
    typeof x === 'object' && x !== null && x.v === 1 && typeof x.iss === 'string' && Number.isSafeInteger(x.iat) &&
    typeof x.u === 'string' && typeof x.t === 'string' && typeof x.d === 'string' && typeof x.n === 'string' &&
    (x.nh === undefined || typeof x.nh === 'string') && typeof x.h === 'string' &&
    typeof x.f === 'object' && x.f !== null && Object.values(x.f as object).every((v) => typeof v === 'string')
  );
}
