/**
 * Parses a document URI `IssuerId-DocType-DocId` against the registry. Issuer ids may
 * contain dashes and document ids may contain anything, so the URI is never cut at fixed
 * offsets (DESIGN.md §4): every `-CODE-` position is a candidate split, and the one whose
 * issuer and document type are registered wins (the longest issuer id if, improbably,
 * several do).
 */
import type { IssuerDeps } from './deps.ts';
import { issuerErrors } from './errors.ts';
import { ISSUER_ID, type Doctype, type Issuer } from './model.ts';

export interface ResolvedUri {
  uri: string;
  issuer: Issuer;
  doctype: Doctype;
  docId: string;
}

export const MAX_URI_LENGTH = 512;
/** Printable ASCII without spaces: what DigiLocker URIs are made of. */
const URI_CHARS = /^[\x21-\x7e]+$/;

export function uriCandidates(uri: string): Array<{ issuerId: string; doctype: string; docId: string }> {
  const out: Array<{ issuerId: string; doctype: string; docId: string }> = [];
  const re = /-([A-Z0-9]{5,6})-/g;
  for (let m = re.exec(uri); m; m = re.exec(uri)) {
    const issuerId = uri.slice(0, m.index);
    const docId = uri.slice(m.index + m[0].length);
    if (ISSUER_ID.test(issuerId) && docId.length > 0) out.push({ issuerId, doctype: m[1]!, docId });
    re.lastIndex = m.index + 1;
  }
  return out;
}

export async function resolveDocumentUri(deps: Pick<IssuerDeps, 'issuers'>, uri: string): Promise<ResolvedUri> {
  if (typeof uri !== 'string' || uri.length === 0) throw issuerErrors.invalidUri('it is empty.');
  if (uri.length > MAX_URI_LENGTH) throw issuerErrors.invalidUri(`it is longer than ${MAX_URI_LENGTH} characters.`);
  if (!URI_CHARS.test(uri)) throw issuerErrors.invalidUri('it may contain only printable characters without spaces.');
  const candidates = uriCandidates(uri);
  if (candidates.length === 0) throw issuerErrors.invalidUri('it must look like IssuerId-DOCTYPE-DocId, e.g. in.gov.cbse-HSCER-20241234567.');
  const issuers = new Map((await deps.issuers.getMany([...new Set(candidates.map((c) => c.issuerId))])).map((i) => [i.id, i]));
  candidates.sort((a, b) => b.issuerId.length - a.issuerId.length);
  for (const c of candidates) {
    const issuer = issuers.get(c.issuerId);
    if (!issuer) continue;
    const doctype = await deps.issuers.doctype(issuer.id, c.doctype);
    if (doctype) return { uri, issuer, doctype, docId: c.docId };
  }
  throw issuerErrors.unknownUri();
}
