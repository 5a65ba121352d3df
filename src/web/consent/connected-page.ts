/**
 * "Connected organisations": each consent with its organisation, purpose, what it may see,
 * documents, granted / valid till / withdrawn, every access (when, what, from where), the
 * signed receipt to download, and Withdraw. Tables become cards on phones.
 */
import type { ConsentView } from '../../domain/consent/list-consents.ts';
import type { ConsentDocument } from '../../domain/consent/model.ts';
import { csrfField, formatDateTime, notice } from '../accounts/forms.ts';
import { displayText, fillHtml, html, type HtmlValue, type SafeHtml } from '../html.ts';
import { registryText } from '../issuers/registry-hi.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';

function docLabel(ctx: PageContext, d: ConsentDocument): SafeHtml {
  // Names, as the citizen knows them (the URI or code is no help here). On Hindi pages an
  // issued document's or a document type's name is the registry's Hindi when it has some,
  // else its English marked lang="en"; the citizen's own names (uploads, folders) stay as written.
  const registryName = ctx.lang !== 'en' && (d.kind === 'doctype' || d.kind === 'issued') ? registryText(ctx, d.name) : html`${d.name}`;
  return d.kind === 'doctype' ? fillHtml(ctx.t('connected.doctype'), { name: registryName }) : registryName;
}

/** What a scope lets the organisation see, as this page (a record, not a form) says it. */
function scopeLabel(ctx: PageContext, scope: string): string {
  const key = `connected.scope.${scope}`;
  const v = ctx.t(key);
  return v === key ? ctx.t(`consent.scope.${scope}`) : v;
}

function accessLabel(ctx: PageContext, action: string): string {
  const key = `access.${action}`;
  const v = ctx.t(key);
  return v === key ? action.replace(/_/g, ' ') : v;
}

function card(ctx: PageContext, v: ConsentView, n: number): SafeHtml {
  const { t } = ctx;
  const c = v.consent;
  const name = displayText(v.partner.name, 120);
  const badge = v.state === 'active' ? 'ok' : v.state === 'revoked' ? 'bad' : 'warn';
  return html`<section class="card consent-card" aria-labelledby="consent-${n}">
    <h2 id="consent-${n}">${name} <span class="badge ${badge}">${t(`connected.state.${v.state}`)}</span></h2>
    <dl class="facts">
      <dt>${t('consent.type')}</dt><dd>${t(`partner.type.${v.partner.type}`)}</dd>
      <dt>${t('consent.purpose')}</dt><dd>${displayText(c.purpose, 500)}</dd>
      <dt>${t('connected.scopes')}</dt><dd>${[t('consent.profile'), ...c.scopes.filter((s) => s !== 'userdetails' && s !== 'profile' && !s.startsWith('partners.')).map((s) => scopeLabel(ctx, s))].join('; ')}</dd>
      ${c.documents.length ? html`<dt>${t('connected.documents')}</dt><dd><ul>${c.documents.map((d) => html`<li>${docLabel(ctx, d)}</li>`)}</ul></dd>` : ''}
      <dt>${t('connected.granted')}</dt><dd><time datetime="${c.grantedAt}">${formatDateTime(ctx, c.grantedAt)}</time></dd>
      <dt>${t('connected.valid.till')}</dt><dd><time datetime="${c.validTill}">${formatDateTime(ctx, c.validTill)}</time></dd>
      ${c.revokedAt ? html`<dt>${t('connected.revoked.at')}</dt><dd><time datetime="${c.revokedAt}">${formatDateTime(ctx, c.revokedAt)}</time></dd>` : ''}
      <dt>${t('connected.reference')}</dt><dd><code>${c.referenceKey}</code></dd>
    </dl>
    <h3>${t('connected.accesses')}</h3>
    ${
      v.accesses.length
        ? html`<div class="table-wrap"><table class="stack">
            <caption class="visually-hidden">${t('connected.accesses')} — ${name}</caption>
            <thead><tr><th scope="col">${t('connected.access.when')}</th><th scope="col">${t('connected.access.what')}</th><th scope="col">${t('connected.access.ip')}</th></tr></thead>
            <tbody>${v.accesses.map(
              (a) => html`<tr><td data-label="${t('connected.access.when')}"><time datetime="${a.at}">${formatDateTime(ctx, a.at)}</time></td>
                <td data-label="${t('connected.access.what')}">${accessLabel(ctx, a.action)}${a.subject ? html`<br><span class="muted">${a.subject}</span>` : ''}</td>
                <td data-label="${t('connected.access.ip')}">${a.ip ?? '—'}</td></tr>`,
            )}</tbody></table></div>`
        : html`<p class="empty">${t('connected.accesses.none')}</p>`
    }
    <p class="actions">
      <a href="/api/v1/consents/${c.id}/receipt" download="consent-${c.id}.jws">${t('connected.receipt')}</a>
    </p>
    ${
      v.state === 'active'
        ? html`<form method="post" action="/connected/${c.id}/revoke">${csrfField(ctx)}<button type="submit" class="danger" aria-label="${t('connected.revoke.label', { partner: name })}">${t('connected.revoke')}</button></form>`
        : ''
    }
  </section>`;
}

export function connectedPage(ctx: PageContext, o: { views: ConsentView[]; notices?: HtmlValue }): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: t('connected.title'),
    body: html`${o.notices ?? ''}
      <h1>${t('connected.title')}</h1>
      <p>${t('connected.lead')}</p>
      ${o.views.length ? o.views.map((v, n) => card(ctx, v, n)) : html`<p class="empty">${t('connected.empty')}</p>`}`,
  });
}

export function revokedNotice(ctx: PageContext, partner: string): HtmlValue {
  return notice(ctx.t('connected.revoked.ok', { partner: displayText(partner, 120) }), 'ok');
}
