/**
 * The Issuers section, as DigiLocker has it: categories → issuers (searchable, with a
 * "not connected" badge) → an issuer's document types → a document type's form, built
 * from its search parameters (labels, examples as hints, patterns as `pattern`). The form
 * posts to /issued/pull (the pull flow); signed out, the page offers to sign in instead.
 * Server-rendered, no script needed, from 320 px phones up, in English and Hindi.
 */
import { CATEGORY_LABELS, STATE_NAMES_HI } from '../../domain/issuers/categories.ts';
import type { CategoryCount } from '../../domain/issuers/ports.ts';
import type { IssuerPage } from '../../domain/issuers/list-issuers.ts';
import type { Category, Doctype, DoctypeParameter, IssuerSummary, IssuerWithDoctypes } from '../../domain/issuers/model.ts';
import { displayText, fillHtml, html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';
import { issuerName } from './issuer-names-hi.ts';
import { registryLabel, registryText } from './registry-hi.ts';

const categoryName = (ctx: PageContext, c: Category) => CATEGORY_LABELS[c][ctx.lang];
const stateName = (ctx: PageContext, s: string) => (ctx.lang === 'hi' ? (STATE_NAMES_HI[s] ?? s) : s);
const num = (ctx: PageContext, n: number) => n.toLocaleString(ctx.lang === 'hi' ? 'hi-IN' : 'en-IN');
const issuerHref = (id: string) => `/issuers/${encodeURIComponent(id)}`;

function badge(ctx: PageContext, connected: boolean): SafeHtml {
  return connected ? html`<span class="badge ok">${ctx.t('issuers.badge.connected')}</span>` : html`<span class="badge">${ctx.t('issuers.badge.not_connected')}</span>`;
}

function scopeText(ctx: PageContext, i: { scope: string; state: string | null }): string {
  return i.scope === 'state' && i.state ? ctx.t('issuers.scope.state', { state: stateName(ctx, i.state) }) : ctx.t('issuers.scope.central');
}

function breadcrumb(ctx: PageContext, items: Array<[HtmlValue, string | null]>): SafeHtml {
  return html`<nav aria-label="${ctx.t('issuers.breadcrumb')}"><ol class="breadcrumb">
    ${items.map(([label, href]) => (href ? html`<li><a href="${href}">${label}</a></li>` : html`<li aria-current="page">${label}</li>`))}
  </ol></nav>`;
}

function searchForm(ctx: PageContext, values: { q?: string; category?: Category; connectedOnly?: boolean }): SafeHtml {
  const { t } = ctx;
  return html`<form method="get" action="/issuers" role="search" class="issuer-search">
    ${values.category ? html`<input type="hidden" name="category" value="${values.category}">` : ''}
    <label for="issuer-q">${t('issuers.search.label')}</label>
    <span class="hint" id="issuer-q-hint">${t('issuers.search.hint')}</span>
    <div class="search-row">
      <input type="search" id="issuer-q" name="q" value="${values.q ?? ''}" maxlength="100" aria-describedby="issuer-q-hint" autocomplete="off">
      <button type="submit">${t('issuers.search.submit')}</button>
    </div>
    <p class="check"><input type="checkbox" id="issuer-connected" name="connected" value="1"${values.connectedOnly ? html` checked` : ''}><label for="issuer-connected">${t('issuers.connected.only')}</label></p>
  </form>`;
}

export function directoryPage(ctx: PageContext, counts: CategoryCount[]): SafeHtml {
  const { t } = ctx;
  const present = (Object.keys(CATEGORY_LABELS) as Category[]).map((c) => counts.find((x) => x.category === c)).filter((c): c is CategoryCount => Boolean(c && c.issuers > 0));
  return layout(ctx, {
    title: t('issuers.title'),
    body: html`
      <h1>${t('issuers.title')}</h1>
      <p class="lead">${t('issuers.lead')}</p>
      ${searchForm(ctx, {})}
      <h2 id="categories-title">${t('issuers.categories')}</h2>
      <ul class="cards categories" aria-labelledby="categories-title">
        ${present.map(
          (c) => html`<li class="card"><h3><a href="/issuers?category=${c.category}">${categoryName(ctx, c.category)}</a></h3>
            <p class="muted">${(c.issuers === 1 ? t('issuers.category.count.one') : t('issuers.category.count', { issuers: num(ctx, c.issuers) }))}${c.connected > 0 ? html` · <strong>${t('issuers.category.connected', { connected: num(ctx, c.connected) })}</strong>` : ''}</p></li>`,
        )}
      </ul>
      <p><a href="/issuers?connected=1">${t('issuers.connected.only')}</a> · <a href="/issuers?page=1">${t('issuers.all')}</a></p>`,
  });
}

function pageLink(base: { q?: string; category?: Category; connectedOnly?: boolean }, page: number): string {
  const p = new URLSearchParams();
  if (base.category) p.set('category', base.category);
  if (base.q) p.set('q', base.q);
  if (base.connectedOnly) p.set('connected', '1');
  p.set('page', String(page));
  return `/issuers?${p.toString()}`;
}

function issuerItem(ctx: PageContext, i: IssuerSummary): SafeHtml {
  return html`<li class="issuer-item">
    <a href="${issuerHref(i.id)}">${issuerName(ctx, i.name).html}</a> ${badge(ctx, i.connected)}
    <span class="muted meta">${scopeText(ctx, i)} · ${(i.doctypeCount === 1 ? ctx.t('issuers.doctype.count.one') : ctx.t('issuers.doctype.count', { n: num(ctx, i.doctypeCount) }))}</span>
  </li>`;
}

export function issuerListPage(ctx: PageContext, page: IssuerPage, filter: { q?: string; category?: Category; connectedOnly?: boolean }): SafeHtml {
  const { t } = ctx;
  const heading = filter.q ? t('issuers.results.search', { q: displayText(filter.q, 100) }) : filter.category ? categoryName(ctx, filter.category) : filter.connectedOnly ? t('issuers.connected.only') : t('issuers.all');
  const pages = Math.max(1, Math.ceil(page.total / page.perPage));
  const from = page.total === 0 ? 0 : (page.page - 1) * page.perPage + 1;
  const to = Math.min(page.total, page.page * page.perPage);
  const crumbs: Array<[string, string | null]> = [[t('issuers.title'), '/issuers']];
  if (filter.category && filter.q) crumbs.push([categoryName(ctx, filter.category), `/issuers?category=${filter.category}`]);
  crumbs.push([heading, null]);
  return layout(ctx, {
    title: `${heading} · ${t('issuers.title')}`,
    body: html`
      ${breadcrumb(ctx, crumbs)}
      <h1>${heading}</h1>
      ${searchForm(ctx, filter)}
      ${page.total === 0
        ? html`<p class="empty">${t('issuers.results.none')}</p>`
        : html`<p class="muted" role="status">${t('issuers.results.count', { from: num(ctx, from), to: num(ctx, to), total: num(ctx, page.total) })}</p>
          <ul class="issuer-list">${page.items.map((i) => issuerItem(ctx, i))}</ul>`}
      ${pages > 1
        ? html`<nav class="pager" aria-label="${t('issuers.pages')}">
            ${page.page > 1 ? html`<a href="${pageLink(filter, page.page - 1)}" rel="prev">${t('issuers.page.prev')}</a>` : ''}
            <span>${t('issuers.page.of', { page: num(ctx, page.page), pages: num(ctx, pages) })}</span>
            ${page.page < pages ? html`<a href="${pageLink(filter, page.page + 1)}" rel="next">${t('issuers.page.next')}</a>` : ''}
          </nav>`
        : ''}`,
  });
}

export function issuerPage(ctx: PageContext, issuer: IssuerWithDoctypes): SafeHtml {
  const { t } = ctx;
  // The name as text (for <title>) and as HTML (marked lang="en" when it stays English on a Hindi page).
  const name = issuerName(ctx, issuer.name);
  return layout(ctx, {
    title: name.text,
    body: html`
      ${breadcrumb(ctx, [[t('issuers.title'), '/issuers'], [categoryName(ctx, issuer.category), `/issuers?category=${issuer.category}`], [name.html, null]])}
      <h1>${name.html}</h1>
      <p>${badge(ctx, issuer.connected)} <span class="muted">${scopeText(ctx, issuer)}</span></p>
      ${issuer.description ? html`<p${ctx.lang === 'en' ? '' : html` lang="en"`}>${displayText(issuer.description, 2000)}</p>` : ''}
      <p class="${issuer.connected ? 'notice ok' : 'notice warn'}">${issuer.connected ? t('issuer.connected') : t('issuer.not_connected')}</p>
      <h2 id="doctypes-title">${t('issuer.documents')}</h2>
      <ul class="issuer-list" aria-labelledby="doctypes-title">
        ${issuer.doctypes.map(
          (d) => html`<li class="issuer-item"><a href="${issuerHref(issuer.id)}/${encodeURIComponent(d.code)}">${registryText(ctx, d.name)}</a>
            <span class="muted meta">${d.code} · ${t('issuer.formats', { formats: d.formats.map((f) => f.toUpperCase()).join(', ') })}</span></li>`,
        )}
      </ul>`,
  });
}

/** Digit-only patterns get a numeric keypad on phones. */
const numericPattern = (p: string | undefined) => p !== undefined && /^\[0-9\]\{\d+(,\d+)?\}$/.test(p);

function field(ctx: PageContext, p: DoctypeParameter, value = '', error?: string): SafeHtml {
  const id = `p-${p.name}`;
  const hint = p.example ? html`<span class="hint" id="${id}-hint">${ctx.t('doctype.example', { example: displayText(p.example, 100) })}</span>` : '';
  const err = error ? html`<span class="field-error" id="${id}-error">${error}</span>` : '';
  const describedBy = [p.example ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const described = describedBy ? html` aria-describedby="${describedBy}"` : '';
  const invalid = error ? html` aria-invalid="true"` : '';
  if (p.values?.length) {
    return html`<label for="${id}">${registryText(ctx, p.label, 100)}</label>${hint}${err}
      <select id="${id}" name="params[${p.name}]" required${described}${invalid}>
        <option value="">${ctx.t('doctype.choose')}</option>
        ${p.values.map((v) => {
          const l = registryLabel(ctx, v.label);
          return html`<option value="${v.value}"${l.lang ? html` lang="${l.lang}"` : ''}${v.value === value ? html` selected` : ''}>${displayText(l.text, 100)}</option>`;
        })}
      </select>`;
  }
  return html`<label for="${id}">${registryText(ctx, p.label, 100)}</label>${hint}${err}
    <input type="text" id="${id}" name="params[${p.name}]"${value ? html` value="${value.slice(0, 100)}"` : ''} required maxlength="100" autocomplete="off" spellcheck="false"${p.pattern ? html` pattern="${p.pattern}"` : ''}${numericPattern(p.pattern) ? html` inputmode="numeric"` : ''}${described}${invalid}>`;
}

/**
 * The per-parameter messages of an `invalid_parameter` error in the page's language: the
 * domain's English sentences on English pages; elsewhere worded from `field_codes` with the
 * parameter's label in that language.
 */
export function pullFieldMessages(ctx: PageContext, doctype: Doctype, details: Record<string, unknown> | undefined): Record<string, string> | undefined {
  const fields = details?.fields as Record<string, string> | undefined;
  if (!fields || ctx.lang === 'en') return fields;
  const codes = (details?.field_codes ?? {}) as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [name, english] of Object.entries(fields)) {
    const p = doctype.parameters.find((x) => x.name === name);
    const code = codes[name];
    if (!p || !code) {
      out[name] = english;
      continue;
    }
    const label = registryLabel(ctx, p.label).text.slice(0, 100);
    const key = code === 'pattern' && p.example ? 'doctype.field.pattern_example' : `doctype.field.${code}`;
    const text = ctx.t(key, { label, example: (p.example ?? '').slice(0, 100) });
    out[name] = text === key ? english : text;
  }
  return out;
}

/** What the form showed when a fetch failed: the values typed, the consent tick, and why. */
export interface PullFormState {
  values: Record<string, string>;
  consent: boolean;
  /** The reason, shown above the form (and announced). */
  message: string;
  /** Per-parameter messages (invalid_parameter), by parameter name. */
  fields?: Record<string, string>;
}

export function doctypePage(ctx: PageContext, issuer: IssuerWithDoctypes, doctype: Doctype, failed?: PullFormState): SafeHtml {
  const { t } = ctx;
  const iname = issuerName(ctx, issuer.name);
  // The names as text (for <title>) and as HTML (marked lang="en" when it stays English on a Hindi page).
  const title = displayText(registryLabel(ctx, doctype.name).text);
  const heading = registryText(ctx, doctype.name);
  const profile = doctype.profileFields.length ? html`<p class="muted">${t('doctype.profile', { fields: doctype.profileFields.map((f) => t(`doctype.profile.${f}`)).join(', ') })}</p>` : '';
  let action: SafeHtml;
  if (!issuer.connected) {
    action = html`<p class="notice warn">${t('issuer.not_connected')}</p>
      ${doctype.parameters.length ? html`<h2>${t('doctype.needs')}</h2><ul>${doctype.parameters.map((p) => html`<li>${registryText(ctx, p.label, 100)}${p.example ? html` <span class="muted">(${t('doctype.example', { example: displayText(p.example, 100) })})</span>` : ''}</li>`)}</ul>` : ''}`;
  } else if (!ctx.citizen) {
    action = html`<h2>${t('doctype.needs')}</h2>
      ${doctype.parameters.length ? html`<ul>${doctype.parameters.map((p) => html`<li>${registryText(ctx, p.label, 100)}${p.example ? html` <span class="muted">(${t('doctype.example', { example: displayText(p.example, 100) })})</span>` : ''}</li>`)}</ul>` : html`<p>${t('doctype.no_parameters')}</p>`}
      ${profile}
      <p>${fillHtml(t('doctype.signin.body'), { issuer: iname.html })}</p>
      <p><a class="button" href="/signin?next=${encodeURIComponent(ctx.here)}">${t('doctype.signin')}</a></p>`;
  } else {
    const first = doctype.parameters.find((p) => failed?.fields?.[p.name]) ?? doctype.parameters[0];
    const summary = failed
      ? html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
          <h2 id="error-summary-title">${t('doctype.failed')}</h2>
          <p>${failed.message}</p>
          ${first ? html`<p><a href="#p-${first.name}">${t('doctype.failed.fix')}</a></p>` : ''}
        </div>`
      : '';
    action = html`${summary}<form method="post" action="/issued/pull" class="pull-form">
      <input type="hidden" name="_csrf" value="${ctx.csrf()}">
      <input type="hidden" name="issuer_id" value="${issuer.id}">
      <input type="hidden" name="doctype" value="${doctype.code}">
      ${doctype.parameters.length ? doctype.parameters.map((p) => field(ctx, p, failed?.values[p.name] ?? '', failed?.fields?.[p.name])) : html`<p>${t('doctype.no_parameters')}</p>`}
      ${profile}
      <p class="check"><input type="checkbox" id="consent" name="consent" value="Y" required${failed?.consent ? html` checked` : ''}><label for="consent">${fillHtml(t('doctype.consent'), { issuer: iname.html })}</label></p>
      <p><button type="submit">${t('doctype.submit')}</button></p>
    </form>`;
  }
  return layout(ctx, {
    title: failed ? `${t('form.error.prefix')} ${title} · ${iname.text}` : `${title} · ${iname.text}`,
    body: html`
      ${breadcrumb(ctx, [[t('issuers.title'), '/issuers'], [iname.html, issuerHref(issuer.id)], [heading, null]])}
      <h1>${heading}</h1>
      <p>${fillHtml(t('doctype.lead'), { issuer: iname.html })} ${badge(ctx, issuer.connected)}</p>
      ${action}`,
  });
}
