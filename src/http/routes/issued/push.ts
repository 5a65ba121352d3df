/**
 * Push (issuer → locker):
 *   POST /public/account/1/pushuri        DigiLocker's single push: multipart or form (or JSON)
 *                                         clientid, ts, hmac, digilockerid, uri, docid, issuedate, action A/U/D
 *   POST /public/account/1/pushuri/bulk   JSON {clientid, ts, hmac, items: [{digilockerid|mobile, uri, docname?, issuedate?, action?}]}
 *                                         up to 10,000 rows; rows are accepted or rejected one by one
 *   POST /public/account/1/provision       JSON {clientid, ts, hmac, students: [{mobile, name, dob, gender, roll_no, uris}]}
 *                                         a board pre-provisions lockers (first PIN = last 6 digits of the roll number)
 *   POST /api/v1/admin/issuers/{id}/push-credential   (admin) a new push clientid + secret, shown once
 * For millions of rows, `openlocker push import FILE.csv` streams a CSV in batches.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../../deps.ts';
import type { IssuedDeps } from '../../../domain/issued/deps.ts';
import { authenticatePushClient, pushBatch, pushUri, setPushCredential, type PushRow } from '../../../domain/issued/push-uri.ts';
import { provisionStudents } from '../../../domain/issued/provision-students.ts';
import { requireAdmin } from '../../plugins/admin-auth.ts';
import { limitBy } from '../../plugins/limits.ts';
import { errors } from '../accounts/schemas.ts';

const tags = ['Issuer: push'];
const MAX_BULK = 10_000;

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export function registerPushRoutes(app: FastifyInstance, services: IssuedDeps, deps: AppDeps): void {
  const limit = limitBy(deps, { name: 'push-ip', max: 100_000, windowMs: 60_000 });

  void app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 1024, files: 0, fields: 20 } });
    scope.post(
      '/public/account/1/pushuri',
      {
        preHandler: limit,
        schema: {
          tags,
          summary: 'Push (add, update or delete) one document URI into a citizen’s locker',
          description: 'As DigiLocker’s `account/1/pushuri`: form fields `clientid`, `ts` (UNIX seconds, within 30 minutes), `hmac` (hex SHA-256 of client secret + clientid + ts), `digilockerid`, `uri`, `docid`, `issuedate` (DDMMYYYY), `validfrom`, `validto`, `action` (A/U/D). Multipart, URL-encoded or JSON. The URI must be in the pushing issuer’s namespace.',
          consumes: ['multipart/form-data', 'application/x-www-form-urlencoded', 'application/json'],
          response: { 200: Type.Object({ status: Type.String(), action: Type.String(), uri: Type.String() }), ...errors(400, 401, 404) },
        },
      },
      async (req) => {
        const f = (req.body ?? {}) as Record<string, unknown>;
        const issuer = await authenticatePushClient(services, { clientid: str(f.clientid), ts: str(f.ts), hmac: str(f.hmac) });
        const row: PushRow = { uri: str(f.uri) ?? '' };
        const id = str(f.digilockerid);
        if (id) row.digilockerid = id;
        const issuedate = str(f.issuedate);
        if (issuedate) row.issuedate = issuedate;
        const action = str(f.action);
        if (action) row.action = action;
        const docname = str(f.description) ?? str(f.docname);
        if (docname) row.docname = docname;
        const r = await pushUri(services, issuer, row, { ip: req.ip });
        return { status: 'success', action: r.action, uri: r.uri };
      },
    );
  });

  const BulkItem = Type.Object({
    digilockerid: Type.Optional(Type.String({ maxLength: 64 })),
    mobile: Type.Optional(Type.String({ maxLength: 20 })),
    uri: Type.String({ maxLength: 512 }),
    docname: Type.Optional(Type.String({ maxLength: 200 })),
    issuedate: Type.Optional(Type.String({ maxLength: 10 })),
    action: Type.Optional(Type.String({ maxLength: 6 })),
  });
  app.post(
    '/public/account/1/pushuri/bulk',
    {
      preHandler: limit,
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Push many URIs at once (mass issuance)',
        description: `JSON \`{clientid, ts, hmac, items}\` with up to ${MAX_BULK} items; each names the citizen by \`digilockerid\` or by the \`mobile\` the issuer registered. Rows are accepted or rejected one by one; the answer lists rejected rows with a code.`,
        body: Type.Object({ clientid: Type.String({ maxLength: 64 }), ts: Type.Union([Type.String({ maxLength: 12 }), Type.Integer()]), hmac: Type.String({ maxLength: 128 }), items: Type.Array(BulkItem, { maxItems: MAX_BULK }) }),
        response: { 200: Type.Object({ written: Type.Integer(), deleted: Type.Integer(), rejected: Type.Array(Type.Object({ row: Type.Integer(), uri: Type.String(), error: Type.String() })) }), ...errors(400, 401) },
      },
    },
    async (req) => {
      const b = req.body as { clientid: string; ts: string | number; hmac: string; items: PushRow[] };
      const issuer = await authenticatePushClient(services, { clientid: b.clientid, ts: String(b.ts), hmac: b.hmac });
      const out = { written: 0, deleted: 0, rejected: [] as Array<{ row: number; uri: string; error: string }> };
      for (let i = 0; i < b.items.length; i += 1000) {
        const r = await pushBatch(services, issuer, b.items.slice(i, i + 1000), i + 1);
        out.written += r.written;
        out.deleted += r.deleted;
        out.rejected.push(...r.rejected);
      }
      return out;
    },
  );

  const Student = Type.Object({
    mobile: Type.String({ maxLength: 20 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    dob: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
    gender: Type.Union([Type.Literal('M'), Type.Literal('F'), Type.Literal('T')]),
    roll_no: Type.String({ minLength: 6, maxLength: 20 }),
    uris: Type.Array(Type.String({ maxLength: 512 }), { maxItems: 20 }),
  });
  app.post(
    '/public/account/1/provision',
    {
      preHandler: limit,
      schema: {
        tags,
        summary: 'Pre-provision students’ lockers (a board): the mobile registered with the board signs in with an OTP and the last 6 digits of the roll number as first PIN, changed at once',
        body: Type.Object({ clientid: Type.String({ maxLength: 64 }), ts: Type.Union([Type.String({ maxLength: 12 }), Type.Integer()]), hmac: Type.String({ maxLength: 128 }), students: Type.Array(Student, { maxItems: 1000 }) }),
        response: { 200: Type.Object({ created: Type.Integer(), existing: Type.Integer(), documents: Type.Integer(), rejected: Type.Array(Type.Object({ mobile: Type.String(), error: Type.String() })) }), ...errors(400, 401) },
      },
    },
    async (req) => {
      const b = req.body as { clientid: string; ts: string | number; hmac: string; students: Array<{ mobile: string; name: string; dob: string; gender: 'M' | 'F' | 'T'; roll_no: string; uris: string[] }> };
      const issuer = await authenticatePushClient(services, { clientid: b.clientid, ts: String(b.ts), hmac: b.hmac });
      return provisionStudents({ ...services, pinHasher: deps.pinHasher }, issuer, b.students.map((s) => ({ mobile: s.mobile, name: s.name, dob: s.dob, gender: s.gender, rollNo: s.roll_no, uris: s.uris })));
    },
  );

  app.post(
    '/api/v1/admin/issuers/:id/push-credential',
    {
      preHandler: requireAdmin(deps),
      schema: {
        tags: ['admin: issuers'],
        security: [{ admin: [] }],
        summary: 'Create (or replace) the issuer’s push credential; the secret is shown only in this answer',
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        response: { 200: Type.Object({ issuer_id: Type.String(), client_id: Type.String(), client_secret: Type.String() }), ...errors(401, 404) },
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      const c = await setPushCredential(services, id);
      return { issuer_id: id, client_id: c.clientId, client_secret: c.clientSecret };
    },
  );
}
