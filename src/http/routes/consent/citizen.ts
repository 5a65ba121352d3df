/**
 * The citizen's consents, as JSON (`/api/v1/consents`) and as the Connected organisations
 * page (`/connected`). Withdrawing is DELETE /api/v1/consents/{id} or the page's form; the
 * partner's tokens stop working at once. "Not found" and "not yours" answer the same.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getConsent, listConsents, type ConsentView } from '../../../domain/consent/list-consents.ts';
import { revokeConsent } from '../../../domain/consent/revoke-consent.ts';
import type { ConsentServices } from '../../../wiring/consent.ts';
import { connectedPage, revokedNotice } from '../../../web/consent/connected-page.ts';
import { pageContext, sendHtml, type WebSettings } from '../../../web/render.ts';
import { requireCitizen, requireCitizenPage } from '../../plugins/authenticate.ts';

const ErrorSchema = Type.Object({ error: Type.String(), error_description: Type.String() }, { additionalProperties: true });
const ConsentSchema = Type.Object({
  id: Type.String(),
  partner: Type.Object({ client_id: Type.String(), name: Type.String(), type: Type.String() }),
  purpose: Type.String(),
  scopes: Type.Array(Type.String()),
  documents: Type.Array(Type.Object({}, { additionalProperties: true })),
  flow: Type.String(),
  state: Type.String(),
  granted_at: Type.String(),
  valid_till: Type.String(),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
  revoked_by: Type.Union([Type.String(), Type.Null()]),
  reference_key: Type.String(),
  accesses: Type.Array(Type.Object({ at: Type.String(), action: Type.String(), subject: Type.Union([Type.String(), Type.Null()]), ip: Type.Union([Type.String(), Type.Null()]) })),
});
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function presentConsent(v: ConsentView) {
  const c = v.consent;
  return {
    id: c.id,
    partner: { client_id: v.partner.id, name: v.partner.name, type: v.partner.type },
    purpose: c.purpose,
    scopes: c.scopes,
    documents: c.documents as unknown as Array<Record<string, unknown>>,
    flow: c.flow,
    state: v.state,
    granted_at: c.grantedAt,
    valid_till: c.validTill,
    revoked_at: c.revokedAt,
    revoked_by: c.revokedBy,
    reference_key: c.referenceKey,
    accesses: v.accesses.map((a) => ({ at: a.at, action: a.action, subject: a.subject, ip: a.ip })),
  };
}

export function registerCitizenConsentRoutes(app: FastifyInstance, s: ConsentServices, web: WebSettings): void {
  const tags = ['consents'];
  const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];
  const meta = (req: { ip: string; headers: Record<string, string | string[] | undefined> }) => ({ ip: req.ip, userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null });

  app.get(
    '/api/v1/consents',
    { preHandler: requireCitizen(), schema: { tags, security, summary: 'Your consents to organisations, each with every access made under it', response: { 200: Type.Object({ items: Type.Array(ConsentSchema) }), 401: ErrorSchema } } },
    async (req) => ({ items: (await listConsents(s, req.citizen!.accountId)).map(presentConsent) }),
  );

  app.get(
    '/api/v1/consents/:id',
    { preHandler: requireCitizen(), schema: { tags, security, summary: 'One consent', params: IdParams, response: { 200: ConsentSchema, 401: ErrorSchema, 404: ErrorSchema } } },
    async (req) => presentConsent(await getConsent(s, req.citizen!.accountId, (req.params as { id: string }).id)),
  );

  app.get(
    '/api/v1/consents/:id/receipt',
    { preHandler: requireCitizen(), schema: { tags, security, summary: 'The signed consent receipt (compact JWS, EdDSA; verify with /public/oauth2/jwks)', params: IdParams, response: { 401: ErrorSchema, 404: ErrorSchema } } },
    async (req, reply) => {
      const v = await getConsent(s, req.citizen!.accountId, (req.params as { id: string }).id);
      return reply.type('application/jose; charset=utf-8').header('content-disposition', `attachment; filename="consent-${v.consent.id}.jws"`).send(v.consent.receipt);
    },
  );

  app.delete(
    '/api/v1/consents/:id',
    { preHandler: requireCitizen(), schema: { tags, security, summary: 'Withdraw a consent: the organisation’s tokens stop working at once', params: IdParams, response: { 200: ConsentSchema, 401: ErrorSchema, 404: ErrorSchema } } },
    async (req) => {
      const accountId = req.citizen!.accountId;
      const { id } = req.params as { id: string };
      await getConsent(s, accountId, id);
      await revokeConsent(s, { accountId, consentId: id, ...meta(req) });
      return presentConsent(await getConsent(s, accountId, id));
    },
  );

  app.get('/connected', { schema: { hide: true }, preHandler: requireCitizenPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, web);
    const views = await listConsents(s, req.citizen!.accountId);
    const q = req.query as { revoked?: string };
    const revoked = q.revoked ? views.find((v) => v.consent.id === q.revoked) : undefined;
    return sendHtml(reply, connectedPage(ctx, { views, ...(revoked ? { notices: revokedNotice(ctx, revoked.partner.name) } : {}) }));
  });

  app.post('/connected/:id/revoke', { schema: { hide: true }, preHandler: [requireCitizenPage(), app.csrfProtection] }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const accountId = req.citizen!.accountId;
    await getConsent(s, accountId, id);
    await revokeConsent(s, { accountId, consentId: id, ...meta(req) });
    return reply.redirect(`/connected?revoked=${encodeURIComponent(id)}`, 303);
  });
}
