/**
 * The `issued` document source (domain/documents/sources.ts) and the consent screen's
 * source (domain/consent/ports.ts): how sharing, the partner API and the consent screen
 * reach a citizen's issued documents. Refs are URIs; a URI of another account is null /
 * not_found, like one that does not exist. Opening fetches live from the issuer and does
 * not log a citizen view: the caller (share link, partner API) logs its own access.
 */
import type { ConsentableDocument, ConsentDocumentSource } from '../consent/ports.ts';
import type { DocumentSource, LockerDocument } from '../documents/sources.ts';
import type { IssuedDeps } from './deps.ts';
import { listIssued, type IssuedItem } from './list-issued.ts';
import { openIssuedDocument } from './open-document.ts';

export function issuedDocumentSource(deps: Pick<IssuedDeps, 'docs' | 'issuers' | 'secrets' | 'client' | 'activity' | 'clock'>): DocumentSource {
  // Formats are read from the registry for every call (memoised within the call only), so
  // several locker instances never disagree about what a document can be opened as.
  const toLocker = async (i: IssuedItem, memo: Map<string, Promise<string[]>>): Promise<LockerDocument> => ({
    source: 'issued',
    ref: i.uri!,
    type: 'file',
    name: i.name,
    doctype: i.doctype,
    issuerId: i.issuerId,
    issuerName: i.issuer,
    mimes: await mimesOf(memo, i.issuerId, i.doctype),
    size: null,
    date: i.date,
    parent: null,
  });
  const mimesOf = (memo: Map<string, Promise<string[]>>, issuerId: string, doctype: string) => {
    const key = `${issuerId} ${doctype}`;
    if (!memo.has(key)) memo.set(key, deps.issuers.doctype(issuerId, doctype).then((d) => (d?.formats ?? ['pdf']).map((f) => (f === 'xml' ? 'application/xml' : 'application/pdf'))));
    return memo.get(key)!;
  };
  return {
    kind: 'issued',
    async list(accountId, options = {}) {
      const items = await listIssued(deps, accountId, { includePending: false, ...(options.doctypes?.length ? { doctypes: options.doctypes } : {}) });
      const memo = new Map<string, Promise<string[]>>();
      return Promise.all(items.map((i) => toLocker(i, memo)));
    },
    async get(accountId, ref) {
      const doc = await deps.docs.get(accountId, ref);
      if (!doc) return null;
      const [issuer] = await deps.issuers.getMany([doc.issuerId]);
      return toLocker({ uri: doc.uri, name: doc.name, doctype: doc.doctype, issuerId: doc.issuerId, issuer: issuer?.name ?? doc.issuerId, date: doc.issuedOn ?? doc.createdAt.slice(0, 10), status: 'issued' }, new Map());
    },
    open(accountId, ref, options = {}) {
      return openIssuedDocument(deps, { accountId, uri: ref, ...(options.format ? { format: options.format } : {}), meta: { ip: null, userAgent: null }, log: false });
    },
  };
}

export function issuedConsentSource(deps: Pick<IssuedDeps, 'docs' | 'issuers'>): ConsentDocumentSource {
  return {
    name: 'issued',
    async list(accountId, request): Promise<ConsentableDocument[]> {
      if (!request.scopes.includes('files.issueddocs')) return [];
      const items = await listIssued(deps, accountId, { includePending: false, ...(request.doctypes.length ? { doctypes: request.doctypes } : {}) });
      return items.map((i) => ({ kind: 'issued', uri: i.uri!, name: i.name, doctype: i.doctype, issuer: i.issuer }));
    },
  };
}
