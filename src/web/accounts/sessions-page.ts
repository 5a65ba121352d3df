/** "Devices signed in to your locker": each session with device, address and last activity; sign out one or all. */
import type { StoredSession } from '../../domain/accounts/ports.ts';
import { describeDevice } from '../../http/routes/accounts/present.ts';
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';
import { csrfField, formatDateTime } from './forms.ts';

export function sessionsPage(ctx: PageContext, o: { sessions: StoredSession[]; currentId: string; notices?: HtmlValue }): SafeHtml {
  const { t } = ctx;
  const iso = (ms: number) => new Date(ms).toISOString();
  return layout(ctx, {
    title: t('sessions.title'),
    body: html`${o.notices ?? ''}
      <h1>${t('sessions.title')}</h1>
      <p>${t('sessions.lead')}</p>
      <div class="table-wrap"><table class="stack">
        <caption class="visually-hidden">${t('sessions.title')}</caption>
        <thead><tr><th scope="col">${t('sessions.device')}</th><th scope="col">${t('sessions.ip')}</th><th scope="col">${t('sessions.signed.in')}</th><th scope="col">${t('sessions.last.seen')}</th><th scope="col"><span class="visually-hidden">${t('sessions.end')}</span></th></tr></thead>
        <tbody>${o.sessions.map((s) => {
          const device = describeDevice(s.userAgent);
          const seen = formatDateTime(ctx, iso(s.lastSeenAt));
          return html`<tr>
            <th scope="row">${device}${s.id === o.currentId ? html` <span class="badge ok">${t('sessions.this')}</span>` : ''}</th>
            <td data-label="${t('sessions.ip')}">${s.ip ?? '—'}</td>
            <td data-label="${t('sessions.signed.in')}"><time datetime="${iso(s.createdAt)}">${formatDateTime(ctx, iso(s.createdAt))}</time></td>
            <td data-label="${t('sessions.last.seen')}"><time datetime="${iso(s.lastSeenAt)}">${seen}</time></td>
            <td>${
              s.id === o.currentId
                ? ''
                : html`<form method="post" action="/profile/sessions/${s.id}/end" class="inline">${csrfField(ctx)}<button type="submit" class="secondary small" aria-label="${t('sessions.end.label', { device, when: seen })}">${t('sessions.end')}</button></form>`
            }</td>
          </tr>`;
        })}</tbody>
      </table></div>
      <form method="post" action="/profile/sessions/end-all" class="end-all">
        ${csrfField(ctx)}
        <p class="hint" id="end-all-hint">${t('sessions.end.all.hint')}</p>
        <button type="submit" class="danger" aria-describedby="end-all-hint">${t('sessions.end.all')}</button>
      </form>
      <p><a href="/profile">${t('profile.title')}</a></p>`,
  });
}
