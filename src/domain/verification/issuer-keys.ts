/**
 * Issuer signing keys: creation for sandbox issuers (under the sandbox root CA, on first
 * use), rotation, revocation, and registration of real issuers' public keys.
 *
 * Every issuer signs with two keys: an Ed25519 JWS key (QR codes, SD-JWT, Data Integrity
 * proofs; published as JWKS and did:key) and an RSA-2048 key with an X.509 certificate
 * (PDF and XML signatures). Private keys are stored wrapped (crypto/signing/key-wrap.ts)
 * and destroyed when the key is retired or revoked; public keys stay forever, so
 * documents signed before a rotation still verify.
 */
import crypto from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { unwrapPrivateKey, wrapPrivateKey } from '../../crypto/signing/key-wrap.ts';
import type { SigningIdentity } from '../../crypto/signing/pades.ts';
import { createRootCa, describeCertificate, issuedBy, issueSigningCertificate, pemToDers, sha256Hex } from '../../crypto/signing/x509.ts';
import { AppError, invalid } from '../errors.ts';
import type { VerificationDeps } from './deps.ts';
import type { IssuerKey, KeyKind, NewIssuerKey, TrustAnchor } from './ports.ts';

export const SANDBOX_ROOT_ID = 'sandbox-root';

export interface IssuerRef {
  id: string;
  name: string;
  /** Sandbox issuers get keys created on first use under the sandbox root CA. */
  sandbox: boolean;
}

export interface JwsSigningKey {
  kid: string;
  alg: 'EdDSA' | 'ES256';
  key: crypto.KeyObject;
  did: string | null;
}

export interface IssuerSigningKeys {
  jws: JwsSigningKey;
  x509: SigningIdentity & { kid: string };
}

/** A kid: the first 16 characters of the RFC 7638 thumbprint (96 bits, ample per directory). */
export async function jwkKid(jwk: JWK): Promise<string> {
  return (await calculateJwkThumbprint(jwk, 'sha256')).slice(0, 16);
}

export function certificateKid(der: Buffer): string {
  return crypto.createHash('sha256').update(der).digest('base64url').slice(0, 16);
}

export async function ed25519Did(jwk: JWK): Promise<string> {
  const Ed25519Multikey = await import('@digitalbazaar/ed25519-multikey'); // loaded on first use, not at start-up
  const mk = await Ed25519Multikey.fromJwk({ jwk });
  return `did:key:${mk.publicKeyMultibase as string}`;
}

/** The sandbox root CA, created on first use (first writer wins across instances). */
export async function ensureSandboxRoot(deps: VerificationDeps): Promise<{ anchor: TrustAnchor; key: crypto.KeyObject }> {
  let anchor = await deps.keys.getAnchor(SANDBOX_ROOT_ID);
  if (!anchor) {
    const ca = createRootCa({ commonName: 'OpenLocker Sandbox Root CA', organization: 'OpenLocker Sandbox', organizationalUnit: 'Synthetic test documents only' }, deps.clock.now());
    anchor = await deps.keys.ensureAnchor(
      { id: SANDBOX_ROOT_ID, name: 'OpenLocker Sandbox Root CA', certificate: ca.certificate, certSha256: sha256Hex(ca.certificate), sandbox: true, wrappedPrivateKey: wrapPrivateKey(deps.masterKey, `anchor:${SANDBOX_ROOT_ID}`, ca.key) },
      deps.clock.now(),
    );
  }
  if (!anchor.wrappedPrivateKey) throw new Error('the sandbox root CA has no private key');
  return { anchor, key: unwrapPrivateKey(deps.masterKey, `anchor:${SANDBOX_ROOT_ID}`, anchor.wrappedPrivateKey) };
}

async function newSandboxKey(deps: VerificationDeps, issuer: IssuerRef, kind: KeyKind): Promise<{ key: NewIssuerKey }> {
  const now = deps.clock.now();
  if (kind === 'jws') {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const jwk = await exportJWK(publicKey);
    const kid = await jwkKid(jwk);
    return {
      key: {
        kid, issuerId: issuer.id, issuerName: issuer.name, kind, alg: 'EdDSA', publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' }, did: await ed25519Did(jwk),
        certificate: null, chain: [], certSha256: null, origin: 'sandbox', validFrom: now, validUntil: null,
        wrappedPrivateKey: wrapPrivateKey(deps.masterKey, kid, privateKey),
      },
    };
  }
  const root = await ensureSandboxRoot(deps);
  const issued = issueSigningCertificate({ key: root.key, certificate: root.anchor.certificate }, { commonName: `${issuer.name} (sandbox)`, organization: issuer.name, organizationalUnit: issuer.id }, now);
  const kid = certificateKid(issued.certificate);
  const jwk = await exportJWK(crypto.createPublicKey(issued.key));
  return {
    key: {
      kid, issuerId: issuer.id, issuerName: issuer.name, kind, alg: 'RS256', publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' }, did: null,
      certificate: issued.certificate, chain: [root.anchor.certificate], certSha256: sha256Hex(issued.certificate), origin: 'sandbox',
      validFrom: now, validUntil: null, wrappedPrivateKey: wrapPrivateKey(deps.masterKey, kid, issued.key),
    },
  };
}

async function currentOrCreate(deps: VerificationDeps, issuer: IssuerRef, kind: KeyKind) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const cur = await deps.keys.currentSigningKey(issuer.id, kind);
    if (cur) return cur;
    if (!issuer.sandbox) {
      throw new AppError('conflict', 'issuer_keys_missing', `The locker holds no signing key for issuer ${issuer.id}. Real issuers sign their own documents and register their certificates through the admin API.`);
    }
    const { key } = await newSandboxKey(deps, issuer, kind);
    // Another instance may have created one meanwhile: then use theirs.
    await deps.keys.addCurrentKey(key, null, deps.clock.now());
  }
  throw new Error(`could not create a ${kind} key for ${issuer.id}`);
}

/** The keys `issuer` signs with now (created on first use for sandbox issuers). */
export async function signingKeysFor(deps: VerificationDeps, issuer: IssuerRef): Promise<IssuerSigningKeys> {
  const [jws, x509] = await Promise.all([currentOrCreate(deps, issuer, 'jws'), currentOrCreate(deps, issuer, 'x509')]);
  return {
    jws: { kid: jws.key.kid, alg: jws.key.alg as 'EdDSA' | 'ES256', key: unwrapPrivateKey(deps.masterKey, jws.key.kid, jws.wrappedPrivateKey), did: jws.key.did },
    x509: { kid: x509.key.kid, key: unwrapPrivateKey(deps.masterKey, x509.key.kid, x509.wrappedPrivateKey), certificate: x509.key.certificate!, chain: x509.key.chain },
  };
}

/**
 * Replaces the issuer's current keys with new ones. The old keys stay in the directory
 * (valid until now) so documents they signed still verify; their private keys are
 * destroyed. Only for keys the locker generated (sandbox issuers).
 */
export async function rotateIssuerKeys(deps: VerificationDeps, issuerId: string): Promise<{ retired: string[]; added: string[] }> {
  const keys = await deps.keys.listForIssuer(issuerId);
  if (keys.length === 0) throw new AppError('not_found', 'unknown_issuer', `No keys are known for issuer ${issuerId}.`);
  if (!keys.some((k) => k.origin === 'sandbox')) {
    throw new AppError('conflict', 'registered_issuer', `Issuer ${issuerId} signs with its own keys; register its new certificate or public key through the admin API instead.`);
  }
  const issuer: IssuerRef = { id: issuerId, name: keys[keys.length - 1]!.issuerName, sandbox: true };
  const out = { retired: [] as string[], added: [] as string[] };
  for (const kind of ['jws', 'x509'] as const) {
    const cur = await deps.keys.currentSigningKey(issuerId, kind);
    const { key } = await newSandboxKey(deps, issuer, kind);
    const r = await deps.keys.addCurrentKey(key, cur?.key.kid ?? null, deps.clock.now());
    if (r === 'conflict') throw new AppError('conflict', 'rotation_conflict', `Another rotation of ${issuerId}'s ${kind} key happened at the same time; run it again if you still need a new key.`);
    if (cur) out.retired.push(cur.key.kid);
    out.added.push(key.kid);
  }
  return out;
}

export async function revokeIssuerKey(deps: VerificationDeps, kid: string, reason: string): Promise<IssuerKey> {
  const ok = await deps.keys.revokeKey(kid, reason, deps.clock.now());
  const key = ok ? await deps.keys.findByKid(kid) : null;
  if (!key) throw new AppError('not_found', 'unknown_key', `No issuer key has the id ${kid}.`);
  return key;
}

export interface Registration {
  issuerId: string;
  issuerName: string;
  /** PEM: the signing certificate first, then the CA certificates above it. */
  certificatePem?: string;
  /** A public JWK (Ed25519 `OKP` or P-256 `EC`) for QR codes and credentials. */
  jwk?: JWK;
}

/**
 * Registers a real issuer's public keys (admin). The locker never holds their private
 * keys; the keys go into the directory and the key log like any other.
 */
export async function registerIssuerKeys(deps: VerificationDeps, reg: Registration): Promise<IssuerKey[]> {
  if (!/^[a-z0-9][a-z0-9.-]{1,99}$/.test(reg.issuerId)) throw invalid('invalid_issuer_id', 'The issuer id must look like in.gov.example (lower-case letters, digits, dots, dashes).');
  if (!reg.certificatePem && !reg.jwk) throw invalid('nothing_to_register', 'Send certificate_pem, jwk, or both.');
  const now = deps.clock.now();
  const keys: NewIssuerKey[] = [];
  if (reg.certificatePem) {
    let ders: Buffer[];
    try {
      ders = pemToDers(reg.certificatePem);
    } catch {
      throw invalid('invalid_certificate', 'certificate_pem holds something that is not an X.509 certificate.');
    }
    const [leaf, ...chain] = ders;
    if (!leaf) throw invalid('invalid_certificate', 'certificate_pem holds no certificate.');
    const s = describeCertificate(leaf);
    if (s.isCa) throw invalid('invalid_certificate', 'The first certificate must be the signing certificate, not a CA.');
    if (s.notAfter < now) throw invalid('invalid_certificate', `The certificate expired on ${s.notAfter.toISOString()}.`);
    if (chain[0] && !issuedBy(leaf, chain[0])) throw invalid('invalid_certificate', 'The second certificate did not issue the first.');
    const jwk = await exportJWK(s.publicKey);
    const kid = certificateKid(leaf);
    const alg = s.publicKey.asymmetricKeyType === 'rsa' ? 'RS256' : s.publicKey.asymmetricKeyType === 'ec' ? 'ES256' : null;
    if (!alg) throw invalid('invalid_certificate', 'The certificate key must be RSA or EC P-256.');
    keys.push({ kid, issuerId: reg.issuerId, issuerName: reg.issuerName, kind: 'x509', alg, publicJwk: { ...jwk, kid, alg, use: 'sig' }, did: null, certificate: leaf, chain, certSha256: s.sha256, origin: 'registered', validFrom: s.notBefore, validUntil: s.notAfter, wrappedPrivateKey: null });
  }
  if (reg.jwk) {
    let pub: JWK;
    let alg: 'EdDSA' | 'ES256';
    try {
      if ('d' in reg.jwk) throw new Error('private');
      const key = crypto.createPublicKey({ key: reg.jwk as crypto.JsonWebKey, format: 'jwk' });
      alg = key.asymmetricKeyType === 'ed25519' ? 'EdDSA' : key.asymmetricKeyType === 'ec' && reg.jwk.crv === 'P-256' ? 'ES256' : (() => { throw new Error('alg'); })();
      pub = await exportJWK(key);
    } catch (err) {
      throw invalid('invalid_jwk', (err as Error).message === 'private' ? 'Send the public key only: the JWK must not contain "d".' : 'jwk must be a public Ed25519 (OKP) or P-256 (EC) key.');
    }
    const kid = await jwkKid(pub);
    keys.push({ kid, issuerId: reg.issuerId, issuerName: reg.issuerName, kind: 'jws', alg, publicJwk: { ...pub, kid, alg, use: 'sig' }, did: alg === 'EdDSA' ? await ed25519Did(pub) : null, certificate: null, chain: [], certSha256: null, origin: 'registered', validFrom: now, validUntil: null, wrappedPrivateKey: null });
  }
  for (const k of keys) {
    if ((await deps.keys.registerKey(k, now)) === 'exists') throw new AppError('conflict', 'key_exists', `The key ${k.kid} is already registered.`);
  }
  return Promise.all(keys.map(async (k) => (await deps.keys.findByKid(k.kid))!));
}
