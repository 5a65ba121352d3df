/**
 * openIssuedDocument: fetches a citizen's issued document live from its issuer (Pull Doc)
 * and logs the view. Authorisation first: the URI must be in this account's Issued list —
 * another citizen's URI answers exactly like one that does not exist. The issuer's answer
 * arrives whole (base64 inside XML), so the bytes are handed on as one chunk.
 */
import { Readable } from 'node:stream';
import { issuerEndpoint } from '../issuers/issuer-endpoint.ts';
import type { OpenedDocument } from '../documents/sources.ts';
import type { Actor } from '../activity/ports.ts';
import type { IssuedDeps, Meta } from './deps.ts';
import { issuedErrors } from './errors.ts';

export interface OpenInput {
  accountId: string;
  uri: string;
  format?: 'pdf' | 'xml';
  meta: Meta;
  /** Who is opening it (the citizen by default; a partner or a share link through the document source). */
  actor?: Actor;
  /** Log the view (default true). Sharing and the partner API log their own access. */
  log?: boolean;
}

export async function openIssuedDocument(deps: Pick<IssuedDeps, 'docs' | 'issuers' | 'secrets' | 'client' | 'activity' | 'clock'>, input: OpenInput): Promise<OpenedDocument> {
  const doc = await deps.docs.get(input.accountId, input.uri);
  if (!doc) throw issuedErrors.notFound();
  const format = input.format ?? 'pdf';
  const doctype = await deps.issuers.doctype(doc.issuerId, doc.doctype);
  if (format === 'xml' && !doctype?.formats.includes('xml')) throw issuedErrors.formatUnavailable(doc.name);
  const endpoint = await issuerEndpoint(deps, doc.issuerId, doc.doctype);
  const res = await deps.client.pullDoc(endpoint, doc.uri, format, { digilockerId: input.accountId });
  const bytes = format === 'xml' ? res.data! : res.doc!;
  if (input.log !== false) {
    await deps.activity.append({
      accountId: input.accountId,
      type: 'issued_viewed',
      actor: input.actor ?? { kind: 'citizen', id: input.accountId, name: 'You' },
      ip: input.meta.ip,
      userAgent: input.meta.userAgent,
      subject: { kind: 'issued_document', id: doc.uri, name: doc.name },
      details: { format },
    });
  }
  const safe = doc.uri.replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    filename: `${safe}.${format}`,
    mime: format === 'xml' ? 'application/xml' : 'application/pdf',
    size: bytes.length,
    stream: Readable.from([bytes]),
    verifiedAt: deps.clock.now().toISOString(),
  };
}

export async function removeIssuedDocument(deps: Pick<IssuedDeps, 'docs' | 'activity'>, input: { accountId: string; uri: string; meta: Meta; actorName: string }): Promise<void> {
  const doc = await deps.docs.get(input.accountId, input.uri);
  if (!doc || !(await deps.docs.remove(input.accountId, input.uri))) throw issuedErrors.notFound();
  await deps.activity.append({
    accountId: input.accountId,
    type: 'issued_removed',
    actor: { kind: 'citizen', id: input.accountId, name: input.actorName },
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    subject: { kind: 'issued_document', id: doc.uri, name: doc.name },
    details: { issuer_id: doc.issuerId },
  });
}
