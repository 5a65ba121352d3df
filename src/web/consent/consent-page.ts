/**
 * The consent screen: who asks (the verified organisation's name and type; "verified by
 * OpenLocker" because only approved partners reach this page), why, exactly what they
 * get (the profile always; each scope in plain words; each document as a checkbox, ticked),
 * for how long, and Allow / Deny. One form, no JavaScript, CSRF-protected.
 */
import type { ConsentItem } from '../../domain/consent/decide-consent.ts';
import type { Partner } from '../../domain/consent/model.ts';
import { doctypeOfScope } from '../../domain/consent/scopes.ts';
import { csrfField, formatDateTime } from '../accounts/forms.ts';
import { displayText, fillHtml, html, type SafeHtml } from '../html.ts';
import { issuerName } from '../issuers/issuer-names-hi.ts';
import { registryText } from '../issuers/registry-hi.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';

export interface ConsentScreen {
  uid: string;
  partner: Pick<Partner, 'name' | 'type'>;
  purpose: string;
  scopes: string[];
  items: ConsentItem[];
  validTill: Date;
  /** True when the request asks for documents (issued, uploaded, doc types). */
  asksDocuments: boolean;
}

/**
 * A document as the consent screen names it. On Hindi pages an issued document's or a
 * document type's name is the registry's Hindi when it has some, and its issuer's name the
 * Hindi name when there is one; anything left in English is marked `lang="en"` (as on the
 * Issued list). The citizen's own names (uploads, folders) are shown as they wrote them.
 */
function itemLabel(ctx: PageContext, i: ConsentItem): SafeHtml {
  const d = i.document;
  const hi = ctx.lang !== 'en';
  if (d.kind === 'doctype') {
    if (d.name === d.doctype) return html`${ctx.t('consent.doc.doctype.code', { code: d.doctype })}`;
    return fillHtml(ctx.t('consent.doc.doctype'), { name: hi ? registryText(ctx, d.name) : d.name, code: d.doctype });
  }
  if (d.kind === 'issued') {
    const issuer = d.issuer ? html` — ${hi ? issuerName(ctx, d.issuer).html : d.issuer}` : '';
    return html`${hi ? registryText(ctx, d.name) : d.name}${issuer}`;
  }
  return html`${d.name}`;
}

export function consentPage(ctx: PageContext, s: ConsentScreen): SafeHtml {
  const { t } = ctx;
  const partner = displayText(s.partner.name, 120);
  const scopeLines = s.scopes.filter((sc) => sc !== 'userdetails' && sc !== 'profile' && !doctypeOfScope(sc)).map((sc) => t(`consent.scope.${sc}`));
  return layout(ctx, {
    title: t('consent.title', { partner }),
    bare: true,
    body: html`<div class="narrow consent">
      <h1>${t('consent.title', { partner })}</h1>
      <p class="notice ok" role="note">${t('consent.verified')}</p>
      <dl class="facts">
        <dt>${t('consent.type')}</dt><dd>${t(`partner.type.${s.partner.type}`)}</dd>
        <dt>${t('consent.purpose')}</dt><dd>${displayText(s.purpose, 500)}</dd>
        <dt>${t('consent.until')}</dt><dd>${t('consent.until.value', { date: formatDateTime(ctx, s.validTill.toISOString()) })}</dd>
      </dl>
      <form method="post" action="/consent/${s.uid}" novalidate>
        ${csrfField(ctx)}
        <h2>${t('consent.what')}</h2>
        <ul class="scopes">
          <li>${t('consent.profile')}</li>
          ${scopeLines.map((l) => html`<li>${l}</li>`)}
        </ul>
        ${
          s.asksDocuments
            ? html`<fieldset class="documents" aria-describedby="docs-hint">
                <legend>${t('consent.docs')}</legend>
                <p class="hint" id="docs-hint">${s.items.length ? t('consent.docs.hint') : t('consent.docs.none')}</p>
                ${s.items.map(
                  (i, n) => html`<div class="checkbox"><input type="checkbox" name="doc" id="doc-${n}" value="${i.key}" checked>
                    <label for="doc-${n}">${itemLabel(ctx, i)}</label></div>`,
                )}
              </fieldset>`
            : ''
        }
        <p class="hint">${t('consent.logged')}</p>
        ${ctx.citizen ? html`<p class="muted">${t('consent.signed.in.as', { name: ctx.citizen.name })}</p>` : ''}
        <div class="actions">
          <button type="submit" name="decision" value="allow">${t('consent.allow')}</button>
          <button type="submit" name="decision" value="deny" class="secondary">${t('consent.deny')}</button>
        </div>
      </form>
    </div>`,
  });
}
