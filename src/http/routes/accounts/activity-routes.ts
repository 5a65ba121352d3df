/** /api/v1/activity: the citizen's own activity log, and a check of its hash chain. */
import type { FastifyInstance } from 'fastify';
import type { AccountsDeps } from '../../../domain/accounts/deps.ts';
import { AppError } from '../../../domain/errors.ts';
import { requireCitizen } from '../../plugins/authenticate.ts';
import { activityBound, presentActivity } from './present.ts';
import { ActivityPage, ActivityQuery, ChainReport, errors } from './schemas.ts';

const tags = ['Citizen: activity'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

export function parseActivityQuery(q: { type?: string; from?: string; to?: string; subject_kind?: string; subject_id?: string; cursor?: string; limit?: number }) {
  const from = activityBound(q.from, 'from');
  const to = activityBound(q.to, 'to');
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (v instanceof Error) throw new AppError('invalid', 'invalid_date', `"${name}" must be a date (YYYY-MM-DD) or an ISO-8601 time.`, { field: name });
  }
  // `to` is exclusive (a date means up to the end of that day, IST): an empty range cannot match.
  if (typeof from === 'string' && typeof to === 'string' && Date.parse(from) >= Date.parse(to)) {
    throw new AppError('invalid', 'invalid_date_range', 'The "from" date is after the "to" date: nothing can match. Swap them.', { field: 'from' });
  }
  const types = q.type ? q.type.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
  return {
    ...(types?.length ? { types } : {}),
    ...(from ? { from: from as string } : {}),
    ...(to ? { to: to as string } : {}),
    ...(q.subject_kind ? { subjectKind: q.subject_kind } : {}),
    ...(q.subject_id ? { subjectId: q.subject_id } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
    ...(q.limit ? { limit: q.limit } : {}),
  };
}

export function registerActivityRoutes(app: FastifyInstance, deps: Pick<AccountsDeps, 'activity'>): void {
  app.get(
    '/api/v1/activity',
    {
      preHandler: requireCitizen(),
      schema: {
        tags,
        summary: 'The activity log of the signed-in citizen, newest first',
        description: 'Everything that touched the locker: sign-ins, PIN changes, sign-outs, and (as other features arrive) document uploads, views, shares and partner accesses. Page with `next_cursor`.',
        security,
        querystring: ActivityQuery,
        response: { 200: ActivityPage, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const page = await deps.activity.list(req.citizen!.accountId, parseActivityQuery(req.query as never));
      return { items: page.items.map(presentActivity), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/activity/verify',
    {
      preHandler: requireCitizen(),
      schema: {
        tags,
        summary: 'Check that the activity log has not been altered',
        description: 'Recomputes the hash chain; reports `intact`, or the first entry (`first_broken.seq`) that was edited, removed or reordered.',
        security,
        response: { 200: ChainReport, ...errors(401, 403) },
      },
    },
    async (req) => {
      const v = await deps.activity.verify(req.citizen!.accountId);
      return v.intact ? { intact: true, count: v.count, head: v.head } : { intact: false, count: v.count, first_broken: v.firstBroken };
    },
  );
}
