/**
 * The consent screen's view of the locker's documents: one ConsentDocumentSource built on
 * the document sources (domain/documents/sources.ts) that the issued-documents and uploads
 * modules register. Sources are looked up on every call, so a module registered later (or
 * a test's source) is seen at once.
 *
 * Scope rules (ports.ts): issued documents only for `files.issueddocs`, limited to
 * `req_doctype` when given; uploaded files (`upload`) and folders (`folder`) only for
 * `files.uploadeddocs`. Only the account's own documents: the sources guarantee it.
 */
import type { DocumentSources, LockerDocument } from '../documents/sources.ts';
import type { ConsentableDocument, ConsentDocumentSource, ConsentDocumentSources, DocumentRequest } from './ports.ts';

/** At most this many documents of each kind are offered on one consent screen. */
const MAX_OFFERED = 500;

export function toConsentable(d: LockerDocument): ConsentableDocument {
  if (d.source === 'issued') return { kind: 'issued', uri: d.ref, name: d.name, doctype: d.doctype, issuer: d.issuerName };
  return d.type === 'dir' ? { kind: 'folder', id: d.ref, name: d.name } : { kind: 'upload', id: d.ref, name: d.name };
}

/**
 * `others`: the consent sources modules registered themselves (the issued module registers
 * `issued`); a kind they already list is not listed twice.
 */
export function lockerConsentSource(documents: DocumentSources, others?: ConsentDocumentSources): ConsentDocumentSource {
  const listedElsewhere = (name: string) => others?.list().some((s) => s.name === name) ?? false;
  return {
    name: 'locker-documents',
    async list(accountId: string, request: DocumentRequest): Promise<ConsentableDocument[]> {
      const out: ConsentableDocument[] = [];
      const issued = documents.get('issued');
      if (issued && request.scopes.includes('files.issueddocs') && !listedElsewhere('issued')) {
        const docs = await issued.list(accountId, request.doctypes.length ? { doctypes: request.doctypes } : {});
        // The source filters by doc type too; filter again so a source that ignores the option cannot widen a request.
        for (const d of docs.slice(0, MAX_OFFERED)) if (request.doctypes.length === 0 || (d.doctype !== null && request.doctypes.includes(d.doctype))) out.push(toConsentable(d));
      }
      const uploaded = documents.get('uploaded');
      if (uploaded && request.scopes.includes('files.uploadeddocs') && !listedElsewhere('uploaded')) {
        for (const d of (await uploaded.list(accountId)).slice(0, MAX_OFFERED)) out.push(toConsentable(d));
      }
      return out;
    },
  };
}
