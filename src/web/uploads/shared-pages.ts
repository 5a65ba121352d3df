/** The Shared Documents section (list, change expiry, revoke), the share form, and the public share-link pages. */
import type { Share } from '../../domain/sharing/ports.ts';
import { shareStatus } from '../../http/routes/uploads/present.ts';
import { csrfField, errorSummary, formatDateTime, input, type FieldError } from '../accounts/forms.ts';
import { displayText, html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';

const name = (s: string, max = 80) => displayText(s, max);
const EXPIRY_CHOICES = [1, 7, 30, 90];

/** Asks before a share link stops working (the recipient would need a new link). */
export function revokeSharePage(ctx: PageContext, s: Share): SafeHtml {
  const { t } = ctx;
  const labels = { name: name(s.docName), email: s.recipientEmail };
  return layout(ctx, {
    title: t('shared.revoke.title', labels),
    body: html`<h1>${t('shared.revoke.title', labels)}</h1>
      <p>${t('shared.revoke.lead', labels)}</p>
      <form method="post" action="/shared/${s.id}/revoke">
        ${csrfField(ctx)}
        <button type="submit" class="danger">${t('shared.revoke.confirm')}</button>
        <a href="/shared">${t('shared.revoke.cancel')}</a>
      </form>`,
  });
}

export function sharedPage(ctx: PageContext, o: { shares: Share[]; now: Date; maxDays: number; notices: HtmlValue }): SafeHtml {
  const { t } = ctx;
  const choices = EXPIRY_CHOICES.filter((n) => n <= o.maxDays);
  return layout(ctx, {
    title: t('shared.title'),
    body: html`${o.notices}
      <h1>${t('shared.title')}</h1>
      <p>${t('shared.lead')}</p>
      ${o.shares.length === 0
        ? html`<p class="empty">${t('shared.empty')}</p>`
        : html`<div class="table-wrap"><table class="stack shares">
            <caption class="visually-hidden">${t('shared.title')}</caption>
            <thead><tr>
              <th scope="col">${t('shared.col.document')}</th><th scope="col">${t('shared.col.recipient')}</th><th scope="col">${t('shared.col.created')}</th>
              <th scope="col">${t('shared.col.expires')}</th><th scope="col">${t('shared.col.views')}</th><th scope="col">${t('shared.col.last')}</th><th scope="col">${t('shared.col.status')}</th>
            </tr></thead>
            <tbody>${o.shares.map((s) => {
              const status = shareStatus(s, o.now);
              const labels = { name: name(s.docName), email: s.recipientEmail };
              return html`<tr>
                <th scope="row">${name(s.docName)}</th>
                <td data-label="${t('shared.col.recipient')}">${s.recipientEmail}</td>
                <td data-label="${t('shared.col.created')}"><time datetime="${s.createdAt}">${formatDateTime(ctx, s.createdAt)}</time></td>
                <td data-label="${t('shared.col.expires')}"><time datetime="${s.expiresAt}">${formatDateTime(ctx, s.expiresAt)}</time>
                  ${status === 'active' || status === 'expired'
                    ? html`<form method="post" action="/shared/${s.id}/expiry" class="inline-form small">${csrfField(ctx)}
                        <label for="days-${s.id}" class="visually-hidden">${t('shared.expiry.label', labels)}</label>
                        <select id="days-${s.id}" name="days">${choices.map((n) => html`<option value="${n}"${n === 7 ? html` selected` : ''}>${n === 1 ? t('shared.expiry.day') : t('shared.expiry.days', { n })}</option>`)}</select>
                        <button type="submit" class="secondary small">${t('shared.expiry.save')}</button></form>`
                    : ''}</td>
                <td data-label="${t('shared.col.views')}">${s.views}${s.maxViews !== null ? ` / ${s.maxViews}` : ''}</td>
                <td data-label="${t('shared.col.last')}">${s.lastOpenedAt ? html`<time datetime="${s.lastOpenedAt}">${formatDateTime(ctx, s.lastOpenedAt)}</time>` : t('shared.never')}</td>
                <td data-label="${t('shared.col.status')}"><span class="badge ${status === 'active' ? 'ok' : ''}">${t(`shared.status.${status}`)}</span>
                  ${status !== 'revoked'
                    ? html`<a href="/shared/${s.id}/revoke" class="danger-link" aria-label="${t('shared.revoke.label', labels)}">${t('shared.revoke')}</a>`
                    : ''}</td>
              </tr>`;
            })}</tbody>
          </table></div>`}`,
  });
}

export function newSharePage(ctx: PageContext, o: { docName: string; hidden: Record<string, string>; errors: FieldError[]; values: Record<string, string | undefined>; defaultDays: number; maxDays: number }): SafeHtml {
  const { t } = ctx;
  const title = t('shared.new.title', { name: name(o.docName) });
  return layout(ctx, {
    title,
    body: html`${errorSummary(ctx, o.errors)}
      <h1>${title}</h1>
      <p>${t('shared.new.lead')}</p>
      <form method="post" action="/shared/new">
        ${csrfField(ctx)}
        ${Object.entries(o.hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
        ${input(ctx, { name: 'email', label: t('shared.email'), type: 'email', autocomplete: 'email', inputmode: 'email', maxlength: 254, value: o.values.email, errors: o.errors })}
        ${input(ctx, { name: 'expires_in_days', label: t('shared.days'), hint: t('shared.days.hint', { max: o.maxDays }), inputmode: 'numeric', pattern: '[0-9]*', maxlength: 4, value: o.values.expires_in_days ?? String(o.defaultDays), errors: o.errors })}
        ${input(ctx, { name: 'max_views', label: t('shared.max_views'), hint: t('shared.max_views.hint'), inputmode: 'numeric', pattern: '[0-9]*', maxlength: 4, value: o.values.max_views, required: false, errors: o.errors })}
        ${input(ctx, { name: 'access_code', label: t('shared.code'), hint: t('shared.code.hint'), maxlength: 32, autocomplete: 'off', value: o.values.access_code, required: false, errors: o.errors })}
        <button type="submit">${t('shared.submit')}</button>
      </form>`,
  });
}

export function shareLinkPage(ctx: PageContext, o: { share: Share; token: string; mime: string; verifiedAt: string | null }): SafeHtml {
  const { t } = ctx;
  const s = o.share;
  const docName = name(s.docName);
  const file = `/s/${o.token}/file`;
  return layout(ctx, {
    title: t('sharelink.title'),
    bare: true,
    body: html`<h1>${docName}</h1>
      <div class="notice" role="status">
        <p>${t('sharelink.banner', { sharer: name(s.sharerName, 60), name: docName, email: s.recipientEmail, until: formatDateTime(ctx, s.expiresAt) })}
        ${s.maxViews !== null ? t('sharelink.views', { views: s.views, max: s.maxViews }) : ''}</p>
        <p>${s.source === 'issued' && o.verifiedAt ? t('sharelink.verified', { time: formatDateTime(ctx, o.verifiedAt) }) : t('sharelink.uploaded')}</p>
      </div>
      <p><a href="${file}?download=1" class="button">${t('sharelink.download')}</a></p>
      ${o.mime.startsWith('image/')
        ? html`<p><img src="${file}" alt="${docName}" class="shared-doc"></p>`
        : html`<iframe src="${file}" title="${t('sharelink.frame', { name: docName })}" class="shared-doc"></iframe>`}`,
  });
}

export function shareCodePage(ctx: PageContext, o: { share: Share; token: string; errors: FieldError[] }): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: t('sharelink.code.title'),
    bare: true,
    body: html`${errorSummary(ctx, o.errors)}
      <h1>${t('sharelink.code.title')}</h1>
      <p>${t('sharelink.code.lead', { sharer: name(o.share.sharerName, 60) })}</p>
      <form method="post" action="/s/${o.token}">
        ${csrfField(ctx)}
        ${input(ctx, { name: 'code', label: t('sharelink.code'), autocomplete: 'off', maxlength: 32, errors: o.errors })}
        <button type="submit">${t('sharelink.code.submit')}</button>
      </form>`,
  });
}

export function shareErrorPage(ctx: PageContext, message: string): SafeHtml {
  const { t } = ctx;
  return layout(ctx, { title: t('sharelink.error.title'), bare: true, body: html`<h1>${t('sharelink.error.title')}</h1><p>${message}</p>` });
}
