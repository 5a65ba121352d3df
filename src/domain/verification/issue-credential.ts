/**
 * Issues Verifiable Credentials with an issuer's current Ed25519 key (its did:key):
 * SD-JWT (`vc+sd-jwt`, selective disclosure) or Data Integrity (`ldp_vc`,
 * eddsa-rdfc-2022). Either from a `CertificateDocument` (any issued document), or from a
 * credential given through the W3C VC API.
 */
import crypto from 'node:crypto';
import type { JWK } from 'jose';
import type { CertificateDocument } from '../documents/certificate.ts';
import { invalid } from '../errors.ts';
import type { VerificationDeps } from './deps.ts';
import { documentToCredential } from './document-credential.ts';
import { signingKeysFor, type IssuerRef } from './issuer-keys.ts';

export type CredentialFormat = 'vc+sd-jwt' | 'ldp_vc';

export interface IssuedCredential {
  format: CredentialFormat;
  /** The SD-JWT (compact, with every disclosure) or the JSON-LD credential with its proof. */
  credential: string | Record<string, unknown>;
  keyId: string;
}

async function sign(deps: VerificationDeps, issuer: IssuerRef, build: (did: string) => Record<string, unknown>, format: CredentialFormat, holderJwk?: JWK): Promise<IssuedCredential> {
  const keys = await signingKeysFor(deps, issuer);
  if (keys.jws.alg !== 'EdDSA' || !keys.jws.did) throw invalid('unsupported_key', `Issuer ${issuer.id} signs with ${keys.jws.alg}; credentials need its Ed25519 key.`);
  const credential = build(keys.jws.did);
  if (format === 'ldp_vc') return { format, credential: await (await import('../../crypto/vc/data-integrity.ts')).issueDataIntegrityVc(credential, keys.jws.key), keyId: keys.jws.kid };
  const payload = { ...credential, iss: keys.jws.did, iat: Math.floor(deps.clock.now().getTime() / 1000), ...(holderJwk ? { cnf: { jwk: holderJwk } } : {}) };
  return { format, credential: await (await import('../../crypto/vc/sd-jwt.ts')).issueSdJwtVc(payload, keys.jws.key, keys.jws.kid), keyId: keys.jws.kid };
}

/** Any issued document as a Verifiable Credential. `holderJwk` binds an SD-JWT to the holder's key. */
export function issueDocumentCredential(deps: VerificationDeps, doc: CertificateDocument, format: CredentialFormat, holderJwk?: JWK): Promise<IssuedCredential> {
  if (holderJwk) {
    try {
      const k = crypto.createPublicKey({ key: holderJwk as crypto.JsonWebKey, format: 'jwk' });
      if (k.asymmetricKeyType !== 'ed25519' || 'd' in holderJwk) throw new Error();
    } catch {
      throw invalid('invalid_holder_key', 'holder_jwk must be the public Ed25519 JWK of the holder.');
    }
  }
  return sign(deps, { id: doc.issuer.id, name: doc.issuer.name, sandbox: doc.sandbox === true }, (did) => documentToCredential(doc, { did, name: doc.issuer.name }, deps.clock.now()), format, holderJwk);
}

/** W3C VC API `POST /credentials/issue`: signs `credential` as `issuer`, setting its issuer and validFrom. */
export function issueApiCredential(deps: VerificationDeps, credential: Record<string, unknown>, issuer: IssuerRef, format: CredentialFormat): Promise<IssuedCredential> {
  const ctx = credential['@context'];
  if (!Array.isArray(ctx) || ctx[0] !== 'https://www.w3.org/ns/credentials/v2') throw invalid('invalid_credential', 'credential["@context"] must start with https://www.w3.org/ns/credentials/v2.');
  if (typeof credential.credentialSubject !== 'object' || credential.credentialSubject === null) throw invalid('invalid_credential', 'The credential needs a credentialSubject object.');
  if ('proof' in credential) throw invalid('invalid_credential', 'The credential to issue must not carry a proof yet.');
  return sign(
    deps,
    issuer,
    (did) => ({ ...credential, issuer: { id: did, name: issuer.name }, validFrom: typeof credential.validFrom === 'string' ? credential.validFrom : deps.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z') }),
    format,
  );
}
