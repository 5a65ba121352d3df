/**
 * The locker's document sources: how features that *use* a citizen's documents (sharing,
 * the partner API, the consent screen, the dashboard) reach documents held by features
 * that *own* them (issued documents, uploads), without importing each other.
 *
 * The issued-documents module registers the source `issued` (refs are DigiLocker URIs,
 * `IssuerId-DocType-DocId`; opening fetches the file live from the issuer); the uploads
 * module registers `uploaded` (refs are upload ids; folders appear as `type: 'dir'`).
 *
 * Contract for every source:
 * - only the account's own documents are listed, found or opened — a ref that belongs to
 *   another account behaves exactly like one that does not exist (`null` / not_found);
 * - `open` streams (never buffers a whole file) and throws `AppError` with a stable code
 *   (`not_found`, `format_unavailable`, `issuer_unavailable`, …) on failure.
 */
import type { Readable } from 'node:stream';

export type DocumentSourceKind = 'issued' | 'uploaded';

/** One document (or, for uploads, one folder) as other features see it. */
export interface LockerDocument {
  source: DocumentSourceKind;
  /** Issued: the DigiLocker URI. Uploaded: the upload (or folder) id. */
  ref: string;
  type: 'file' | 'dir';
  name: string;
  /** Document type code (5 letters) when known, e.g. `DRVLC`; uploads may have `OTHER` or null. */
  doctype: string | null;
  /** Issuer id (`in.gov.cbse`) and display name for issued documents; null for uploads. */
  issuerId: string | null;
  issuerName: string | null;
  /** Formats the document can be opened in, as MIME types (`application/pdf`, `application/xml`, `image/png`…). */
  mimes: string[];
  /** Bytes, when known without fetching (uploads); null for issued documents. */
  size: number | null;
  /** ISO time the document was issued (issued) or uploaded (uploaded). */
  date: string;
  /** Uploads: the id of the containing folder, null at the root. Issued: null. */
  parent: string | null;
  /** Free text shown beside the name (e.g. the issuer's description of the doc type). */
  description?: string;
}

export interface OpenedDocument {
  /** A file name for Content-Disposition, with its extension. */
  filename: string;
  mime: string;
  /** Length in bytes when known in advance. */
  size: number | null;
  stream: Readable;
  /** Issued documents: when the content was fetched from the issuer (always now: fetched live). */
  verifiedAt: string | null;
}

export interface ListOptions {
  /** Uploads: list only this folder's direct children (null = root). Omitted: everything. */
  parent?: string | null;
  /** Issued: only these doc types (empty or omitted: all). */
  doctypes?: string[];
}

export interface DocumentSource {
  kind: DocumentSourceKind;
  list(accountId: string, options?: ListOptions): Promise<LockerDocument[]>;
  get(accountId: string, ref: string): Promise<LockerDocument | null>;
  /** `format`: `pdf` (default: the document's main format) or `xml` (issued documents that have one). */
  open(accountId: string, ref: string, options?: { format?: 'pdf' | 'xml' }): Promise<OpenedDocument>;
}

export interface DocumentSources {
  /** Adds a source (a second with the same kind replaces the first). */
  register(source: DocumentSource): void;
  get(kind: DocumentSourceKind): DocumentSource | undefined;
  list(): DocumentSource[];
}

export function documentSources(): DocumentSources {
  const byKind = new Map<DocumentSourceKind, DocumentSource>();
  return {
    register: (s) => void byKind.set(s.kind, s),
    get: (kind) => byKind.get(kind),
    list: () => [...byKind.values()],
  };
}
