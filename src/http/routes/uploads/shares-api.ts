/** /api/v1/shares: share a document by email, list, change expiry, revoke. */
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../../domain/errors.ts';
import { createShare } from '../../../domain/sharing/create-share.ts';
import { changeShareExpiry, revokeShare } from '../../../domain/sharing/manage-shares.ts';
import type { ShareDeps } from '../../../domain/sharing/ports.ts';
import { limitBy } from '../../plugins/limits.ts';
import { requireCitizen } from '../../plugins/authenticate.ts';
import { whoOf } from './context.ts';
import { presentShare } from './present.ts';
import { errors, IdParams, ShareBody, ShareCreated, ShareItem, ShareList, SharePatchBody } from './schemas.ts';

const tags = ['Citizen: sharing'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

export function registerShareApi(app: FastifyInstance, deps: ShareDeps): void {
  const signedIn = requireCitizen();
  // Sharing sends email to any address: a per-citizen cap keeps a locker from becoming a mailer.
  const sendCap = limitBy(deps, { name: 'share-create', max: 50, windowMs: 3600_000, key: (req) => req.citizen?.accountId ?? null, code: 'too_many_shares', message: 'You have shared many documents in the last hour. Try again later.' });

  app.post(
    '/api/v1/shares',
    {
      preValidation: signedIn,
      preHandler: sendCap,
      schema: {
        tags,
        summary: 'Share an issued (`uri`) or uploaded (`upload_id`) document by email',
        description:
          'Emails the recipient a link `/s/{token}` (the token is random, 256-bit, stored only as a hash). Expiry defaults to 7 days. ' +
          'An `access_code` is never emailed: pass it on yourself, by another channel. A document that is not yours answers 404 like one that does not exist.',
        security,
        body: ShareBody,
        response: { 201: ShareCreated, ...errors(400, 401, 403, 404, 429, 502) },
      },
    },
    async (req, reply) => {
      const b = req.body as { upload_id?: string; uri?: string; email: string; expires_in_days?: number; access_code?: string; max_views?: number };
      if ((b.upload_id === undefined) === (b.uri === undefined)) throw invalid('document_required', 'Name one document: either "upload_id" or "uri".');
      const { share } = await createShare(deps, {
        ...whoOf(req),
        source: b.upload_id !== undefined ? 'uploaded' : 'issued',
        ref: (b.upload_id ?? b.uri)!,
        email: b.email,
        expiresInDays: b.expires_in_days,
        accessCode: b.access_code,
        maxViews: b.max_views,
      });
      return reply.code(201).send({ id: share.id, expires_at: share.expiresAt });
    },
  );

  app.get(
    '/api/v1/shares',
    { preValidation: signedIn, schema: { tags, summary: 'Everything you have shared, newest first', security, response: { 200: ShareList, ...errors(401, 403) } } },
    async (req) => {
      const now = deps.clock.now();
      return { items: (await deps.shares.list(req.citizen!.accountId)).map((s) => presentShare(s, now)) };
    },
  );

  app.patch(
    '/api/v1/shares/:id',
    { preValidation: signedIn, schema: { tags, summary: 'Change how long the link works (days from now)', security, params: IdParams, body: SharePatchBody, response: { 200: ShareItem, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => presentShare(await changeShareExpiry(deps, whoOf(req), (req.params as { id: string }).id, (req.body as { expires_in_days: number }).expires_in_days), deps.clock.now()),
  );

  app.delete(
    '/api/v1/shares/:id',
    { preValidation: signedIn, schema: { tags, summary: 'Revoke: the link stops working at once', security, params: IdParams, response: { 204: { type: 'null' }, ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await revokeShare(deps, whoOf(req), (req.params as { id: string }).id);
      return reply.code(204).send();
    },
  );
}
