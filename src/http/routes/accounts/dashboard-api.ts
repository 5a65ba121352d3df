/**
 * GET /api/v1/dashboard: what the dashboard page shows, as JSON for apps — issued documents
 * (count, by issuer, the latest), uploads (count, bytes), the latest activity, and each
 * registered dashboard card's data (storage and quota, active shares, connected
 * organisations…) under the card's id. A source or card that fails is reported as
 * `unavailable` for that part only; the rest still answers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ActivityLog } from '../../../domain/activity/ports.ts';
import type { DocumentSources, LockerDocument } from '../../../domain/documents/sources.ts';
import type { DashboardCards } from '../../../web/dashboard/cards.ts';
import { requireCitizen } from '../../plugins/authenticate.ts';
import { presentActivity } from './present.ts';
import { ActivityItem, errors } from './schemas.ts';

const RECENT = 5;

const RecentDocument = Type.Object({
  source: Type.String(),
  ref: Type.String({ description: 'The DigiLocker URI of an issued document, or the id of an upload' }),
  name: Type.String(),
  doctype: Type.Union([Type.String(), Type.Null()]),
  issuer: Type.Union([Type.String(), Type.Null()]),
  date: Type.String(),
});

const Part = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Union([Type.Object(props), Type.Object({ unavailable: Type.Literal(true) })]);

const Dashboard = Type.Object({
  name: Type.String(),
  issued: Part({
    count: Type.Integer(),
    by_issuer: Type.Array(Type.Object({ issuer_id: Type.Union([Type.String(), Type.Null()]), issuer: Type.Union([Type.String(), Type.Null()]), count: Type.Integer() })),
    recent: Type.Array(RecentDocument),
  }),
  uploaded: Part({ count: Type.Integer(), folders: Type.Integer(), bytes: Type.Integer(), recent: Type.Array(RecentDocument) }),
  recent_activity: Type.Array(ActivityItem),
  cards: Type.Record(Type.String(), Type.Unknown(), { description: 'Each dashboard card’s data by card id (e.g. `uploaded`: storage used and quota; `shared`: active shares)' }),
});

const recent = (docs: LockerDocument[]) =>
  [...docs]
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
    .slice(0, RECENT)
    .map((d) => ({ source: d.source, ref: d.ref, name: d.name, doctype: d.doctype, issuer: d.issuerName, date: d.date }));

export function registerDashboardApi(app: FastifyInstance, deps: { activity: ActivityLog; documents: DocumentSources; cards: DashboardCards }): void {
  const part = async <T>(req: FastifyRequest, what: string, fn: () => Promise<T>): Promise<T | { unavailable: true }> => {
    try {
      return await fn();
    } catch (err) {
      req.log.warn({ err, part: what }, 'dashboard part unavailable');
      return { unavailable: true };
    }
  };

  app.get(
    '/api/v1/dashboard',
    {
      preHandler: requireCitizen(),
      schema: {
        tags: ['Citizen: profile'],
        summary: 'The signed-in citizen’s dashboard: documents by issuer, uploads, storage, shares and recent activity',
        security: [{ session: [] }, { bearer: [] }],
        response: { 200: Dashboard, ...errors(401, 403) },
      },
    },
    async (req) => {
      const c = req.citizen!;
      const issuedSource = deps.documents.get('issued');
      const uploadedSource = deps.documents.get('uploaded');
      const [issued, uploaded, activity, cards] = await Promise.all([
        part(req, 'issued', async () => {
          const docs = issuedSource ? await issuedSource.list(c.accountId) : [];
          const byIssuer = new Map<string, { issuer_id: string | null; issuer: string | null; count: number }>();
          for (const d of docs) {
            const k = d.issuerId ?? '';
            const row = byIssuer.get(k) ?? { issuer_id: d.issuerId, issuer: d.issuerName, count: 0 };
            row.count++;
            byIssuer.set(k, row);
          }
          return { count: docs.length, by_issuer: [...byIssuer.values()].sort((a, b) => b.count - a.count), recent: recent(docs) };
        }),
        part(req, 'uploaded', async () => {
          const all = uploadedSource ? await uploadedSource.list(c.accountId) : [];
          const files = all.filter((d) => d.type === 'file');
          return { count: files.length, folders: all.length - files.length, bytes: files.reduce((n, d) => n + (d.size ?? 0), 0), recent: recent(files) };
        }),
        deps.activity.list(c.accountId, { limit: RECENT }),
        Promise.all(
          deps.cards.list().map(async (card) => {
            if (!card.data) return null;
            return [card.id, await part(req, `card:${card.id}`, async () => card.data!(c.accountId))] as const;
          }),
        ),
      ]);
      return {
        name: c.name,
        issued,
        uploaded,
        recent_activity: activity.items.map(presentActivity),
        cards: Object.fromEntries(cards.filter((x): x is NonNullable<typeof x> => x !== null && x[1] !== null)),
      };
    },
  );
}
