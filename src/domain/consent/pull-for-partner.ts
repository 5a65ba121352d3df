/**
 * `1/pull/pulldocument`: a partner, with the citizen's consent, asks an issuer for one of
 * the citizen's documents; it is saved in the citizen's Issued documents and the partner
 * gets its URI. Rules:
 *
 * - `consent=Y` is required (the partner's statement that the citizen agreed to this search,
 *   as on DigiLocker); `orgid` and `doctype` name the issuer and the document type.
 * - The consent must allow it: `partners.<DOCTYPE>` (ticked on the consent screen) or
 *   `files.issueddocs` (in consent and token); otherwise `insufficient_scope`.
 * - The pull itself is the issued module's use case (`pull`): the same parameter checks,
 *   issuer call, holder check and activity entry as a citizen's own pull.
 * - Nothing about the issuer's record reaches the partner beyond the URI: a holder
 *   mismatch answers `record_not_found` like a search that found nothing (the citizen's own
 *   pull says which detail differs; a partner must not learn the name on someone's record).
 */
import { AppError } from '../errors.ts';
import type { PartnerAccess } from './authorize-partner-access.ts';
import { isDoctype } from './scopes.ts';

export interface PartnerPullInput {
  orgid: unknown;
  doctype: unknown;
  consent: unknown;
  params: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

export type PullResult = { status: 'issued'; uri: string; created: boolean } | { status: 'pending'; uri: string | null };

export interface PartnerPullDeps {
  pull(input: { accountId: string; issuerId: string; doctype: string; params: Record<string, unknown>; meta: { ip: string | null; userAgent: string | null } }): Promise<PullResult>;
}

const RESERVED = new Set(['orgid', 'doctype', 'consent', 'access_token', 'client_id', 'client_secret']);

export function pullParams(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!RESERVED.has(k) && (typeof v === 'string' || typeof v === 'number')) out[k] = v;
  return out;
}

const recordNotFound = () => new AppError('not_found', 'record_not_found', 'No record found in issuer database for given criteria. Please check the details and try again.');

export async function pullForPartner(deps: PartnerPullDeps, a: PartnerAccess, input: PartnerPullInput): Promise<{ uri: string }> {
  if (typeof input.orgid !== 'string' || input.orgid.trim() === '' || input.orgid.length > 100) throw new AppError('invalid', 'invalid_orgid', 'The orgid parameter is missing or invalid.');
  if (typeof input.doctype !== 'string' || !isDoctype(input.doctype)) throw new AppError('invalid', 'invalid_doctype', 'The doctype parameter is missing or invalid.');
  if (input.consent !== 'Y') throw new AppError('invalid', 'invalid_parameter', 'consent must be Y: the citizen’s agreement to this search.');
  const doctype = input.doctype;
  const viaDoctype = a.consent.scopes.includes(`partners.${doctype}`) && a.consent.documents.some((d) => d.kind === 'doctype' && d.doctype === doctype);
  const viaIssued = a.consent.scopes.includes('files.issueddocs') && a.scopes.includes('files.issueddocs');
  if (!viaDoctype && !viaIssued) throw new AppError('forbidden', 'insufficient_scope', `This request needs the scope partners.${doctype}, which the citizen did not grant.`, { scope: `partners.${doctype}` });
  let r: PullResult;
  try {
    r = await deps.pull({ accountId: a.accountId, issuerId: input.orgid.trim(), doctype, params: input.params, meta: { ip: input.ip, userAgent: input.userAgent } });
  } catch (err) {
    if (err instanceof AppError) {
      if (err.code === 'name_mismatch' || err.code === 'dob_mismatch') throw recordNotFound();
      if (err.code === 'aadhaar_required') throw new AppError('forbidden', 'aadhaar_not_linked', 'To access issued documents, please link your Aadhaar number to your DigiLocker account.');
    }
    throw err;
  }
  if (r.status === 'pending') {
    throw new AppError('conflict', 'pull_response_pending', 'The issuer is still looking for this document. It will appear in the citizen’s Issued documents when the issuer answers; try again later.');
  }
  // DigiLocker answers a second pull of a document the citizen already holds with
  // uri_exists (its spec files it under 500; here it is 409, like pull_response_pending:
  // nothing failed). The partner finds the document in 2/files/issued.
  if (!r.created) throw new AppError('conflict', 'uri_exists', 'This document already exists in your Issued Documents.');
  return { uri: r.uri };
}
