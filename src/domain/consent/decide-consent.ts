/**
 * What the consent screen offers and what the citizen's ticks become.
 *
 * offerConsent lists, through the document port, the citizen's documents the request can
 * reach (issued documents for `files.issueddocs`, limited to `req_doctype` when given;
 * uploads and folders for `files.uploadeddocs`), plus one item per `partners.<DOCTYPE>`
 * scope (let the partner fetch that document from its issuer). Every item starts ticked.
 *
 * decideConsent keeps only items the screen offered (a forged form cannot add a document)
 * and that the citizen left ticked; a document scope whose items were all unticked is not
 * granted at all, so the token's `scope` says exactly what was allowed.
 */
import type { ConsentDeps } from './deps.ts';
import type { ConsentDocument } from './model.ts';
import type { ConsentableDocument } from './ports.ts';
import { doctypeOfScope } from './scopes.ts';

export interface ConsentAsk {
  scopes: string[];
  /** req_doctype */
  doctypes: string[];
}

export interface ConsentItem {
  /** The checkbox value: `issued:<uri>`, `upload:<id>`, `folder:<id>`, `doctype:<CODE>`. */
  key: string;
  document: ConsentDocument;
}

export interface ConsentOffer {
  ask: ConsentAsk;
  items: ConsentItem[];
}

export function itemKey(d: ConsentDocument): string {
  switch (d.kind) {
    case 'issued':
      return `issued:${d.uri}`;
    case 'upload':
      return `upload:${d.id}`;
    case 'folder':
      return `folder:${d.id}`;
    case 'doctype':
      return `doctype:${d.doctype}`;
  }
}

export async function offerConsent(deps: Pick<ConsentDeps, 'documents'>, accountId: string, ask: ConsentAsk, doctypeName: (code: string) => Promise<string> = async (c) => c): Promise<ConsentOffer> {
  const items: ConsentItem[] = [];
  const seen = new Set<string>();
  const add = (d: ConsentDocument) => {
    const key = itemKey(d);
    if (!seen.has(key)) {
      seen.add(key);
      items.push({ key, document: d });
    }
  };
  const wantsIssued = ask.scopes.includes('files.issueddocs');
  const wantsUploads = ask.scopes.includes('files.uploadeddocs');
  if (wantsIssued || wantsUploads) {
    for (const source of deps.documents.list()) {
      const docs: ConsentableDocument[] = await source.list(accountId, { scopes: ask.scopes, doctypes: ask.doctypes });
      for (const d of docs) {
        if (d.kind === 'issued' && wantsIssued && (ask.doctypes.length === 0 || (d.doctype !== null && ask.doctypes.includes(d.doctype)))) add(d);
        if ((d.kind === 'upload' || d.kind === 'folder') && wantsUploads) add(d);
      }
    }
  }
  for (const s of ask.scopes) {
    const code = doctypeOfScope(s);
    if (code) add({ kind: 'doctype', doctype: code, name: await doctypeName(code) });
  }
  return { ask, items };
}

export function decideConsent(offer: ConsentOffer, ticked: Iterable<string>): { scopes: string[]; documents: ConsentDocument[] } {
  const keep = new Set(ticked);
  const documents = offer.items.filter((i) => keep.has(i.key)).map((i) => i.document);
  const scopes = offer.ask.scopes.filter((s) => {
    if (s === 'files.issueddocs') return documents.some((d) => d.kind === 'issued');
    if (s === 'files.uploadeddocs') return documents.some((d) => d.kind === 'upload' || d.kind === 'folder');
    const code = doctypeOfScope(s);
    if (code) return documents.some((d) => d.kind === 'doctype' && d.doctype === code);
    return true;
  });
  return { scopes, documents };
}
