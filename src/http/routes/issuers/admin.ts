/**
 * The operator's issuer API (admin bearer token): register or replace an issuer — live at
 * once — list and read registrations (keys never returned, only a hint), disable and
 * enable. Each route: authenticate → validate → one use case → present.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getIssuer } from '../../../domain/issuers/get-issuer.ts';
import { listIssuers } from '../../../domain/issuers/list-issuers.ts';
import type { Category } from '../../../domain/issuers/model.ts';
import { registerIssuer } from '../../../domain/issuers/register-issuer.ts';
import { setIssuerStatus } from '../../../domain/issuers/set-issuer-status.ts';
import type { IssuerServices } from '../../../wiring/issuers.ts';
import { requireAdmin } from '../../plugins/admin-auth.ts';
import type { LimitDeps } from '../../plugins/limits.ts';
import { presentAdminIssuer, presentSummary } from './present.ts';
import { AdminIssuerInput, AdminIssuerPageSchema, AdminIssuerSchema, AdminListQuery, ErrorSchema, IdParams } from './schemas.ts';

const errors = { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema };

export function registerIssuerAdminRoutes(app: FastifyInstance, services: IssuerServices, auth: LimitDeps & { adminToken: string }): void {
  const preHandler = requireAdmin(auth);
  const tags = ['admin: issuers'];
  const security = [{ admin: [] }];

  app.post(
    '/api/v1/admin/issuers',
    {
      preHandler,
      schema: {
        tags,
        security,
        summary: 'Register an issuer, or replace its registration (live at once)',
        description: 'Creates the issuer or replaces it whole, with its document types. With endpoints and an HMAC key the issuer is connected immediately. The key is stored sealed and never returned.',
        body: AdminIssuerInput,
        response: { 200: AdminIssuerSchema, 201: AdminIssuerSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { created, issuer } = await registerIssuer(services, req.body, 'admin');
      return reply.code(created ? 201 : 200).send(presentAdminIssuer(issuer));
    },
  );

  app.get(
    '/api/v1/admin/issuers',
    { preHandler, schema: { tags, security, summary: 'List registered issuers, disabled ones included', querystring: AdminListQuery, response: { 200: AdminIssuerPageSchema, ...errors } } },
    async (req) => {
      const q = req.query as { category?: Category; q?: string; connected?: boolean; page?: number; per_page?: number };
      const page = await listIssuers(services, { ...q, ...(q.connected ? { connectedOnly: true } : {}), includeDisabled: true, page: q.page ?? 1, perPage: q.per_page ?? 20 });
      return { items: page.items.map((i) => ({ ...presentSummary(i), status: i.status, source: i.source })), page: page.page, per_page: page.perPage, total: page.total };
    },
  );

  app.get(
    '/api/v1/admin/issuers/:id',
    { preHandler, schema: { tags, security, summary: 'One registration with its document types and endpoints', params: IdParams, response: { 200: AdminIssuerSchema, ...errors } } },
    async (req) => presentAdminIssuer(await getIssuer(services, (req.params as { id: string }).id, { includeDisabled: true })),
  );

  for (const [action, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    app.post(
      `/api/v1/admin/issuers/:id/${action}`,
      {
        preHandler,
        schema: {
          tags,
          security,
          summary: action === 'disable' ? 'Disable an issuer: hidden from the directory, no longer called' : 'Enable a disabled issuer again',
          params: IdParams,
          response: { 200: Type.Object({ id: Type.String(), status: Type.String() }), ...errors },
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        await setIssuerStatus(services, id, status);
        return { id, status };
      },
    );
  }
}
