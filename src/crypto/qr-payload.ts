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
import { CompactSign, type JWK } from 'jose';

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

/** One base64url segment of a compact JWS. */
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** The protected header, without verifying anything (to find the key). Null if malformed. */
export function peekQrHeader(jws: string): QrHeader | null {
  const dot = jws.indexOf('.');
  const segment = dot > 0 ? jws.slice(0, dot) : '';
  if (!SEGMENT.test(segment)) return null;
  let h: unknown;
  try {
    h = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof h !== 'object' || h === null || Array.isArray(h)) return null;
  const { alg, kid, zip } = h as Record<string, unknown>;
  if (typeof alg !== 'string' || typeof kid !== 'string') return null;
  return { alg, kid, ...(typeof zip === 'string' ? { zip } : {}) };
}

export type QrVerifyOutcome = { ok: true; claims: QrClaims } | { ok: false; reason: 'bad_signature' | 'bad_payload' };

/**
 * Public keys as node:crypto KeyObjects, by their JWK. Parsing a JWK costs about as much
 * as a verification; a key's material never changes, so the object is cached (bounded).
 * Only the key material is cached — a key's status (revocation) is looked up every time.
 */
const imported = new Map<string, crypto.KeyObject>();
const CURVES: Record<string, { kty: string; crv: string }> = { EdDSA: { kty: 'OKP', crv: 'Ed25519' }, ES256: { kty: 'EC', crv: 'P-256' } };

function publicKeyObject(jwk: JWK, alg: string): crypto.KeyObject {
  const want = CURVES[alg];
  if (!want || jwk.kty !== want.kty || jwk.crv !== want.crv || typeof jwk.x !== 'string') throw new Error(`key does not fit ${alg}`);
  const id = `${alg}|${jwk.x}|${jwk.y ?? ''}`;
  let key = imported.get(id);
  if (!key) {
    key = crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) }, format: 'jwk' });
    if (imported.size >= 1000) imported.delete(imported.keys().next().value!);
    imported.set(id, key);
  }
  return key;
}

/**
 * Verifies a compact JWS (RFC 7515 §5.2) with node:crypto: exactly three base64url
 * segments; a protected header that is a JSON object whose `alg` is the key's algorithm
 * (never `none`, never another) and that carries no `crit` (no extension is understood,
 * so any is refused) and no `b64` (payload always encoded); the signature checked over the
 * ASCII signing input — Ed25519 for EdDSA, P-256 with the raw r‖s encoding (RFC 7518
 * §3.4) for ES256. The signature check runs on libuv's thread pool (node:crypto's callback
 * form): it is the costliest step of a QR verification (~0.1 ms of Ed25519), and off the
 * event loop it neither holds up other requests nor keeps a second core idle (bench
 * `verification`: 0.33 → 0.6 of the raw one-core rate). jose's WebCrypto path was tried
 * earlier and is slower per request (it parses the key and hops through promises each
 * time). Signing stays with jose.
 * Returns the payload bytes and header, or null when anything does not hold.
 */
async function verifyCompactJws(jws: string, key: crypto.KeyObject, alg: string): Promise<{ payload: Buffer; header: Record<string, unknown> } | null> {
  const first = jws.indexOf('.');
  const second = jws.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || second === jws.length - 1 || jws.indexOf('.', second + 1) !== -1) return null;
  const h = jws.slice(0, first);
  const p = jws.slice(first + 1, second);
  const s = jws.slice(second + 1);
  if (!SEGMENT.test(h) || !SEGMENT.test(p) || !SEGMENT.test(s)) return null;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return null;
  const hd = header as Record<string, unknown>;
  if (hd.alg !== alg || 'crit' in hd || 'b64' in hd) return null;
  const signature = Buffer.from(s, 'base64url');
  const input = Buffer.from(jws.slice(0, second), 'ascii');
  if (signature.length !== 64 || (alg !== 'EdDSA' && alg !== 'ES256')) return null;
  const ok = await new Promise<boolean>((resolve) => {
    const done = (err: Error | null, valid: boolean) => resolve(!err && valid);
    if (alg === 'EdDSA') crypto.verify(null, input, key, signature, done);
    else crypto.verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature, done);
  });
  return ok ? { payload: Buffer.from(p, 'base64url'), header: hd } : null;
}

/**
 * Verifies the JWS with `publicKey` (see verifyCompactJws: the header `alg` must be the
 * key's `alg`, no `crit`) and decodes the claims.
 */
export async function verifyQrPayload(jws: string, publicKey: crypto.KeyObject | JWK, alg: string): Promise<QrVerifyOutcome> {
  let payload: Buffer;
  let zip: unknown;
  try {
    const key = publicKey instanceof crypto.KeyObject ? publicKey : publicKeyObject(publicKey, alg);
    const r = await verifyCompactJws(jws, key, alg);
    if (!r) return { ok: false, reason: 'bad_signature' };
    payload = r.payload;
    zip = r.header.zip;
  } catch {
    return { ok: false, reason: 'bad_signature' };
  }
  try {
    const raw = zip === 'DEF' ? zlib.inflateRawSync(payload, { maxOutputLength: MAX_PAYLOAD }) : payload;
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
