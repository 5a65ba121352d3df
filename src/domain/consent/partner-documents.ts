/**
 * What a partner may see of a citizen's documents under a live consent (the partner file
 * APIs and verification call these after authorizePartnerAccess). Rules:
 *
 * - Issued documents: a URI the citizen ticked, or a document of a doc type the consent
 *   lets the partner fetch (`partners.<DOCTYPE>`, ticked as a `doctype` item). Needs
 *   `files.issueddocs` (in the consent and the token) or a `partners.<DOCTYPE>` scope.
 * - Uploads: a file or folder the citizen ticked, or anything inside a ticked folder
 *   (a folder is shared with its contents). Needs `files.uploadeddocs`.
 * - Anything else — another citizen's document, a document the citizen left unticked, a
 *   ref that does not exist — gets the one answer `invalid_uri` (or `invalid_id` for a
 *   folder): the partner cannot learn what lies outside its consent.
 * - The document is looked up through its source on every request, so a document the
 *   citizen has since deleted is gone for the partner too.
 */
import { splitDocumentUri } from '../documents/certificate.ts';
import type { DocumentSource, DocumentSources, LockerDocument, OpenedDocument } from '../documents/sources.ts';
import { AppError } from '../errors.ts';
import type { PartnerAccess } from './authorize-partner-access.ts';
import { doctypeOfScope } from './scopes.ts';

export interface PartnerDocumentDeps {
  documents: DocumentSources;
}

export const uriNotFound = () => new AppError('not_found', 'invalid_uri', 'No file found for given URI.');
export const folderNotFound = () => new AppError('not_found', 'invalid_id', 'The folder does not exist.');
const insufficient = (scope: string) => new AppError('forbidden', 'insufficient_scope', `This request needs the scope ${scope}, which the citizen did not grant.`, { scope });

/** How deep a folder chain is followed to find a ticked ancestor (uploads nest a few levels). */
const MAX_DEPTH = 32;

const grantedBase = (a: PartnerAccess, scope: string) => a.consent.scopes.includes(scope) && a.scopes.includes(scope);

function pullableDoctypes(a: PartnerAccess): Set<string> {
  const out = new Set<string>();
  for (const d of a.consent.documents) if (d.kind === 'doctype') out.add(d.doctype);
  // A doctype item exists only with its scope; require both so a consent edited by hand cannot widen.
  for (const code of [...out]) if (!a.consent.scopes.includes(`partners.${code}`) || doctypeOfScope(`partners.${code}`) === null) out.delete(code);
  return out;
}

export function mayReadIssued(a: PartnerAccess): boolean {
  return grantedBase(a, 'files.issueddocs') || pullableDoctypes(a).size > 0;
}

export function requireIssuedScope(a: PartnerAccess): void {
  if (!mayReadIssued(a)) throw insufficient('files.issueddocs');
}

export function requireUploadScope(a: PartnerAccess): void {
  if (!grantedBase(a, 'files.uploadeddocs')) throw insufficient('files.uploadeddocs');
}

export function issuedCovered(a: PartnerAccess, d: Pick<LockerDocument, 'ref' | 'doctype'>): boolean {
  return issuedCoverage(a)(d);
}

/** issuedCovered for many documents: the consent's ticked URIs and doc types are read once. */
function issuedCoverage(a: PartnerAccess): (d: Pick<LockerDocument, 'ref' | 'doctype'>) => boolean {
  const uris = grantedBase(a, 'files.issueddocs') ? new Set(a.consent.documents.flatMap((x) => (x.kind === 'issued' ? [x.uri] : []))) : null;
  const doctypes = pullableDoctypes(a);
  return (d) => uris?.has(d.ref) === true || (d.doctype !== null && doctypes.has(d.doctype));
}

function tickedUploadIds(a: PartnerAccess): Set<string> {
  return new Set(a.consent.documents.flatMap((x) => (x.kind === 'upload' || x.kind === 'folder' ? [x.id] : [])));
}

/** True when the upload (file or folder) is ticked or lies inside a ticked folder. */
async function uploadCovered(a: PartnerAccess, src: DocumentSource, d: LockerDocument, ticked = tickedUploadIds(a)): Promise<boolean> {
  if (!grantedBase(a, 'files.uploadeddocs')) return false;
  let cur: LockerDocument | null = d;
  for (let depth = 0; cur && depth < MAX_DEPTH; depth++) {
    if (ticked.has(cur.ref)) return true;
    if (cur.parent === null) return false;
    cur = await src.get(a.accountId, cur.parent);
  }
  return false;
}

/** The issued documents the consent covers, as the issued source lists them now. */
export async function listIssuedForPartner(deps: PartnerDocumentDeps, a: PartnerAccess): Promise<LockerDocument[]> {
  requireIssuedScope(a);
  const src = deps.documents.get('issued');
  if (!src) return [];
  const covered = issuedCoverage(a);
  return (await src.list(a.accountId)).filter((d) => d.type === 'file' && covered(d));
}

/**
 * Uploaded items in a folder (`folderId`) the consent covers, or at the root (null): the
 * ticked items that are not inside another ticked folder, so the partner can walk down.
 */
export async function listUploadsForPartner(deps: PartnerDocumentDeps, a: PartnerAccess, folderId: string | null): Promise<{ folder: LockerDocument | null; items: LockerDocument[] }> {
  requireUploadScope(a);
  const src = deps.documents.get('uploaded');
  if (folderId === null) {
    if (!src) return { folder: null, items: [] };
    const ticked = tickedUploadIds(a);
    const all = await src.list(a.accountId);
    const byId = new Map(all.map((d) => [d.ref, d]));
    const insideTicked = (d: LockerDocument): boolean => {
      let p = d.parent;
      for (let depth = 0; p !== null && depth < MAX_DEPTH; depth++) {
        if (ticked.has(p)) return true;
        p = byId.get(p)?.parent ?? null;
      }
      return false;
    };
    return { folder: null, items: all.filter((d) => ticked.has(d.ref) && !insideTicked(d)) };
  }
  if (!src) throw folderNotFound();
  const folder = await src.get(a.accountId, folderId);
  if (!folder || folder.type !== 'dir' || !(await uploadCovered(a, src, folder))) throw folderNotFound();
  return { folder, items: await src.list(a.accountId, { parent: folder.ref }) };
}

/** Finds the document a partner names by `uri` (an issued URI or an upload id), if the consent covers it. */
export async function findForPartner(deps: PartnerDocumentDeps, a: PartnerAccess, uri: string): Promise<{ doc: LockerDocument; source: DocumentSource }> {
  if (uri.length === 0 || uri.length > 300) throw uriNotFound();
  const issued = deps.documents.get('issued');
  if (issued && splitDocumentUri(uri) && mayReadIssued(a)) {
    const doc = await issued.get(a.accountId, uri);
    if (doc && doc.type === 'file' && issuedCovered(a, doc)) return { doc, source: issued };
  }
  const uploaded = deps.documents.get('uploaded');
  if (uploaded && grantedBase(a, 'files.uploadeddocs')) {
    const doc = await uploaded.get(a.accountId, uri);
    if (doc && doc.type === 'file' && (await uploadCovered(a, uploaded, doc))) return { doc, source: uploaded };
  }
  throw uriNotFound();
}

/** `1/file/{uri}`: the document's main format, streamed (issued: fetched live from the issuer). */
export async function openForPartner(deps: PartnerDocumentDeps, a: PartnerAccess, uri: string): Promise<{ doc: LockerDocument; file: OpenedDocument }> {
  if (!mayReadIssued(a) && !grantedBase(a, 'files.uploadeddocs')) throw insufficient('files.issueddocs');
  const { doc, source } = await findForPartner(deps, a, uri);
  return { doc, file: await openMapped(source, a.accountId, doc.ref, doc.source === 'issued' ? { format: 'pdf' } : {}) };
}

/** `1/xml/{uri}`: the certificate XML of an issued document that has one. */
export async function openXmlForPartner(deps: PartnerDocumentDeps, a: PartnerAccess, uri: string): Promise<{ doc: LockerDocument; file: OpenedDocument }> {
  requireIssuedScope(a);
  const { doc, source } = await findForPartner(deps, a, uri);
  if (doc.source !== 'issued' || !doc.mimes.includes('application/xml')) throw new AppError('not_found', 'invalid_uri', 'No XML data is available for this document.');
  return { doc, file: await openMapped(source, a.accountId, doc.ref, { format: 'xml' }) };
}

/** A source's not_found (deleted between get and open) is the partner's invalid_uri. */
async function openMapped(src: DocumentSource, accountId: string, ref: string, o: { format?: 'pdf' | 'xml' }): Promise<OpenedDocument> {
  try {
    return await src.open(accountId, ref, o);
  } catch (err) {
    if (err instanceof AppError && err.kind === 'not_found') throw uriNotFound();
    if (err instanceof AppError && err.code === 'format_unavailable') throw new AppError('not_found', 'invalid_uri', 'No XML data is available for this document.');
    throw err;
  }
}

export const EAADHAAR_ISSUER = 'in.gov.uidai';
export const EAADHAAR_DOCTYPE = 'ADHAR';

/**
 * `2/xml/eaadhaar`: the signed e-Aadhaar XML of the citizen's linked Aadhaar, served by the
 * issued source for its `in.gov.uidai-ADHAR-…` URI. Like any issued document it must be in
 * the consent (ticked, or `partners.ADHAR`); when it is not, the answer is the same as when
 * there is none (`aadhaar_not_available`). `aadhaar_not_linked` tells the partner nothing
 * new: `1/user` already says `eaadhaar: N`.
 */
export async function openEaadhaarForPartner(deps: PartnerDocumentDeps & { aadhaarLinked: (accountId: string) => Promise<boolean> }, a: PartnerAccess): Promise<{ doc: LockerDocument; file: OpenedDocument }> {
  if (!grantedBase(a, 'files.issueddocs') && !pullableDoctypes(a).has(EAADHAAR_DOCTYPE)) throw insufficient('files.issueddocs');
  if (!(await deps.aadhaarLinked(a.accountId))) throw new AppError('not_found', 'aadhaar_not_linked', 'Aadhaar is not linked to the account');
  const src = deps.documents.get('issued');
  const doc = src ? (await src.list(a.accountId, { doctypes: [EAADHAAR_DOCTYPE] })).find((d) => d.issuerId === EAADHAAR_ISSUER && d.doctype === EAADHAAR_DOCTYPE && d.mimes.includes('application/xml')) : undefined;
  if (!src || !doc || !issuedCovered(a, doc)) throw new AppError('not_found', 'aadhaar_not_available', 'Aadhaar data is not available for this user. Please perform Aadhaar eKYC again.');
  try {
    return { doc, file: await src.open(a.accountId, doc.ref, { format: 'xml' }) };
  } catch (err) {
    if (err instanceof AppError && (err.kind === 'not_found' || err.code === 'format_unavailable')) throw new AppError('not_found', 'aadhaar_not_available', 'Aadhaar data is not available for this user. Please perform Aadhaar eKYC again.');
    throw err;
  }
}
