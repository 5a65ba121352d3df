/**
 * Routes of the Issuers section pages. Thin: read the query, call one use case, render.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getDoctype, getIssuer } from '../../domain/issuers/get-issuer.ts';
import { listIssuers } from '../../domain/issuers/list-issuers.ts';
import { isCategory, type Category } from '../../domain/issuers/model.ts';
import type { IssuerServices } from '../../wiring/issuers.ts';
import { registerMessages } from '../i18n/index.ts';
import { pageContext, sendHtml, type WebSettings } from '../render.ts';
import { issuerMessages } from './messages.ts';
import { directoryPage, doctypePage, issuerListPage, issuerPage } from './pages.ts';

registerMessages(issuerMessages);

const PER_PAGE = 20;
const ListQuery = Type.Object({
  category: Type.Optional(Type.String({ maxLength: 40 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  connected: Type.Optional(Type.String({ maxLength: 5 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
});

export function registerIssuerPages(app: FastifyInstance, services: IssuerServices, web: WebSettings): void {
  app.get('/issuers', { schema: { hide: true, querystring: ListQuery } }, async (req, reply) => {
    const query = req.query as { category?: string; q?: string; connected?: string; page?: number };
    const ctx = pageContext(req, reply, web);
    // An unknown category (an old or mistyped link) shows every issuer rather than an error.
    const category: Category | undefined = isCategory(query.category) ? query.category : undefined;
    const q = query.q?.trim() || undefined;
    const connectedOnly = Boolean(query.connected);
    if (!category && !q && !connectedOnly && query.page === undefined) {
      return sendHtml(reply, directoryPage(ctx, await services.issuers.categoryCounts()));
    }
    const page = await listIssuers(services, { ...(category ? { category } : {}), ...(q ? { q } : {}), connectedOnly, page: query.page ?? 1, perPage: PER_PAGE });
    // Past the last page (an old link, a typed number): the last page, not "showing 1,99,961–1,494".
    const last = Math.max(1, Math.ceil(page.total / PER_PAGE));
    if ((query.page ?? 1) > last) {
      const qs = new URLSearchParams({ ...(category ? { category } : {}), ...(q ? { q } : {}), ...(connectedOnly ? { connected: '1' } : {}), page: String(last) });
      return reply.redirect(`/issuers?${qs}`, 303);
    }
    return sendHtml(reply, issuerListPage(ctx, page, { ...(category ? { category } : {}), ...(q ? { q } : {}), connectedOnly }));
  });

  app.get('/issuers/:id', { schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 100 }) }) } }, async (req, reply) => {
    const issuer = await getIssuer(services, (req.params as { id: string }).id);
    return sendHtml(reply, issuerPage(pageContext(req, reply, web), issuer));
  });

  app.get('/issuers/:id/:doctype', { schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 100 }), doctype: Type.String({ maxLength: 20 }) }) } }, async (req, reply) => {
    const { id, doctype } = req.params as { id: string; doctype: string };
    const found = await getDoctype(services, id, doctype);
    return sendHtml(reply, doctypePage(pageContext(req, reply, web), found.issuer, found.doctype));
  });
}
