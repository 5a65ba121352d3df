/**
 * Composition for the verification module, beside deps.ts: builds `VerificationDeps`
 * from the app's dependencies, and offers the signing entry point other modules call.
 *
 * For the sandbox issuers (and any module that issues documents):
 *
 *   import { issueSignedDocument } from '../compose/verification.ts';
 *   const { pdf, xml, qrText, keyId } = await issueSignedDocument(deps, doc);
 *
 * `deps` is the app's `AppDeps`; `doc` a `CertificateDocument` (domain/documents/
 * certificate.ts) with `sandbox: true` for sandbox issuers, whose keys are then created on
 * first use under the sandbox root CA. Real issuers' keys are registered, not generated:
 * for them this throws `issuer_keys_missing`.
 */
import type { AppDeps } from '../deps.ts';
import type { CertificateDocument } from '../domain/documents/certificate.ts';
import type { VerificationDeps } from '../domain/verification/deps.ts';
import { issueSignedDocument as issue, type SignedDocument } from '../domain/verification/issue-signed-document.ts';
import { sqlIssuerKeyStore } from '../storage/sql/repositories/issuer-keys.ts';

export type { SignedDocument } from '../domain/verification/issue-signed-document.ts';

export function verificationDeps(deps: Pick<AppDeps, 'sql' | 'masterKey' | 'clock' | 'config'>): VerificationDeps {
  return { keys: sqlIssuerKeyStore(deps.sql), masterKey: deps.masterKey, clock: deps.clock, publicUrl: deps.config.publicUrl };
}

export function issueSignedDocument(deps: Pick<AppDeps, 'sql' | 'masterKey' | 'clock' | 'config'>, doc: CertificateDocument): Promise<SignedDocument> {
  return issue(verificationDeps(deps), doc);
}
