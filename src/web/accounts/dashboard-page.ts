/** The signed-in home: a welcome, the locker's sections, and the latest activity. Later modules add their summaries. */
import type { ActivityEntry } from '../../domain/activity/ports.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';
import { activityTable } from './activity-page.ts';
import { notice } from './forms.ts';

const CARDS = [
  ['/issued', 'nav.issued', 'dashboard.issued.body'],
  ['/uploaded', 'nav.uploaded', 'dashboard.uploaded.body'],
  ['/shared', 'nav.shared', 'dashboard.shared.body'],
  ['/activity', 'nav.activity', 'dashboard.activity.body'],
  ['/issuers', 'nav.issuers', 'dashboard.issuers.body'],
  ['/profile', 'nav.profile', 'dashboard.profile.body'],
] as const;

export function dashboardPage(ctx: PageContext, o: { name: string; accountId: string; recent: ActivityEntry[]; summaries: SafeHtml[]; welcome: boolean }): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: t('dashboard.title'),
    body: html`<h1>${t('dashboard.welcome', { name: o.name })}</h1>
      ${o.welcome ? notice(t('dashboard.new'), 'ok') : ''}
      ${o.summaries.length
        ? html`<section aria-labelledby="summary-title">
            <h2 id="summary-title">${t('dashboard.summary')}</h2>
            <ul class="cards summary">${o.summaries.map((s) => html`<li class="card">${s}</li>`)}</ul>
          </section>`
        : ''}
      <section aria-labelledby="sections-title">
        <h2 id="sections-title">${t('dashboard.sections')}</h2>
        <ul class="cards">
          ${CARDS.map(([href, title, body]) => html`<li class="card"><h3><a href="${href}">${t(title)}</a></h3><p>${t(body)}</p></li>`)}
        </ul>
      </section>
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">${t('dashboard.recent')}</h2>
        ${activityTable(ctx, o.recent, o.accountId)}
        <p><a href="/activity">${t('dashboard.recent.all')}</a></p>
      </section>`,
  });
}
