/**
 * The dashboard card of issued documents (order 10): how many, by issuer, the most recent,
 * and the quick links — Digital Driving Licence and Vehicle RC (need Aadhaar linked) and
 * "get more documents from partners".
 */
import type { IssuedDeps } from '../../domain/issued/deps.ts';
import { listIssued } from '../../domain/issued/list-issued.ts';
import type { DashboardCard } from '../dashboard/cards.ts';
import { html } from '../html.ts';
import { issuerName } from '../issuers/issuer-names-hi.ts';
import { registryText } from '../issuers/registry-hi.ts';
import { viewHref } from './pages.ts';

export function issuedDashboardCard(deps: Pick<IssuedDeps, 'docs' | 'issuers' | 'aadhaar'>): DashboardCard {
  return {
    id: 'issued',
    order: 10,
    async render(ctx, accountId) {
      const { t } = ctx;
      const [counts, recent, link] = await Promise.all([deps.docs.countByIssuer(accountId), listIssued(deps, accountId, { limit: 3, includePending: false }), deps.aadhaar.get(accountId)]);
      const names = new Map((counts.length ? await deps.issuers.getMany(counts.map((c) => c.issuerId)) : []).map((i) => [i.id, i.name]));
      const total = counts.reduce((n, c) => n + c.count, 0);
      const needs = link ? '' : html` <span class="muted">(${t('card.issued.needs_aadhaar')})</span>`;
      return html`<h3><a href="/issued">${t('card.issued.title')}</a></h3>
        <p>${total ? t('card.issued.count', { count: total }) : t('card.issued.none')}</p>
        ${counts.length
          ? html`<h4>${t('card.issued.by_issuer')}</h4><ul>${counts.map((c) => html`<li>${issuerName(ctx, names.get(c.issuerId) ?? c.issuerId).html}: ${c.count}</li>`)}</ul>`
          : ''}
        ${recent.length ? html`<h4>${t('card.issued.recent')}</h4><ul>${recent.map((d) => html`<li><a href="${viewHref(d.uri!)}">${registryText(ctx, d.name)}</a></li>`)}</ul>` : ''}
        <h4>${t('card.issued.quick')}</h4>
        <ul class="quick-links">
          <li><a href="/issued/quick/DRVLC">${t('card.issued.dl')}</a>${needs}</li>
          <li><a href="/issued/quick/RVCER">${t('card.issued.rc')}</a>${needs}</li>
          <li><a href="/issuers">${t('card.issued.more')}</a></li>
        </ul>`;
    },
  };
}
