/**
 * /api/v1/activity/export?format=csv|json: the citizen's whole log (with the same filters
 * as /api/v1/activity), streamed page by page — never built whole in memory. CSV cells that
 * a spreadsheet would run as a formula (starting with = + - @, tab or CR) are prefixed
 * with an apostrophe.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ActivityEntry } from '../../../domain/activity/ports.ts';
import type { AppDeps } from '../../../deps.ts';
import { requireCitizen } from '../../plugins/authenticate.ts';
import { parseActivityQuery } from '../accounts/activity-routes.ts';
import { presentActivity } from '../accounts/present.ts';
import { errors } from './schemas.ts';

const ExportQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')], { description: 'Default csv' })),
    type: Type.Optional(Type.String({ maxLength: 500 })),
    from: Type.Optional(Type.String({ maxLength: 40 })),
    to: Type.Optional(Type.String({ maxLength: 40 })),
    subject_kind: Type.Optional(Type.String({ maxLength: 64 })),
    subject_id: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

export const CSV_COLUMNS = ['seq', 'at', 'type', 'actor_kind', 'actor_name', 'subject_kind', 'subject_id', 'subject_name', 'ip', 'user_agent', 'details', 'hash'] as const;

/** One CSV cell: formula-looking values defused, quotes doubled, always quoted. */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function csvRow(e: ActivityEntry): string {
  const cells = [e.seq, e.at, e.type, e.actor.kind, e.actor.name, e.subject?.kind, e.subject?.id, e.subject?.name, e.ip, e.userAgent, e.details, e.hash];
  return cells.map(csvCell).join(',') + '\r\n';
}

export function registerActivityExport(app: FastifyInstance, deps: Pick<AppDeps, 'activity'>): void {
  app.get(
    '/api/v1/activity/export',
    {
      preValidation: requireCitizen(),
      schema: {
        tags: ['Citizen: activity'],
        summary: 'Download your activity log as CSV or JSON',
        description: 'Everything matching the filters, oldest page last (newest first), streamed. CSV is spreadsheet-safe (formula-like cells are prefixed with \').',
        security: [{ session: [] }, { bearer: [] }],
        querystring: ExportQuery,
        response: { ...errors(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const q = req.query as { format?: 'csv' | 'json' } & Record<string, string | undefined>;
      const format = q.format ?? 'csv';
      const filters = parseActivityQuery({ ...(q as object) } as never);
      delete (filters as { cursor?: string }).cursor;
      const accountId = req.citizen!.accountId;
      async function* rows() {
        if (format === 'csv') yield '\ufeff' + CSV_COLUMNS.join(',') + '\r\n';
        else yield '[';
        let cursor: string | undefined;
        let first = true;
        do {
          const page = await deps.activity.list(accountId, { ...filters, limit: 100, ...(cursor ? { cursor } : {}) });
          for (const e of page.items) {
            if (format === 'csv') yield csvRow(e);
            else {
              yield (first ? '\n' : ',\n') + JSON.stringify(presentActivity(e));
              first = false;
            }
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        if (format === 'json') yield '\n]\n';
      }
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="openlocker-activity-${day}.${format}"`)
        .header('cache-control', 'private, no-store')
        .send(Readable.from(rows()));
    },
  );
}
