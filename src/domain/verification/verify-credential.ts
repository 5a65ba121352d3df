/**
 * Verifies Verifiable Credentials and Presentations against the key directory: the
 * cryptography through the libraries (crypto/vc/), then who signed — a did:key or kid
 * that must belong to a known issuer — and whether that key is revoked. Answers with the
 * same five statuses as documents.
 */
import crypto from 'node:crypto';
import type { DiOutcome } from '../../crypto/vc/data-integrity.ts';
// The VC libraries (JSON-LD, Data Integrity, SD-JWT) load on first use, not at start-up.
const dataIntegrity = () => import('../../crypto/vc/data-integrity.ts');
const sdJwtLib = () => import('../../crypto/vc/sd-jwt.ts');
import { invalid } from '../errors.ts';
import { checkDetail, type CheckDetail } from './check-details.ts';
import { KeyDirectoryUnavailable, type IssuerKey } from './ports.ts';
import { checkKeyStatus, result, Verdict, type VerifyResult } from './verify-result.ts';
import type { VerifierDeps } from './verify-qr.ts';

function subjectFields(payload: Record<string, unknown>): Record<string, string> {
  const subject = (payload.credentialSubject ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(subject)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

/** Finds the signing key; `unknown` says whose key it was when no issuer has it. */
async function lookup(v: Verdict, find: () => Promise<IssuerKey | null>, unknown: CheckDetail): Promise<IssuerKey | null> {
  try {
    const key = await find();
    if (!key) {
      v.unknownIssuer = true;
      v.checkParts('issuer_key', 'failed', [unknown]);
    } else v.check('issuer_key', 'passed', 'issuer_key.kid', { kid: key.kid, issuer_name: key.issuerName, issuer_id: key.issuerId });
    return key;
  } catch (err) {
    if (!(err instanceof KeyDirectoryUnavailable)) throw err;
    v.undetermined = true;
    v.check('issuer_key', 'error', 'issuer_key.directory_down');
    return null;
  }
}

/** An SD-JWT VC (as issued, or a presentation with fewer disclosures and maybe a key binding JWT). */
export async function verifySdJwtCredential(deps: VerifierDeps, sdJwt: string, opts: { nonce?: string } = {}): Promise<VerifyResult> {
  const kid = sdJwt.length < 64 * 1024 ? (await sdJwtLib()).sdJwtKid(sdJwt.trim()) : null;
  if (!kid) throw invalid('invalid_credential', 'This is not an SD-JWT credential signed with a key id.');
  const v = new Verdict();
  const key = await lookup(v, () => deps.directory.findByKid(kid), checkDetail('issuer_key.unknown_credential_key'));
  if (!key) return result(v, 'credential', {});
  const out = await (await sdJwtLib()).verifySdJwtVc(sdJwt.trim(), crypto.createPublicKey({ key: key.publicJwk as crypto.JsonWebKey, format: 'jwk' }), opts.nonce ? { nonce: opts.nonce, requireKeyBinding: true } : {});
  if (!out.ok) {
    v.tampered = true;
    v.check('credential_signature', 'failed', 'credential_signature.failed', { reason: out.reason });
    return result(v, 'credential', { issuer_id: key.issuerId, issuer_name: key.issuerName, key_id: key.kid });
  }
  v.check('credential_signature', 'passed', 'credential_signature.valid');
  if (out.keyBound) v.check('holder_binding', 'passed', 'holder_binding.proved');
  const issuer = out.payload.issuer as { id?: string } | string | undefined;
  const issuerId = typeof issuer === 'string' ? issuer : issuer?.id;
  if (key.did && issuerId !== key.did) {
    v.unknownIssuer = true;
    v.check('issuer_match', 'failed', 'issuer_match.credential');
  }
  const iat = typeof out.payload.iat === 'number' ? new Date(out.payload.iat * 1000) : null;
  checkKeyStatus(v, key, iat, deps.now());
  return result(v, 'credential', { issuer_id: key.issuerId, issuer_name: key.issuerName, key_id: key.kid, signed_at: iat?.toISOString() ?? null, fields: subjectFields(out.payload) });
}

async function judgeDi(deps: VerifierDeps, outcome: DiOutcome, credential: Record<string, unknown>): Promise<VerifyResult> {
  const v = new Verdict();
  const proof = (Array.isArray(credential.proof) ? credential.proof[0] : credential.proof) as { verificationMethod?: string; created?: string } | undefined;
  const method = proof?.verificationMethod;
  if (!method) {
    v.unknownIssuer = true;
    v.check('credential_proof', 'failed', 'credential_proof.absent');
    return result(v, 'credential', {});
  }
  const did = method.split('#')[0]!;
  const key = await lookup(v, () => (did.startsWith('did:key:') ? deps.directory.findByDid(did) : Promise.resolve(null)), checkDetail('issuer_key.unknown_did', { did }));
  if (!outcome.verified) {
    const offline = outcome.errors.some((e) => /is not bundled|Dereferencing a URL/.test(e));
    if (offline) {
      v.undetermined = true;
      v.check('credential_proof', 'error', 'credential_proof.offline', { errors: outcome.errors.join(' ') });
    } else {
      v.tampered = true;
      const errors = outcome.errors.join(' ');
      if (errors) v.check('credential_proof', 'failed', 'credential_proof.failed', { errors });
      else v.check('credential_proof', 'failed', 'credential_proof.invalid_signature');
    }
  } else v.check('credential_proof', 'passed', 'credential_proof.valid');
  const signedAt = proof.created ? new Date(proof.created) : null;
  if (key) checkKeyStatus(v, key, signedAt && !Number.isNaN(signedAt.getTime()) ? signedAt : null, deps.now());
  return result(v, 'credential', { issuer_id: key?.issuerId ?? null, issuer_name: key?.issuerName ?? null, key_id: key?.kid ?? null, signed_at: proof.created ?? null, fields: subjectFields(credential) });
}

export async function verifyDiCredential(deps: VerifierDeps, credential: unknown): Promise<VerifyResult> {
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) throw invalid('invalid_credential', 'verifiableCredential must be a JSON object.');
  return judgeDi(deps, await (await dataIntegrity()).verifyDataIntegrityVc(credential), credential as Record<string, unknown>);
}

/** A credential as the VC API sends it: a JSON-LD credential, or an EnvelopedVerifiableCredential holding an SD-JWT. */
export async function verifyAnyCredential(deps: VerifierDeps, credential: unknown, opts: { nonce?: string } = {}): Promise<VerifyResult> {
  if (typeof credential === 'string') return verifySdJwtCredential(deps, credential, opts);
  const c = credential as { type?: unknown; id?: unknown };
  const types = Array.isArray(c?.type) ? c.type : [c?.type];
  if (types.includes('EnvelopedVerifiableCredential') && typeof c.id === 'string') {
    const m = /^data:application\/(?:vc\+sd-jwt|dc\+sd-jwt),(.+)$/.exec(c.id);
    if (!m) throw invalid('invalid_credential', 'Only SD-JWT enveloped credentials (data:application/vc+sd-jwt,…) are supported.');
    return verifySdJwtCredential(deps, m[1]!, opts);
  }
  return verifyDiCredential(deps, credential);
}

export interface PresentationResult {
  verified: boolean;
  proof: 'passed' | 'failed' | 'absent';
  errors: string[];
  credentials: VerifyResult[];
}

export async function verifyPresentation(deps: VerifierDeps, presentation: unknown, opts: { challenge?: string; domain?: string }): Promise<PresentationResult> {
  if (typeof presentation !== 'object' || presentation === null || Array.isArray(presentation)) throw invalid('invalid_presentation', 'verifiablePresentation must be a JSON object.');
  const vp = presentation as Record<string, unknown>;
  const hasProof = 'proof' in vp;
  if (hasProof && !opts.challenge) throw invalid('challenge_required', 'A signed presentation is verified against the challenge you gave the holder: send options.challenge.');
  const outcome = await (await dataIntegrity()).verifyDataIntegrityVp(vp, hasProof ? opts.challenge : undefined, opts.domain);
  const raw = vp.verifiableCredential;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const credentials = await Promise.all(list.map((c) => verifyAnyCredential(deps, c).catch((err: Error) => ({ status: 'tampered', source: 'credential', issuer_id: null, issuer_name: null, signed_at: null, key_id: null, checks: [{ id: 'credential_format', result: 'failed', detail: err.message }], fields: {} }) as VerifyResult)));
  // The presentation's own proof held when the library reports a verified proof for it.
  const proofOk = !hasProof || outcome.verificationMethods.length > 0;
  return {
    verified: proofOk && credentials.length > 0 && credentials.every((c) => c.status === 'valid'),
    proof: hasProof ? (proofOk ? 'passed' : 'failed') : 'absent',
    errors: outcome.errors,
    credentials,
  };
}
