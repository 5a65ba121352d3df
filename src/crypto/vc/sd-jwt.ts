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

export type SdJwtOutcome = { ok: true; payload: Payload; keyBound: boolean } | { ok: false; reason: string };

/** Verifies the issuer signature, the disclosures' digests and (when asked, or when present) the key binding. */
export async function verifySdJwtVc(sdJwt: string, issuerKey: crypto.KeyObject, opts: { nonce?: string; requireKeyBinding?: boolean } = {}): Promise<SdJwtOutcome> {
  try {
    const r = await instance({ verifier: issuerKey }).verify(sdJwt, {
      ...(opts.requireKeyBinding || opts.nonce ? { keyBindingNonce: opts.nonce } : {}),
    } as never);
    return { ok: true, payload: r.payload as Payload, keyBound: Boolean(r.kb) };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
