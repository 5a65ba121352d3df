/**
 * authorizePartnerAccess: the one check every partner API request goes through (phase 2's
 * file APIs call it too). Rules, in order:
 *
 * 1. The bearer token is a live access token (unknown, expired, revoked → `invalid_token`).
 * 2. Its partner is approved now (a suspended or revoked partner's tokens stop at once).
 * 3. The consent bound to the token's grant is live now — not revoked, not past its
 *    `valid_till` — checked on every request, so revocation takes effect at once even for
 *    access tokens issued earlier.
 * 4. The scope the endpoint needs is in the consent and, for base scopes, in the token too
 *    (`insufficient_scope`).
 * 5. A document (URI, upload) must be one the citizen ticked; anything else answers exactly
 *    like a document that does not exist (`invalid_uri` / `invalid_id`), so a partner
 *    cannot learn what lies outside its consent.
 *
 * The caller records what it served with recordPartnerAccess (logged, notified).
 */
import { AppError } from '../errors.ts';
import type { ConsentDeps } from './deps.ts';
import { consentState, type Consent, type Partner } from './model.ts';
import { doctypeOfScope } from './scopes.ts';

export interface AccessRequest {
  /** The scope the endpoint needs; omit for the basic profile every consent includes (`1/user`). */
  scope?: string;
  /** An issued document's URI. */
  documentUri?: string;
  /** A doc type to pull (`partners.<DOCTYPE>`). */
  doctype?: string;
  /** An uploaded document or folder id. */
  uploadId?: string;
}

export interface PartnerAccess {
  consent: Consent;
  accountId: string;
  partner: Partner;
  /** The token's scopes (the granted subset). */
  scopes: string[];
}

export const invalidToken = (why: string) => new AppError('unauthenticated', 'invalid_token', why);

export async function authorizePartnerAccess(deps: Pick<ConsentDeps, 'tokens' | 'partners' | 'consents' | 'clock'>, token: string | null | undefined, req: AccessRequest = {}): Promise<PartnerAccess> {
  if (!token) throw invalidToken('Send the access token: Authorization: Bearer <access_token>.');
  const at = await deps.tokens.findAccessToken(token);
  if (!at) throw invalidToken('The access token is unknown, expired or revoked.');
  const partner = await deps.partners.get(at.clientId);
  if (!partner || partner.status !== 'approved') throw invalidToken('This partner’s access is suspended or has ended.');
  const consent = await deps.consents.getByGrant(at.grantId);
  if (!consent || consent.accountId !== at.accountId || consent.partnerId !== partner.id) throw invalidToken('The access token is unknown, expired or revoked.');
  const state = consentState(consent, deps.clock.now());
  if (state === 'revoked') throw invalidToken('The citizen’s consent for this access was revoked.');
  if (state === 'expired') throw invalidToken(`The citizen’s consent for this access expired at ${consent.validTill}.`);

  const needs = req.doctype ? `partners.${req.doctype}` : req.scope;
  // `partners.<DOCTYPE>` scopes live only in the consent (the token store knows the base scopes).
  if (needs && !(consent.scopes.includes(needs) && (doctypeOfScope(needs) !== null || at.scopes.includes(needs)))) {
    throw new AppError('forbidden', 'insufficient_scope', `This request needs the scope ${needs}, which the citizen did not grant.`, { scope: needs });
  }
  if (req.documentUri !== undefined) {
    const ok = consent.documents.some((d) => d.kind === 'issued' && d.uri === req.documentUri);
    if (!ok) throw new AppError('not_found', 'invalid_uri', 'No file found for given URI.');
  }
  if (req.uploadId !== undefined) {
    const ok = consent.documents.some((d) => (d.kind === 'upload' || d.kind === 'folder') && d.id === req.uploadId);
    if (!ok) throw new AppError('not_found', 'invalid_id', 'No file or folder found for given id.');
  }
  return { consent, accountId: at.accountId, partner, scopes: at.scopes };
}
