/**
 * Verifies the text of a document's QR code: finds the issuer key named by the JWS `kid`
 * in the key directory, checks the signature, the key's status at the claimed signing
 * time, and returns the fields the QR vouches for. Works fully offline given a directory
 * (the offline CLI builds one from a key log).
 */
import { qrTextToJws } from '../../crypto/qr-code.ts';
import { peekQrHeader, verifyQrPayload, type QrClaims } from '../../crypto/qr-payload.ts';
import { invalid } from '../errors.ts';
import { KeyDirectoryUnavailable, type IssuerKey, type KeyDirectory } from './ports.ts';
import { checkKeyStatus, result, Verdict, type VerifyResult } from './verify-result.ts';

export interface VerifierDeps {
  directory: KeyDirectory;
  now: () => Date;
}

export function claimsToFields(c: QrClaims): Record<string, string> {
  return { uri: c.u, doctype: c.t, issued_on: c.d, holder_name: c.n, ...(c.nh ? { holder_name_hi: c.nh } : {}), ...c.f, document_hash: c.h };
}

export interface QrCheck {
  verdict: Verdict;
  key: IssuerKey | null;
  claims: QrClaims | null;
}

/** The checks on a QR JWS, added to `v` (shared with the PDF verifier, which checks its embedded QR). */
export async function checkQrJws(deps: VerifierDeps, jws: string, v: Verdict): Promise<QrCheck> {
  const header = peekQrHeader(jws);
  if (!header) throw invalid('invalid_qr', 'This is not the QR code of a signed document: its header cannot be read.');
  v.check('qr_format', 'passed', 'qr_format.jws');
  let key: IssuerKey | null;
  try {
    key = await deps.directory.findByKid(header.kid);
  } catch (err) {
    if (!(err instanceof KeyDirectoryUnavailable)) throw err;
    v.undetermined = true;
    v.check('issuer_key', 'error', 'issuer_key.directory_down_qr');
    return { verdict: v, key: null, claims: null };
  }
  if (!key || key.kind !== 'jws') {
    v.unknownIssuer = true;
    v.check('issuer_key', 'failed', 'issuer_key.unknown_qr');
    return { verdict: v, key: null, claims: null };
  }
  v.check('issuer_key', 'passed', 'issuer_key.kid', { kid: key.kid, issuer_name: key.issuerName, issuer_id: key.issuerId });
  const outcome = await verifyQrPayload(jws, key.publicJwk, key.alg);
  if (!outcome.ok) {
    v.tampered = true;
    v.check('qr_signature', 'failed', outcome.reason === 'bad_signature' ? 'qr_signature.bad_signature' : 'qr_signature.malformed');
    return { verdict: v, key, claims: null };
  }
  v.check('qr_signature', 'passed', 'qr_signature.valid');
  if (outcome.claims.iss !== key.issuerId) {
    v.unknownIssuer = true;
    v.check('issuer_match', 'failed', 'issuer_match.qr', { claimed_issuer: outcome.claims.iss, issuer_id: key.issuerId });
    return { verdict: v, key, claims: outcome.claims };
  }
  checkKeyStatus(v, key, new Date(outcome.claims.iat * 1000), deps.now());
  return { verdict: v, key, claims: outcome.claims };
}

export async function verifyQrText(deps: VerifierDeps, text: string): Promise<VerifyResult> {
  const jws = qrTextToJws(text);
  if (!jws) throw invalid('invalid_qr', 'This is not the QR code of an OpenLocker-signed document (it should start with OL1:/).');
  const v = new Verdict();
  const { key, claims } = await checkQrJws(deps, jws, v);
  if (claims && key && !v.tampered) {
    v.check('document_hash', 'skipped', 'document_hash.upload_pdf');
  }
  return result(v, 'qr', {
    issuer_id: key?.issuerId ?? null,
    issuer_name: key?.issuerName ?? null,
    signed_at: claims ? new Date(claims.iat * 1000).toISOString() : null,
    key_id: key?.kid ?? null,
    fields: claims ? claimsToFields(claims) : {},
  });
}
