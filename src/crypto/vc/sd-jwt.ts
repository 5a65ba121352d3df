/**
 * W3C Verifiable Credentials 2.0 secured as SD-JWT (VC-JOSE-COSE, media type
 * `application/vc+sd-jwt`), with @sd-jwt/core: every credentialSubject claim is a
 * separate disclosure, so the holder presents only the ones they choose ("name and
 * result, not the marks"; "age over 18", not the date of birth). Ed25519 through
 * node:crypto; digests and salts from @sd-jwt/crypto-nodejs.
 */
import crypto from 'node:crypto';
import { SDJwtInstance } from '@sd-jwt/core';
import { digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { decodeProtectedHeader, type JWK } from 'jose';

export const SD_JWT_TYP = 'vc+sd-jwt';

type Payload = Record<string, unknown>;

function instance(opts: { signer?: crypto.KeyObject; verifier?: crypto.KeyObject; kbSigner?: crypto.KeyObject }): SDJwtInstance<Payload> {
  return new SDJwtInstance<Payload>({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    signAlg: 'EdDSA',
    kbSignAlg: 'EdDSA',
    ...(opts.signer ? { signer: (data: string) => crypto.sign(null, Buffer.from(data), opts.signer!).toString('base64url') } : {}),
    ...(opts.verifier ? { verifier: (data: string, sig: string) => crypto.verify(null, Buffer.from(data), opts.verifier!, Buffer.from(sig, 'base64url')) } : {}),
    ...(opts.kbSigner ? { kbSigner: (data: string) => crypto.sign(null, Buffer.from(data), opts.kbSigner!).toString('base64url') } : {}),
    kbVerifier: (data: string, sig: string, payload) => {
      const cnf = (payload as { cnf?: { jwk?: JWK } }).cnf;
      if (!cnf?.jwk) return false;
      const key = crypto.createPublicKey({ key: cnf.jwk as crypto.JsonWebKey, format: 'jwk' });
      return crypto.verify(null, Buffer.from(data), key, Buffer.from(sig, 'base64url'));
    },
  });
}

/** Issues `credential` with every top-level credentialSubject claim selectively disclosable. */
export async function issueSdJwtVc(credential: Payload, key: crypto.KeyObject, kid: string): Promise<string> {
  const subject = (credential.credentialSubject ?? {}) as Record<string, unknown>;
  const frame = { credentialSubject: { _sd: Object.keys(subject).filter((k) => k !== 'id') } };
  return instance({ signer: key }).issue(credential, frame as never, { header: { typ: SD_JWT_TYP, kid } });
}

/**
 * Keeps only the disclosures of `subjectClaims`; with `holderKey` and `kb`, adds a key
 * binding JWT over the audience and nonce (the credential must carry `cnf.jwk`).
 */
export async function presentSdJwtVc(sdJwt: string, subjectClaims: string[], holder?: { key: crypto.KeyObject; aud: string; nonce: string }): Promise<string> {
  const frame = { credentialSubject: Object.fromEntries(subjectClaims.map((k) => [k, true])) };
  const sd = instance(holder ? { kbSigner: holder.key } : {});
  return sd.present(sdJwt, frame as never, holder ? { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: holder.aud, nonce: holder.nonce } } } : undefined);
}

export function sdJwtKid(sdJwt: string): string | null {
  try {
    const kid = decodeProtectedHeader(sdJwt.split('~')[0]!).kid;
    return typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

/**
 * RFC 9901 §7.1: every Disclosure must be referenced by a digest in the signed payload
 * (directly or through another Disclosure), and none twice. @sd-jwt/core 0.19 silently
 * drops unreferenced ones; a presentation carrying one has been tampered with.
 */
export function disclosuresAllReferenced(sdJwt: string): boolean {
  const [jwt, ...rest] = sdJwt.split('~');
  const disclosures = rest.filter((d) => d && !d.includes('.'));
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(jwt!.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return false;
  }
  if ((payload._sd_alg ?? 'sha-256') !== 'sha-256') return false;
  const referenced = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) {
        if (x && typeof x === 'object' && !Array.isArray(x) && typeof (x as Record<string, unknown>)['...'] === 'string') referenced.add((x as Record<string, string>)['...']!);
        else walk(x);
      }
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '_sd' && Array.isArray(x)) x.forEach((d) => typeof d === 'string' && referenced.add(d));
        else walk(x);
      }
    }
  };
  walk(payload);
  const seen = new Set<string>();
  for (const d of disclosures) {
    try {
      walk(JSON.parse(Buffer.from(d, 'base64url').toString('utf8')));
    } catch {
      return false;
    }
  }
  for (const d of disclosures) {
    const digest = crypto.createHash('sha256').update(d, 'ascii').digest('base64url');
    if (!referenced.has(digest) || seen.has(digest)) return false;
    seen.add(digest);
  }
  return true;
}

export type SdJwtOutcome = { ok: true; payload: Payload; keyBound: boolean } | { ok: false; reason: string };

/** Verifies the issuer signature, the disclosures' digests and (when asked, or when present) the key binding. */
export async function verifySdJwtVc(sdJwt: string, issuerKey: crypto.KeyObject, opts: { nonce?: string; requireKeyBinding?: boolean } = {}): Promise<SdJwtOutcome> {
  try {
    const r = await instance({ verifier: issuerKey }).verify(sdJwt, {
      ...(opts.requireKeyBinding || opts.nonce ? { keyBindingNonce: opts.nonce } : {}),
    } as never);
    if (!disclosuresAllReferenced(sdJwt)) return { ok: false, reason: 'a disclosure is not one the issuer signed' };
    return { ok: true, payload: r.payload as Payload, keyBound: Boolean(r.kb) };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
