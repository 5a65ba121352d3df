/** The Issued section's pages: the list, fetch outcomes, "cannot open" and Aadhaar linking. */
import type { AadhaarLink } from '../../domain/issued/ports.ts';
import type { IssuedItem } from '../../domain/issued/list-issued.ts';
import { displayText, fillHtml, html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';
import { issuerName } from '../issuers/issuer-names-hi.ts';
import { registryLabel, registryText } from '../issuers/registry-hi.ts';
import { csrfField, errorSummary, formatDate, input, notice, otpInput, titled, type FieldError } from '../accounts/forms.ts';

/**
 * A document's name as the page says it: in Hindi, the registry's Hindi for a name it knows
 * (a pulled document is named after its document type; an issuer's own name is left as
 * given, marked English when it is). `text` is for attributes and sentences.
 */
function docName(ctx: PageContext, name: string): { text: string; html: SafeHtml } {
  return { text: displayText(registryLabel(ctx, name).text), html: registryText(ctx, name) };
}

export const viewHref = (uri: string, format?: 'xml') => `/issued/view/${encodeURIComponent(uri)}${format ? '?format=xml' : ''}`;

export function issuedListPage(ctx: PageContext, o: { items: IssuedItem[]; xml: Set<string>; notices: HtmlValue }): SafeHtml {
  const { t } = ctx;
  const pending = o.items.filter((i) => i.status === 'pending');
  const docs = o.items.filter((i) => i.status === 'issued');
  return layout(ctx, {
    title: t('issued.title'),
    body: html`<h1>${t('issued.title')}</h1>
      ${o.notices}
      <p>${t('issued.lead')}</p>
      ${pending.length
        ? html`<h2 id="pending-title">${t('issued.pending')}</h2>
            <p class="muted">${t('issued.pending.body')}</p>
            <ul class="issuer-list" aria-labelledby="pending-title">
              ${pending.map((p) => html`<li class="issuer-item"><strong>${docName(ctx, p.name).html}</strong> <span class="muted meta">${fillHtml(t('issued.issuer_requested'), { issuer: issuerName(ctx, p.issuer).html, date: formatDate(ctx, p.date) })}</span></li>`)}
            </ul>`
        : ''}
      ${docs.length === 0
        ? html`<div class="empty"><p><strong>${t('issued.empty')}</strong></p><p>${t('issued.empty.body')}</p>
            <p><a class="button" href="/issuers">${t('issued.get_more')}</a></p>
            <ul><li><a href="/issued/quick/DRVLC">${t('card.issued.dl')}</a></li><li><a href="/issued/quick/RVCER">${t('card.issued.rc')}</a></li></ul></div>`
        : html`<ul class="issuer-list doc-list">
              ${docs.map((d) => {
                const { text: name, html: shown } = docName(ctx, d.name);
                return html`<li class="issuer-item">
                  <a href="${viewHref(d.uri!)}" aria-label="${t('issued.open', { name })}">${shown}</a>
                  <span class="muted meta">${fillHtml(t('issued.issuer_date'), { issuer: issuerName(ctx, d.issuer).html, date: formatDate(ctx, d.date) })}</span>
                  <span class="actions">
                    ${o.xml.has(`${d.issuerId} ${d.doctype}`) ? html`<a href="${viewHref(d.uri!, 'xml')}" aria-label="${t('issued.open_xml.label', { name })}">${t('issued.open_xml')}</a>` : ''}
                    <a href="/issued/remove?uri=${encodeURIComponent(d.uri!)}" aria-label="${t('issued.remove.label', { name })}">${t('issued.remove')}</a>
                  </span>
                </li>`;
              })}
            </ul>
            <p><a href="/issuers">${t('issued.get_more')}</a></p>`}`,
  });
}

/** A pull or an open that failed: the reason in the citizen's language, and a way back. Never a broken page. */
/** Asks before an issued document leaves the locker (getting it back means fetching it again). */
export function removeIssuedPage(ctx: PageContext, doc: { uri: string; name: string }): SafeHtml {
  const { t } = ctx;
  const name = docName(ctx, doc.name).text;
  return layout(ctx, {
    title: t('issued.remove.title', { name }),
    body: html`<h1>${t('issued.remove.title', { name })}</h1>
      <p>${t('issued.remove.lead')}</p>
      <form method="post" action="/issued/remove">
        ${csrfField(ctx)}
        <input type="hidden" name="uri" value="${doc.uri}">
        <button type="submit" class="danger">${t('issued.remove.confirm')}</button>
        <a href="/issued">${t('issued.remove.cancel')}</a>
      </form>`,
  });
}

export function issuedErrorPage(ctx: PageContext, o: { titleKey: string; message: string; back: string | null }): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: t(o.titleKey),
    body: html`<h1>${t(o.titleKey)}</h1>
      <div class="notice warn" role="alert">${o.message}</div>
      <p>${o.back ? html`<a href="${o.back}">${t('issued.error.back')}</a> · ` : ''}<a href="/issued">${t('issued.error.list')}</a></p>`,
  });
}

const GENDER: Record<string, string> = { M: 'Male / पुरुष', F: 'Female / महिला', T: 'Transgender / ट्रांसजेंडर' };

export function aadhaarPage(ctx: PageContext, o: { link: AadhaarLink | null; step: 'number' | 'otp'; errors: FieldError[]; txn?: string; maskedMobile?: string; next?: string }): SafeHtml {
  const { t } = ctx;
  if (o.link) {
    const l = o.link;
    return layout(ctx, {
      title: t('aadhaar.linked.title'),
      body: html`<h1>${t('aadhaar.linked.title')}</h1>
        <dl class="facts">
          <dt>${t('aadhaar.linked.number')}</dt><dd>XXXX XXXX ${l.uidLast4}</dd>
          <dt>${t('aadhaar.linked.name')}</dt><dd>${displayText(l.name)}</dd>
          <dt>${t('aadhaar.linked.dob')}</dt><dd>${l.dob}</dd>
          <dt>${t('aadhaar.linked.gender')}</dt><dd>${GENDER[l.gender] ?? l.gender}</dd>
        </dl>
        ${l.photo ? html`<p><img src="data:image/jpeg;base64,${l.photo}" alt="${t('aadhaar.linked.photo')}" width="120" height="150"></p>` : ''}
        <p><a href="/issued">${t('issued.title')}</a></p>`,
    });
  }
  const next = o.next ? html`<input type="hidden" name="next" value="${o.next}">` : '';
  const body =
    o.step === 'number'
      ? html`<form method="post" action="/profile/aadhaar" novalidate>
          ${csrfField(ctx)}${next}
          ${input(ctx, { name: 'aadhaar', label: t('aadhaar.number'), hint: t('aadhaar.number.hint'), inputmode: 'numeric', autocomplete: 'off', maxlength: 14, errors: o.errors })}
          <p><button type="submit">${t('aadhaar.send')}</button></p>
        </form>`
      : html`${notice(t('aadhaar.otp.sent', { mobile: o.maskedMobile ?? '' }), 'ok')}
        <form method="post" action="/profile/aadhaar/verify" novalidate>
          ${csrfField(ctx)}${next}
          <input type="hidden" name="txn" value="${o.txn ?? ''}">
          <input type="hidden" name="masked" value="${o.maskedMobile ?? ''}">
          ${otpInput(ctx, o.errors)}
          <p><button type="submit">${t('aadhaar.verify')}</button></p>
        </form>`;
  return layout(ctx, {
    title: titled(ctx, t('aadhaar.title'), o.errors),
    body: html`<h1>${t('aadhaar.title')}</h1>
      ${errorSummary(ctx, o.errors)}
      <p>${t('aadhaar.lead')}</p>
      ${body}`,
  });
}
