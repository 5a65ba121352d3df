/**
 * The operator's partner API (admin bearer token) and the public application endpoint.
 *
 *   POST /api/v1/admin/partners                      create an approved partner → client id + secret (once)
 *   GET  /api/v1/admin/partners[?status=]            list      GET /api/v1/admin/partners/{id}
 *   POST /api/v1/admin/partners/{id}/approve         pending|suspended → approved (+ secret on first approval)
 *   POST /api/v1/admin/partners/{id}/suspend|revoke|reject
 *   POST /api/v1/admin/partners/{id}/rotate-secret   new secret (once); the old one stops at once
 *   POST /api/v1/partners/applications               an organisation applies (pending)
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PARTNER_STATUSES, type Partner, type PartnerStatus } from '../../../domain/consent/model.ts';
import { applyForPartnership, approvePartner, partnerNotFound, registerPartner, rotatePartnerSecret } from '../../../domain/consent/register-partner.ts';
import { setPartnerStatus } from '../../../domain/consent/set-partner-status.ts';
import type { ConsentServices } from '../../../wiring/consent.ts';
import { requireAdmin } from '../../plugins/admin-auth.ts';
import { limitBy } from '../../plugins/limits.ts';

const ErrorSchema = Type.Object({ error: Type.String(), error_description: Type.String() }, { additionalProperties: true });
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Union([t, Type.Null()]);
export const PartnerSchema = Type.Object({
  client_id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  status: Type.String(),
  status_reason: Nullable(Type.String()),
  redirect_uris: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  doctypes: Type.Array(Type.String()),
  purpose: Type.String(),
  contact_name: Nullable(Type.String()),
  contact_email: Nullable(Type.String()),
  contact_phone: Nullable(Type.String()),
  secret_set: Type.Boolean(),
  secret_hint: Nullable(Type.String()),
  secret_created_at: Nullable(Type.String()),
  pkce_compat: Type.String(),
  source: Type.String(),
  created_at: Type.String(),
  approved_at: Nullable(Type.String()),
});
const PartnerInputSchema = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    type: Type.String({ maxLength: 20 }),
    redirect_uris: Type.Array(Type.String({ maxLength: 600 }), { maxItems: 20 }),
    scopes: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }),
    doctypes: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 200 })),
    purpose: Type.String({ maxLength: 1000 }),
    contact_name: Type.Optional(Type.String({ maxLength: 200 })),
    contact_email: Type.Optional(Type.String({ maxLength: 300 })),
    contact_phone: Type.Optional(Type.String({ maxLength: 40 })),
    pkce_compat: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);
const Credentials = Type.Object({ client_id: Type.String(), client_secret: Type.String(), partner: PartnerSchema });
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function presentPartner(p: Partner) {
  return {
    client_id: p.id,
    name: p.name,
    type: p.type,
    status: p.status,
    status_reason: p.statusReason,
    redirect_uris: p.redirectUris,
    scopes: p.scopes,
    doctypes: p.doctypes,
    purpose: p.purpose,
    contact_name: p.contactName,
    contact_email: p.contactEmail,
    contact_phone: p.contactPhone,
    secret_set: p.secretHash !== null,
    secret_hint: p.secretHint,
    secret_created_at: p.secretCreatedAt,
    pkce_compat: p.pkceCompat,
    source: p.source,
    created_at: p.createdAt,
    approved_at: p.approvedAt,
  };
}

export function registerPartnerAdminRoutes(app: FastifyInstance, s: ConsentServices, auth: { adminToken: string }): void {
  const preHandler = requireAdmin({ counters: s.counters, clock: s.clock, adminToken: auth.adminToken });
  const tags = ['admin: partners'];
  const security = [{ admin: [] }];
  const errors = { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema };

  app.post(
    '/api/v1/admin/partners',
    { preHandler, schema: { tags, security, summary: 'Create an approved partner; the client secret is returned this once', body: PartnerInputSchema, response: { 201: Credentials, ...errors } } },
    async (req, reply) => {
      const c = await registerPartner(s, req.body as Record<string, unknown>);
      return reply.code(201).send({ client_id: c.clientId, client_secret: c.clientSecret, partner: presentPartner(c.partner) });
    },
  );

  app.get(
    '/api/v1/admin/partners',
    {
      preHandler,
      schema: {
        tags,
        security,
        summary: 'List partners and applications, newest first',
        querystring: Type.Object({ status: Type.Optional(Type.String()), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })), per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
        response: { 200: Type.Object({ items: Type.Array(PartnerSchema), total: Type.Integer(), page: Type.Integer(), per_page: Type.Integer() }), ...errors },
      },
    },
    async (req) => {
      const q = req.query as { status?: string; page?: number; per_page?: number };
      const status = q.status && (PARTNER_STATUSES as readonly string[]).includes(q.status) ? (q.status as PartnerStatus) : undefined;
      const page = q.page ?? 1;
      const perPage = q.per_page ?? 50;
      const r = await s.partners.list({ ...(status ? { status } : {}), offset: (page - 1) * perPage, limit: perPage });
      return { items: r.items.map(presentPartner), total: r.total, page, per_page: perPage };
    },
  );

  app.get('/api/v1/admin/partners/:id', { preHandler, schema: { tags, security, summary: 'One partner', params: IdParams, response: { 200: PartnerSchema, ...errors } } }, async (req) => {
    const p = await s.partners.get((req.params as { id: string }).id);
    if (!p) throw partnerNotFound();
    return presentPartner(p);
  });

  app.post(
    '/api/v1/admin/partners/:id/approve',
    { preHandler, schema: { tags, security, summary: 'Approve a pending or suspended partner (a first approval returns the client secret, once)', params: IdParams, response: { 200: Type.Object({ partner: PartnerSchema, client_id: Type.String(), client_secret: Nullable(Type.String()) }), ...errors } } },
    async (req) => {
      const r = await approvePartner(s, (req.params as { id: string }).id);
      return { partner: presentPartner(r.partner), client_id: r.partner.id, client_secret: r.clientSecret };
    },
  );

  for (const action of ['suspend', 'revoke', 'reject'] as const) {
    app.post(
      `/api/v1/admin/partners/:id/${action}`,
      {
        preHandler,
        schema: {
          tags,
          security,
          summary:
            action === 'suspend'
              ? 'Suspend a partner: every token it holds is refused at once'
              : action === 'revoke'
                ? 'Revoke a partner for good: its consents are revoked and tokens deleted'
                : 'Reject a pending application',
          params: IdParams,
          body: Type.Union([Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), Type.Null()]),
          response: { 200: PartnerSchema, ...errors },
        },
      },
      async (req) => presentPartner(await setPartnerStatus(s, (req.params as { id: string }).id, action, (req.body as { reason?: string } | null | undefined)?.reason ?? null)),
    );
  }

  app.post(
    '/api/v1/admin/partners/:id/rotate-secret',
    { preHandler, schema: { tags, security, summary: 'Issue a new client secret (returned once); the old one stops working at once', params: IdParams, response: { 200: Credentials, ...errors } } },
    async (req) => {
      const c = await rotatePartnerSecret(s, (req.params as { id: string }).id);
      return { client_id: c.clientId, client_secret: c.clientSecret, partner: presentPartner(c.partner) };
    },
  );

  app.post(
    '/api/v1/partners/applications',
    {
      preHandler: limitBy(s, { name: 'partner-apply-ip', max: 10, windowMs: 3600_000 }),
      schema: {
        tags: ['partners'],
        summary: 'Apply to become a partner (pending until an administrator approves)',
        body: PartnerInputSchema,
        response: { 201: Type.Object({ application_id: Type.String(), status: Type.String() }), 400: ErrorSchema, 429: ErrorSchema },
      },
      config: { citizenAuth: false },
    },
    async (req, reply) => {
      const body = { ...(req.body as Record<string, unknown>) };
      delete body.pkce_compat; // an administrator's decision, not the applicant's
      const p = await applyForPartnership(s, body);
      return reply.code(201).send({ application_id: p.id, status: p.status });
    },
  );
}
