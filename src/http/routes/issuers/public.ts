/**
 * The public issuer directory (no sign-in): what citizens browse before fetching a
 * document, and what apps use to build pull forms. Only public facts leave here — never
 * endpoints or keys (the response schemas drop anything else).
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { CATEGORY_LABELS } from '../../../domain/issuers/categories.ts';
import { getIssuer } from '../../../domain/issuers/get-issuer.ts';
import { listIssuers } from '../../../domain/issuers/list-issuers.ts';
import type { Category } from '../../../domain/issuers/model.ts';
import type { IssuerServices } from '../../../wiring/issuers.ts';
import { presentDoctype, presentPublicIssuer, presentSummary } from './present.ts';
import { CategorySchema, DoctypeSchema, ErrorSchema, IdParams, IssuerPageSchema, PageQuery, PublicIssuerSchema } from './schemas.ts';

/** Directory answers may be cached briefly by browsers and proxies: cheaper on slow networks. */
const CACHE = 'public, max-age=60';

export function registerIssuerPublicRoutes(app: FastifyInstance, services: IssuerServices): void {
  const tags = ['issuers'];

  app.get(
    '/api/v1/issuers',
    {
      schema: {
        tags,
        summary: 'Browse and search the issuer directory',
        description: 'Active issuers, connected ones first, then by name. Filter by category, search words, or connected only.',
        querystring: PageQuery,
        response: { 200: IssuerPageSchema, 400: ErrorSchema },
      },
    },
    async (req, reply) => {
      const q = req.query as { category?: Category; q?: string; connected?: boolean; page?: number; per_page?: number };
      const page = await listIssuers(services, { ...(q.category ? { category: q.category } : {}), ...(q.q ? { q: q.q } : {}), ...(q.connected ? { connectedOnly: true } : {}), page: q.page ?? 1, perPage: q.per_page ?? 20 });
      reply.header('cache-control', CACHE);
      return { items: page.items.map(presentSummary), page: page.page, per_page: page.perPage, total: page.total };
    },
  );

  app.get(
    '/api/v1/issuers/categories',
    {
      schema: {
        tags,
        summary: 'Issuer categories with their counts',
        response: { 200: Type.Object({ categories: Type.Array(Type.Object({ id: CategorySchema, name: Type.String(), name_hi: Type.String(), issuers: Type.Integer(), connected: Type.Integer() })) }) },
      },
    },
    async (_req, reply) => {
      const counts = await services.issuers.categoryCounts();
      reply.header('cache-control', CACHE);
      return {
        categories: (Object.keys(CATEGORY_LABELS) as Category[])
          .map((id) => ({ id, name: CATEGORY_LABELS[id].en, name_hi: CATEGORY_LABELS[id].hi, issuers: counts.find((c) => c.category === id)?.issuers ?? 0, connected: counts.find((c) => c.category === id)?.connected ?? 0 }))
          .filter((c) => c.issuers > 0),
      };
    },
  );

  app.get(
    '/api/v1/issuers/:id',
    { schema: { tags, summary: 'One issuer with its document types', params: IdParams, response: { 200: PublicIssuerSchema, 404: ErrorSchema } } },
    async (req, reply) => {
      const issuer = await getIssuer(services, (req.params as { id: string }).id);
      reply.header('cache-control', CACHE);
      return presentPublicIssuer(issuer);
    },
  );

  app.get(
    '/api/v1/issuers/:id/doctypes',
    {
      schema: {
        tags,
        summary: "An issuer's document types and the search parameters each needs",
        description: 'Each parameter: name (the element sent to the issuer), label, example, pattern, allowed values. profile_fields are filled by the locker from the verified profile.',
        params: IdParams,
        response: { 200: Type.Object({ issuer_id: Type.String(), connected: Type.Boolean(), doctypes: Type.Array(DoctypeSchema) }), 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      const issuer = await getIssuer(services, (req.params as { id: string }).id);
      reply.header('cache-control', CACHE);
      return { issuer_id: issuer.id, connected: issuer.connected, doctypes: issuer.doctypes.map(presentDoctype) };
    },
  );
}
