/**
 * Document sources for tests of features that *use* documents (partner API, consent screen)
 * while the modules that own them are elsewhere: an `issued` source whose documents are
 * rendered and signed by the sandbox renderer (real PAdES PDF + XMLDSig certificate XML),
 * and an `uploaded` source whose bytes live in the app's real blob store. Both keep the
 * DocumentSource contract: only the account's own documents; anything else is null /
 * not_found; `open` streams.
 */
import { Readable } from 'node:stream';
import { signingRenderer } from '../../src/compose/sandbox-renderer.ts';
import type { AppDeps } from '../../src/deps.ts';
import type { CertificateDocument } from '../../src/domain/documents/certificate.ts';
import type { DocumentSource, LockerDocument } from '../../src/domain/documents/sources.ts';
import { AppError } from '../../src/domain/errors.ts';
import { randomId } from './app.ts';
import { toConsentable } from '../../src/domain/consent/consent-document-source.ts';

/**
 * Puts test sources in place of the real modules' (same kinds), including the consent
 * screen's `issued` source, which the issued module registers from its own store.
 */
export function useTestSources(deps: Pick<AppDeps, 'documents' | 'consentDocuments'>, ...sources: DocumentSource[]): void {
  for (const src of sources) {
    deps.documents.register(src);
    if (src.kind === 'issued') {
      deps.consentDocuments.register({
        name: 'issued',
        async list(accountId, request) {
          if (!request.scopes.includes('files.issueddocs')) return [];
          return (await src.list(accountId, request.doctypes.length ? { doctypes: request.doctypes } : {})).map(toConsentable);
        },
      });
    }
  }
}

export interface TestIssuedSource extends DocumentSource {
  /** Adds an issued document to the account; returns its URI. */
  add(accountId: string, doc: Partial<CertificateDocument> & { doctype: string; holderName: string; dob?: string }, o?: { xml?: boolean; issuerId?: string; issuerName?: string; raw?: { pdf?: Buffer; xml?: string } }): string;
  /** How many times a document was opened (fetched "from the issuer"). */
  opens: number;
}

const notFound = () => new AppError('not_found', 'not_found', 'The document was not found.');

export function testIssuedSource(deps: Pick<AppDeps, 'sql' | 'masterKey' | 'clock' | 'config'>): TestIssuedSource {
  const renderer = signingRenderer(deps);
  const docs = new Map<string, { accountId: string; meta: LockerDocument; cert: CertificateDocument; raw?: { pdf?: Buffer; xml?: string } }>();
  const source: TestIssuedSource = {
    kind: 'issued',
    opens: 0,
    add(accountId, d, o = {}) {
      const issuerId = o.issuerId ?? 'in.gov.sandbox.cbse';
      const uri = `${issuerId}-${d.doctype}-${randomId().toUpperCase()}`;
      const cert: CertificateDocument = {
        uri,
        issuer: { id: issuerId, name: o.issuerName ?? 'Sandbox Board of Education' },
        doctype: d.doctype,
        title: d.title ?? `${d.doctype} certificate`,
        number: uri.split('-').pop()!,
        issuedOn: d.issuedOn ?? '2024-05-13',
        status: 'A',
        holder: { name: d.holderName, ...(d.dob ? { dob: d.dob } : {}), gender: 'F' },
        fields: d.fields ?? [{ key: 'result', label: 'Result', value: 'PASS' }],
      };
      const meta: LockerDocument = {
        source: 'issued',
        ref: uri,
        type: 'file',
        name: cert.title,
        doctype: d.doctype,
        issuerId,
        issuerName: cert.issuer.name,
        mimes: o.xml === false ? ['application/pdf'] : ['application/pdf', 'application/xml'],
        size: null,
        date: new Date('2024-05-13T10:00:00Z').toISOString(),
        parent: null,
        description: cert.title,
      };
      docs.set(uri, { accountId, meta, cert, ...(o.raw ? { raw: o.raw } : {}) });
      return uri;
    },
    async list(accountId, options = {}) {
      return [...docs.values()].filter((d) => d.accountId === accountId && (!options.doctypes?.length || options.doctypes.includes(d.meta.doctype!))).map((d) => d.meta);
    },
    async get(accountId, ref) {
      const d = docs.get(ref);
      return d && d.accountId === accountId ? d.meta : null;
    },
    async open(accountId, ref, options = {}) {
      const d = docs.get(ref);
      if (!d || d.accountId !== accountId) throw notFound();
      source.opens++;
      const format = options.format ?? 'pdf';
      if (format === 'xml' && !d.meta.mimes.includes('application/xml')) throw new AppError('not_found', 'format_unavailable', 'This document has no XML form.');
      const rendered = d.raw ? { pdf: d.raw.pdf ?? Buffer.from('%PDF-1.7\n'), xml: d.raw.xml ?? '' } : await renderer.render(d.cert);
      const bytes = format === 'xml' ? Buffer.from(rendered.xml ?? '') : rendered.pdf;
      return { filename: `${ref}.${format}`, mime: format === 'xml' ? 'application/xml' : 'application/pdf', size: bytes.length, stream: Readable.from([bytes]), verifiedAt: deps.clock.now().toISOString() };
    },
  };
  return source;
}

export interface TestUploadedSource extends DocumentSource {
  folder(accountId: string, name: string, parent?: string | null): string;
  file(accountId: string, name: string, bytes: Buffer, o?: { parent?: string | null; mime?: string }): Promise<string>;
}

export function testUploadedSource(deps: Pick<AppDeps, 'blobs'>): TestUploadedSource {
  const items = new Map<string, { accountId: string; meta: LockerDocument; blobKey?: string }>();
  const meta = (ref: string, type: 'file' | 'dir', name: string, parent: string | null, mime: string | null, size: number | null): LockerDocument => ({
    source: 'uploaded',
    ref,
    type,
    name,
    doctype: null,
    issuerId: null,
    issuerName: null,
    mimes: mime ? [mime] : [],
    size,
    date: new Date('2025-01-02T03:04:05Z').toISOString(),
    parent,
  });
  return {
    kind: 'uploaded',
    folder(accountId, name, parent = null) {
      const ref = `f${randomId()}`;
      items.set(ref, { accountId, meta: meta(ref, 'dir', name, parent, null, null) });
      return ref;
    },
    async file(accountId, name, bytes, o = {}) {
      const put = await deps.blobs.put(Readable.from([bytes]));
      const ref = `u${randomId()}`;
      items.set(ref, { accountId, meta: meta(ref, 'file', name, o.parent ?? null, o.mime ?? 'application/pdf', bytes.length), blobKey: put.key });
      return ref;
    },
    async list(accountId, options = {}) {
      return [...items.values()].filter((i) => i.accountId === accountId && (options.parent === undefined || i.meta.parent === options.parent)).map((i) => i.meta);
    },
    async get(accountId, ref) {
      const i = items.get(ref);
      return i && i.accountId === accountId ? i.meta : null;
    },
    async open(accountId, ref) {
      const i = items.get(ref);
      if (!i || i.accountId !== accountId || !i.blobKey) throw notFound();
      return { filename: i.meta.name, mime: i.meta.mimes[0]!, size: i.meta.size, stream: await deps.blobs.get(i.blobKey), verifiedAt: null };
    },
  };
}
