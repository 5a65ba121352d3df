/**
 * The Authorized Partner file APIs, with DigiLocker's wire formats
 * (shared/specs/digilocker-authpartner.json):
 *
 *   GET  /public/oauth2/2/files/issued   {items:[{name,type,size,date,parent,mime[],uri,doctype,description,issuerid,issuer}],resource}
 *   GET  /public/oauth2/1/files/issued   the same with `mime` as one string (v1)
 *   GET  /public/oauth2/1/files/         uploaded items at the root the consent covers
 *   GET  /public/oauth2/1/files/:id      uploaded items of a folder the consent covers
 *   GET  /public/oauth2/1/file/:uri      the file (issued: fetched live; uploaded: blob store), streamed
 *   GET  /public/oauth2/1/xml/:uri       the certificate XML of an issued document
 *   GET  /public/oauth2/2/xml/eaadhaar   the signed e-Aadhaar XML of the linked Aadhaar (also 3/, as in production)
 *   POST /api/v1/partner/verify          match / no_match per claimed field, without the document
 *
 * Each route: rate-limit → authorizePartnerAccess (token, partner, live consent) → the
 * document rules of partner-documents.ts → record the access → present.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { authorizePartnerAccess, type PartnerAccess } from '../../../domain/consent/authorize-partner-access.ts';
import { listIssuedForPartner, listUploadsForPartner, openEaadhaarForPartner, openForPartner, openXmlForPartner, type PartnerDocumentDeps } from '../../../domain/consent/partner-documents.ts';
import { recordPartnerAccess } from '../../../domain/consent/record-partner-access.ts';
import { parseVerifyInput, verifyClaims } from '../../../domain/consent/verify-claims.ts';
import type { LockerDocument, OpenedDocument } from '../../../domain/documents/sources.ts';
import { AppError } from '../../../domain/errors.ts';
import type { ConsentServices } from '../../../wiring/consent.ts';
import { enforceLimit, limitBy, localLimitBy } from '../../plugins/limits.ts';
import { bearerOf } from './partner-api.ts';

const ErrorSchema = Type.Object({ error: Type.String(), error_description: Type.String() }, { additionalProperties: true });
const tags = ['partner API'];
const security = [{ bearer: [] }];

const IssuedItem = Type.Object({
  name: Type.String(),
  type: Type.String(),
  size: Type.String(),
  date: Type.String(),
  parent: Type.String(),
  mime: Type.Array(Type.String()),
  uri: Type.String(),
  doctype: Type.String(),
  description: Type.String(),
  issuerid: Type.String(),
  issuer: Type.String(),
});
const IssuedItemV1 = Type.Object({ ...IssuedItem.properties, mime: Type.String() });
const UploadItem = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  size: Type.String(),
  date: Type.String(),
  parent: Type.String(),
  mime: Type.String(),
  uri: Type.String(),
  description: Type.String(),
  issuer: Type.String(),
});

export function issuedItem(d: LockerDocument) {
  return {
    name: d.name,
    type: 'file',
    size: d.size === null ? '' : String(d.size),
    date: d.date,
    parent: '',
    mime: d.mimes,
    uri: d.ref,
    doctype: d.doctype ?? '',
    description: d.description ?? d.name,
    issuerid: d.issuerId ?? '',
    issuer: d.issuerName ?? '',
  };
}

function uploadItem(d: LockerDocument) {
  return {
    id: d.ref,
    name: d.name,
    type: d.type,
    size: d.size === null ? '' : String(d.size),
    date: d.date,
    parent: d.parent ?? '',
    mime: d.type === 'dir' ? '' : (d.mimes[0] ?? ''),
    uri: d.type === 'dir' ? '' : d.ref,
    description: d.description ?? '',
    issuer: '',
  };
}

/** `attachment; filename="…"` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_').slice(0, 150) || 'document';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename.slice(0, 150))}`;
}

/**
 * Documents are read whole before they are sent, because DigiLocker's file responses carry
 * `hmac: base64(HMAC-SHA256(body, client_secret))` in a header (partner clients check it
 * and refuse a document without it). Files are at most UPLOAD_MAX_BYTES (issued ones are
 * decoded from the issuer's answer, in memory already); at most this many are held at once
 * in the process, the rest wait their turn, so memory stays bounded under load.
 */
const HMAC_SLOTS = 8;
let hmacBusy = 0;
const hmacWaiting: Array<() => void> = [];

async function withHmacSlot<T>(run: () => Promise<T>): Promise<T> {
  if (hmacBusy >= HMAC_SLOTS) await new Promise<void>((resolve) => hmacWaiting.push(resolve));
  else hmacBusy++;
  try {
    return await run();
  } finally {
    const next = hmacWaiting.shift();
    if (next) next();
    else hmacBusy--;
  }
}

async function readWithHmac(stream: NodeJS.ReadableStream, key: Buffer): Promise<{ body: Buffer; hmac: string }> {
  const mac = crypto.createHmac('sha256', key);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    mac.update(b);
    chunks.push(b);
  }
  return { body: Buffer.concat(chunks), hmac: mac.digest('base64') };
}

async function sendFile(reply: FastifyReply, file: OpenedDocument, clientSecret: Buffer) {
  reply.type(file.mime).header('content-disposition', attachment(file.filename)).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
  if (file.verifiedAt) reply.header('x-verified-at', file.verifiedAt);
  const { body, hmac } = await withHmacSlot(() => readWithHmac(file.stream, clientSecret));
  return reply.header('hmac', hmac).header('content-length', String(body.length)).send(body);
}

/** A `uri` path parameter: DigiLocker clients send it raw or URL-encoded; Fastify decodes once. */
function uriParam(req: FastifyRequest): string {
  const v = (req.params as { uri?: string }).uri ?? '';
  if (v.trim() === '') throw new AppError('invalid', 'uri_missing', 'URI parameter missing');
  return v;
}

export function registerPartnerFileApi(app: FastifyInstance, s: ConsentServices, deps: PartnerDocumentDeps, o: { perMinute?: number } = {}): void {
  const config = { citizenAuth: false } as const;
  // Capacity, not a secret: counted per process (see localLimitBy); verify's guesses are counted exactly below.
  const bearerLimit = localLimitBy({ name: 'partner-files-ip', max: o.perMinute ?? 600, windowMs: 60_000 }, () => s.clock.now().getTime());
  const route = { config, preHandler: bearerLimit } as const;
  const fact = (req: FastifyRequest, action: string, subject?: string | null) => ({ action, subject: subject ?? null, ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
  const access = (req: FastifyRequest): Promise<PartnerAccess> => authorizePartnerAccess(s, bearerOf(req));
  // The partner's client secret keys the `hmac` header of every file response.
  const secretOf = (a: PartnerAccess): Buffer => (a.partner.secretSealed ? s.secretBox.open(a.partner.secretSealed, a.partner.id) : Buffer.alloc(0));

  const listIssued = async (req: FastifyRequest) => {
    const a = await access(req);
    const docs = await listIssuedForPartner(deps, a);
    await recordPartnerAccess(s, a, fact(req, 'issued_list'));
    return docs;
  };
  app.get(
    '/public/oauth2/2/files/issued',
    { ...route, schema: { tags, security, summary: 'Issued documents the consent covers', response: { 200: Type.Object({ items: Type.Array(IssuedItem), resource: Type.String() }), 401: ErrorSchema, 403: ErrorSchema } } },
    async (req) => ({ items: (await listIssued(req)).map(issuedItem), resource: 'issued' }),
  );
  app.get(
    '/public/oauth2/1/files/issued',
    { ...route, schema: { tags, security, summary: 'Issued documents the consent covers (v1: mime as one string)', response: { 200: Type.Object({ items: Type.Array(IssuedItemV1), resource: Type.String() }), 401: ErrorSchema, 403: ErrorSchema } } },
    async (req) => ({ items: (await listIssued(req)).map((d) => ({ ...issuedItem(d), mime: d.mimes.join(',') })), resource: 'issued' }),
  );

  const listUploads = async (req: FastifyRequest, id: string | null) => {
    const a = await access(req);
    const r = await listUploadsForPartner(deps, a, id);
    await recordPartnerAccess(s, a, fact(req, 'uploaded_list', id));
    return { directory: r.folder ? r.folder.name : '/', items: r.items.map(uploadItem) };
  };
  const uploadsSchema = (summary: string) => ({ tags, security, summary, response: { 200: Type.Object({ directory: Type.String(), items: Type.Array(UploadItem) }), 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema } });
  // The bytes the hmac header covers go as they are (with their Content-Length), never re-encoded.
  const signed = { config: { ...config, compress: false } } as const;
  app.get('/public/oauth2/1/files/', { ...route, schema: uploadsSchema('Uploaded documents and folders at the root that the consent covers') }, async (req) => listUploads(req, null));
  app.get<{ Params: { id: string } }>('/public/oauth2/1/files/:id', { ...route, schema: uploadsSchema('Uploaded documents and folders in a folder the consent covers') }, async (req) => listUploads(req, req.params.id));

  const fileSchema = (summary: string) => ({ tags, security, summary, response: { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 502: ErrorSchema, 503: ErrorSchema, 504: ErrorSchema } });
  // No URI at all: DigiLocker's uri_missing (not the generic 404 of an unknown path).
  for (const api of ['file', 'xml']) {
    app.get(`/public/oauth2/1/${api}/`, { config, schema: { hide: true } }, async () => {
      throw new AppError('invalid', 'uri_missing', 'URI parameter missing');
    });
  }
  app.get('/public/oauth2/1/file/:uri', { ...route, ...signed, schema: fileSchema('The file of an issued (fetched live from the issuer) or uploaded document') }, async (req, reply) => {
    const uri = uriParam(req);
    const a = await access(req);
    const { doc, file } = await openForPartner(deps, a, uri);
    await recordPartnerAccess(s, a, fact(req, 'file', doc.ref));
    return sendFile(reply, file, secretOf(a));
  });
  app.get('/public/oauth2/1/xml/:uri', { ...route, ...signed, schema: fileSchema('The certificate XML of an issued document') }, async (req, reply) => {
    const uri = uriParam(req);
    const a = await access(req);
    const { doc, file } = await openXmlForPartner(deps, a, uri);
    await recordPartnerAccess(s, a, fact(req, 'xml', doc.ref));
    return sendFile(reply, { ...file, mime: 'application/xml' }, secretOf(a));
  });
  // DigiLocker documents version 2; its production service answers version 3 at the same
  // shape. Clients written against either work.
  for (const version of [2, 3]) {
    app.get(`/public/oauth2/${version}/xml/eaadhaar`, { ...route, ...signed, schema: fileSchema('The signed e-Aadhaar XML of the citizen’s linked Aadhaar (UIDAI KycRes inside DigiLocker’s certificate XML)') }, async (req, reply) => {
      const a = await access(req);
      const aadhaarLinked = async (id: string) => (await s.accounts.findById(id))?.aadhaarLinked ?? false;
      const { doc, file } = await openEaadhaarForPartner({ ...deps, aadhaarLinked }, a);
      await recordPartnerAccess(s, a, fact(req, 'eaadhaar', doc.ref));
      return sendFile(reply, { ...file, mime: 'application/xml' }, secretOf(a));
    });
  }

  // Checking values is guessing made cheap: bound it per consent and document, not just per IP.
  const verifyIpLimit = limitBy(s, { name: 'partner-verify-ip', max: 120, windowMs: 60_000 });
  app.post(
    '/api/v1/partner/verify',
    {
      config,
      preHandler: verifyIpLimit,
      schema: {
        tags,
        security,
        summary: 'Check claimed values against the issuer’s live document (match / no_match / not_available per field) without receiving it',
        description: 'Bearer: a partner access token whose consent covers the document. Body: {"uri": "<issued document URI>", "fields": {"name": "…", "dob": "DD-MM-YYYY", "result": "…"}}. At most 20 fields; at most 20 checks per document and consent per hour.',
        body: Type.Object({ uri: Type.String({ maxLength: 300 }), fields: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])) }),
        response: { 200: Type.Object({ uri: Type.String(), checked_at: Type.String(), fields: Type.Record(Type.String(), Type.Union([Type.Literal('match'), Type.Literal('no_match'), Type.Literal('not_available')])) }), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema },
      },
    },
    async (req, reply) => {
      const input = parseVerifyInput(req.body);
      const a = await access(req);
      await enforceLimit(s, { name: 'partner-verify-doc', max: 20, windowMs: 3600_000, message: 'Too many checks against this document. Wait an hour and try again.' }, `${a.consent.id}:${input.uri}`, reply);
      const result = await verifyClaims({ ...deps, now: () => s.clock.now() }, a, input);
      await recordPartnerAccess(s, a, fact(req, 'verify', result.uri));
      return result;
    },
  );
}
