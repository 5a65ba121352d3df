/**
 * The dashboard's summary cards. Each feature module that owns something a citizen wants
 * to see at a glance (issued documents, uploads and storage used, active shares, connected
 * organisations) registers a card here; the dashboard page renders them in `order`.
 * A card that fails renders as "unavailable right now" — it never breaks the page.
 */
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';

export interface DashboardCard {
  id: string;
  /** Lower first. Issued 10, uploaded 20, shared 30, connected 40. */
  order: number;
  /** The card's body (a heading with a link to its section and a few facts), or null to hide it. */
  render(ctx: PageContext, accountId: string): Promise<SafeHtml | null>;
  /**
   * The same summary as JSON for `GET /api/v1/dashboard` (under the card's `id`), e.g.
   * `{used_bytes, quota_bytes}` or `{active: 3}`; omitted or null: not in the API answer.
   */
  data?(accountId: string): Promise<Record<string, unknown> | null>;
}

export interface DashboardCards {
  register(card: DashboardCard): void;
  list(): DashboardCard[];
}

export function dashboardCards(): DashboardCards {
  const byId = new Map<string, DashboardCard>();
  return {
    register: (c) => void byId.set(c.id, c),
    list: () => [...byId.values()].sort((a, b) => a.order - b.order),
  };
}

/** Renders every card; one that throws becomes a short "unavailable" note and is logged. */
export async function renderCards(
  cards: DashboardCards,
  ctx: PageContext,
  accountId: string,
  log: { warn(obj: object, msg: string): void },
): Promise<SafeHtml[]> {
  const out = await Promise.all(
    cards.list().map(async (card) => {
      try {
        return await card.render(ctx, accountId);
      } catch (err) {
        log.warn({ err, card: card.id }, 'dashboard card failed');
        return html`<p class="muted">${ctx.t('dashboard.card.unavailable')}</p>`;
      }
    }),
  );
  return out.filter((x): x is SafeHtml => x !== null);
}
