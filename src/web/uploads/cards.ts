/** Dashboard cards: uploads with storage used vs quota (order 20), active shares (order 30). */
import type { UploadServices } from '../../wiring/uploads.ts';
import type { DashboardCards } from '../dashboard/cards.ts';
import { html } from '../html.ts';
import { formatBytes } from './format.ts';

export function registerUploadCards(cards: DashboardCards, s: UploadServices): void {
  cards.register({
    id: 'uploaded',
    order: 20,
    async render(ctx, accountId) {
      const [count, used] = await Promise.all([s.uploads.uploads.count(accountId), s.uploads.uploads.usedBytes(accountId)]);
      const quota = s.uploads.policy.quotaBytes;
      return html`<h3><a href="/uploaded">${ctx.t('nav.uploaded')}</a></h3>
        <p>${ctx.t('uploads.card.body', { count, used: formatBytes(ctx, used), quota: formatBytes(ctx, quota) })}</p>
        <progress max="${quota}" value="${used}" aria-label="${ctx.t('uploads.storage.label')}">${Math.round((used / quota) * 100)}%</progress>`;
    },
    async data(accountId) {
      const [count, used] = await Promise.all([s.uploads.uploads.count(accountId), s.uploads.uploads.usedBytes(accountId)]);
      return { count, used_bytes: used, quota_bytes: s.uploads.policy.quotaBytes };
    },
  });
  cards.register({
    id: 'shared',
    order: 30,
    async render(ctx, accountId) {
      const count = await s.shares.shares.countActive(accountId, s.shares.clock.now().toISOString());
      return html`<h3><a href="/shared">${ctx.t('nav.shared')}</a></h3><p>${ctx.t('shared.card.body', { count })}</p>`;
    },
    async data(accountId) {
      return { active: await s.shares.shares.countActive(accountId, s.shares.clock.now().toISOString()) };
    },
  });
}
