/**
 * The dashboard's "Connected organisations" card (order 40): how many organisations can
 * access the locker now, and when the last access was, linking to /connected.
 */
import type { ConsentDeps } from '../../domain/consent/deps.ts';
import { consentState } from '../../domain/consent/model.ts';
import type { DashboardCard } from '../dashboard/cards.ts';
import { html } from '../html.ts';

export function connectedCard(deps: Pick<ConsentDeps, 'consents' | 'clock'>): DashboardCard {
  return {
    id: 'connected',
    order: 40,
    async render(ctx, accountId) {
      const now = deps.clock.now();
      const active = (await deps.consents.listForAccount(accountId, 200)).filter((c) => consentState(c, now) === 'active');
      const partners = new Set(active.map((c) => c.partnerId)).size;
      return html`<h3><a href="/connected">${ctx.t('connected.title')}</a></h3>
        <p>${partners === 0 ? ctx.t('connected.card.none') : ctx.t('connected.card.count', { count: partners })}</p>`;
    },
  };
}
