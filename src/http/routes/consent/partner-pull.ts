/**
 *   POST /public/oauth2/1/pull/pulldocument   Bearer; form orgid, doctype, consent=Y, + the doc type's parameters → {uri}
 *
 * rate-limit → authorizePartnerAccess → pullForPartner (the issued module's pull use case)
 * → record the access → `{uri}`.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { authorizePartnerAccess } from '../../../domain/consent/authorize-partner-access.ts';
import { pullForPartner, pullParams, type PartnerPullDeps } from '../../../domain/consent/pull-for-partner.ts';
import { recordPartnerAccess } from '../../../domain/consent/record-partner-access.ts';
import type { ConsentServices } from '../../../wiring/consent.ts';
import { limitBy } from '../../plugins/limits.ts';
import { bearerOf } from './partner-api.ts';

const ErrorSchema = Type.Object({ error: Type.String(), error_description: Type.String() }, { additionalProperties: true });

export function registerPartnerPull(app: FastifyInstance, s: ConsentServices, deps: PartnerPullDeps): void {
  // Each pull calls an issuer: counted exactly across instances, per IP.
  const limit = limitBy(s, { name: 'partner-pull-ip', max: 60, windowMs: 60_000 });
  app.post(
    '/public/oauth2/1/pull/pulldocument',
    {
      config: { citizenAuth: false },
      preHandler: limit,
      schema: {
        tags: ['partner API'],
        security: [{ bearer: [] }],
        summary: 'Search an issuer for the citizen’s document and save it in their Issued documents → {uri}',
        description: 'Form (or JSON) fields orgid, doctype, consent=Y and each paramname of 1/pull/parameters. Needs partners.<DOCTYPE> (ticked by the citizen) or files.issueddocs.',
        response: { 200: Type.Object({ uri: Type.String() }), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema, 502: ErrorSchema, 503: ErrorSchema, 504: ErrorSchema },
      },
    },
    async (req) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const a = await authorizePartnerAccess(s, bearerOf(req));
      const userAgent = req.headers['user-agent'] ?? null;
      const r = await pullForPartner(deps, a, { orgid: body.orgid, doctype: body.doctype, consent: body.consent, params: pullParams(body), ip: req.ip, userAgent });
      await recordPartnerAccess(s, a, { action: 'pull', subject: r.uri, ip: req.ip, userAgent });
      return r;
    },
  );
}
