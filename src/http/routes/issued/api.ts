/**
 * The citizen's issued-documents API (session cookie or bearer):
 *   POST   /api/v1/issued/pull          {issuer_id, doctype, params} → {uri, name, status}
 *   GET    /api/v1/issued               → {items: [{uri, name, doctype, issuer_id, issuer, date, status}]}, ETag (304 on If-None-Match)
 *   GET    /api/v1/issued/{uri}/file    the PDF (or ?format=xml), fetched live from the issuer
 *   DELETE /api/v1/issued/{uri}         removes the reference from the locker
 *   POST   /api/v1/aadhaar/otp          {aadhaar} → {txn, masked_mobile, expires_in}
 *   POST   /api/v1/aadhaar/link         {txn, otp} → the verified profile
 * Each route: limit → authenticate → validate → one use case → present.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../../deps.ts';
import type { IssuedDeps } from '../../../domain/issued/deps.ts';
import { linkAadhaar, requestAadhaarOtp } from '../../../domain/issued/link-aadhaar.ts';
import { listIssued } from '../../../domain/issued/list-issued.ts';
import { openIssuedDocument, removeIssuedDocument } from '../../../domain/issued/open-document.ts';
import { pullDocument } from '../../../domain/issued/pull-document.ts';
import { limitBy } from '../../plugins/limits.ts';
import { requireCitizen } from '../../plugins/authenticate.ts';
import { requestMeta } from '../accounts/context.ts';
import { etagMatches } from '../../etag.ts';
import { IssuedListCache } from './list-cache.ts';
import { errors } from '../accounts/schemas.ts';

const tags = ['Citizen: issued documents'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

// Plain `type` lists and enums rather than anyOf: fast-json-stringify serialises them
// without trying each branch (the list is a hot path).
const NullableString = (description: string) => Type.Unsafe<string | null>({ type: ['string', 'null'], description });
const Status = Type.Unsafe<'issued' | 'pending'>({ type: 'string', enum: ['issued', 'pending'] });

export const IssuedItemSchema = Type.Object({
  uri: NullableString('IssuerId-DocType-DocId; null while a pull is pending and the issuer gave none'),
  name: Type.String(),
  doctype: Type.String(),
  issuer_id: Type.String(),
  issuer: Type.String(),
  date: Type.String({ description: 'YYYY-MM-DD' }),
  status: Status,
  pull_id: Type.Optional(Type.String()),
});

const PullBody = Type.Object({
  issuer_id: Type.String({ minLength: 1, maxLength: 100 }),
  doctype: Type.String({ minLength: 1, maxLength: 20 }),
  params: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number()]), { maxProperties: 20 })),
});
const PullResult = Type.Object({ uri: NullableString('The document URI (pending: when the issuer announced one)'), name: Type.String(), status: Status, pull_id: Type.Optional(Type.String()) });
const UriParams = Type.Object({ uri: Type.String({ minLength: 1, maxLength: 512 }) });

export function registerIssuedRoutes(app: FastifyInstance, services: IssuedDeps, deps: AppDeps): void {
  const perCitizen = (name: string, max: number) => limitBy(deps, { name, max, windowMs: 3600_000, key: (req) => req.citizen?.accountId ?? req.ip, message: 'Too many requests from your locker. Wait a little and try again.' });
  const pullLimit = perCitizen('issued-pull', 120);
  const fileLimit = perCitizen('issued-file', deps.config.issuedFilePerHour);

  app.post(
    '/api/v1/issued/pull',
    {
      preHandler: [requireCitizen(), pullLimit],
      schema: {
        tags,
        summary: 'Fetch a document from its issuer (Pull URI) and keep its URI in Issued Documents',
        description: 'Params are the document type’s search parameters by name (GET /api/v1/issuers/{id}/doctypes). Status `pending` means the issuer is still preparing it: the locker retries and it appears in the list. Errors use DigiLocker’s codes (`record_not_found`, `repository_service_unresponsive`, …), `invalid_parameter` (with `fields`, a sentence per parameter, and `field_codes`: `required`, `too_long`, `not_in_list` or `pattern`) and `name_mismatch` / `dob_mismatch`.',
        security,
        body: PullBody,
        response: { 200: PullResult, ...errors(400, 401, 403, 404, 409, 429, 502, 503, 504) },
      },
    },
    async (req) => {
      const b = req.body as { issuer_id: string; doctype: string; params?: Record<string, unknown> };
      const r = await pullDocument(services, { accountId: req.citizen!.accountId, issuerId: b.issuer_id, doctype: b.doctype, params: b.params ?? {}, meta: requestMeta(req) });
      return r.status === 'issued' ? { uri: r.uri, name: r.name, status: r.status } : { uri: r.uri, name: r.name, status: r.status, pull_id: r.pullId };
    },
  );

  const listCache = new IssuedListCache();
  app.get(
    '/api/v1/issued',
    {
      preHandler: requireCitizen(),
      schema: {
        tags,
        summary: 'The citizen’s issued documents, newest first (pending pulls first)',
        description: 'Answers with an `ETag`; send it back in `If-None-Match` to get `304 Not Modified` (no body) while the list is unchanged.',
        security,
        response: { 200: Type.Object({ items: Type.Array(IssuedItemSchema) }), 304: Type.Null({ description: 'Not modified: the list is the one your ETag names' }), ...errors(401, 403) },
      },
    },
    async (req, reply) => {
      const accountId = req.citizen!.accountId;
      // The version first, then the rows (see IssuedListCache.set).
      const version = await services.docs.listVersion(accountId);
      const registryChanges = services.issuers.localChanges();
      const now = services.clock.now().getTime();
      let list = listCache.get(accountId, version, registryChanges, now);
      if (!list) {
        const items = await listIssued(services, accountId);
        const payload = { items: items.map((i) => ({ uri: i.uri, name: i.name, doctype: i.doctype, issuer_id: i.issuerId, issuer: i.issuer, date: i.date, status: i.status, ...(i.pullId ? { pull_id: i.pullId } : {}) })) };
        list = listCache.set(accountId, version, registryChanges, now, reply.serialize(payload) as string);
      }
      reply.header('etag', list.etag).header('cache-control', 'private, no-cache');
      if (etagMatches(req.headers['if-none-match'], list.etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(list.body);
    },
  );

  app.get(
    '/api/v1/issued/:uri/file',
    {
      preHandler: [requireCitizen(), fileLimit],
      schema: {
        tags,
        summary: 'The document, fetched live from its issuer (PDF inline; `?format=xml` for the certificate XML)',
        security,
        params: UriParams,
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('pdf'), Type.Literal('xml')])), download: Type.Optional(Type.String({ maxLength: 5 })) }),
        response: { ...errors(401, 403, 404, 429, 502, 503, 504) },
      },
    },
    async (req, reply) => {
      const q = req.query as { format?: 'pdf' | 'xml'; download?: string };
      const doc = await openIssuedDocument(services, { accountId: req.citizen!.accountId, uri: (req.params as { uri: string }).uri, ...(q.format ? { format: q.format } : {}), meta: requestMeta(req), actor: { kind: 'citizen', id: req.citizen!.accountId, name: req.citizen!.name } });
      reply
        .type(doc.mime)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `${q.download ? 'attachment' : 'inline'}; filename="${doc.filename}"`);
      if (doc.size !== null) reply.header('content-length', String(doc.size));
      return reply.send(doc.stream);
    },
  );

  app.delete(
    '/api/v1/issued/:uri',
    { preHandler: requireCitizen(), schema: { tags, summary: 'Remove a document from the locker (the issuer keeps it; it can be fetched again)', security, params: UriParams, response: { 200: Type.Object({ removed: Type.Boolean() }), ...errors(401, 403, 404) } } },
    async (req) => {
      await removeIssuedDocument(services, { accountId: req.citizen!.accountId, uri: (req.params as { uri: string }).uri, meta: requestMeta(req), actorName: req.citizen!.name });
      return { removed: true };
    },
  );

  const aadhaarLimit = perCitizen('aadhaar-otp', 10);
  app.post(
    '/api/v1/aadhaar/otp',
    {
      preHandler: [requireCitizen(), aadhaarLimit],
      schema: {
        tags: ['Citizen: Aadhaar'],
        summary: 'Start linking Aadhaar: UIDAI sends an OTP to the Aadhaar-linked mobile (it must be this locker’s mobile)',
        security,
        body: Type.Object({ aadhaar: Type.String({ minLength: 1, maxLength: 20 }) }),
        response: { 200: Type.Object({ txn: Type.String(), masked_mobile: Type.String(), expires_in: Type.Integer() }), ...errors(400, 401, 403, 404, 429, 502, 503) },
      },
    },
    async (req) => {
      const r = await requestAadhaarOtp(services, { accountId: req.citizen!.accountId, aadhaar: (req.body as { aadhaar: string }).aadhaar });
      return { txn: r.txn, masked_mobile: r.maskedMobile, expires_in: r.expiresIn };
    },
  );

  app.post(
    '/api/v1/aadhaar/link',
    {
      preHandler: [requireCitizen(), perCitizen('aadhaar-link', 20)],
      schema: {
        tags: ['Citizen: Aadhaar'],
        summary: 'Finish linking Aadhaar with the OTP: the profile gets the verified name, date of birth, gender and photo; eAadhaar appears in Issued',
        security,
        body: Type.Object({ txn: Type.String({ minLength: 1, maxLength: 2000 }), otp: Type.String({ minLength: 1, maxLength: 10 }) }),
        response: { 200: Type.Object({ name: Type.String(), dob: Type.String(), gender: Type.String(), aadhaar_last4: Type.String(), eaadhaar_uri: Type.String() }), ...errors(400, 401, 403, 404, 409, 410, 429, 502, 503) },
      },
    },
    async (req) => {
      const b = req.body as { txn: string; otp: string };
      const r = await linkAadhaar(services, { accountId: req.citizen!.accountId, txn: b.txn, otp: b.otp, meta: requestMeta(req) });
      return { name: r.name, dob: r.dob, gender: r.gender, aadhaar_last4: r.uidLast4, eaadhaar_uri: r.eaadhaarUri };
    },
  );
}
