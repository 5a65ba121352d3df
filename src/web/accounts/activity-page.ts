/**
 * The Activity section: the citizen's log, newest first, filterable by type and date (a
 * plain GET form), paged with "Older entries", and a check of the hash chain. Types added
 * by later modules are labelled by their `activity.type.<type>` message, or readably
 * from the type itself until they add one.
 */
import type { ActivityEntry } from '../../domain/activity/ports.ts';
import { ACTIVITY_TYPES } from '../../domain/activity/ports.ts';
import { describeDevice } from '../../http/routes/accounts/present.ts';
import { displayText, html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';
import { issuerName } from '../issuers/issuer-names-hi.ts';
import { registryText } from '../issuers/registry-hi.ts';
import { errorSummary, formatDateTime, type FieldError } from './forms.ts';

const extraTypes = new Set<string>();

/**
 * Later modules list their event types here (and add `activity.type.<type>` messages) so
 * the Activity filter offers them: `registerActivityTypes('document_uploaded', …)`.
 */
export function registerActivityTypes(...types: string[]): void {
  for (const t of types) extraTypes.add(t);
}

export function registeredActivityTypes(): string[] {
  return [...extraTypes];
}

export function activityLabel(ctx: PageContext, type: string): string {
  const key = `activity.type.${type}`;
  const label = ctx.t(key);
  if (label !== key) return label;
  const words = type.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Subject kinds that are documents (or shares of one): their names link to "this document's activity". */
const DOCUMENT_KINDS = new Set(['upload', 'issued_document', 'share']);

export function actorLabel(ctx: PageContext, e: ActivityEntry, accountId: string): HtmlValue {
  if (e.actor.kind === 'citizen' && e.actor.id === accountId) return ctx.t('activity.you');
  if (e.actor.kind === 'system') return ctx.t('activity.actor.system');
  if (e.actor.kind === 'admin') return ctx.t('activity.actor.admin');
  // An issuer by its Hindi name on Hindi pages; people and organisations by their own names.
  if (e.actor.kind === 'issuer') return issuerName(ctx, e.actor.name).html;
  return e.actor.name;
}

/** A subject's name: an issued document by the registry's name for its type in the page's language. */
function subjectName(ctx: PageContext, kind: string, name: string): HtmlValue {
  return kind === 'issued_document' ? registryText(ctx, name, 80) : displayText(name, 80);
}

export function activityTable(ctx: PageContext, items: ActivityEntry[], accountId: string): HtmlValue {
  const { t } = ctx;
  if (items.length === 0) return html`<p class="empty">${t('activity.empty')}</p>`;
  return html`<div class="table-wrap"><table class="activity stack">
    <caption class="visually-hidden">${t('activity.title')}</caption>
    <thead><tr><th scope="col">${t('activity.when')}</th><th scope="col">${t('activity.what')}</th><th scope="col">${t('activity.who')}</th><th scope="col">${t('activity.where')}</th></tr></thead>
    <tbody>${items.map(
      (e) => html`<tr>
        <td data-label="${t('activity.when')}"><time datetime="${e.at}">${formatDateTime(ctx, e.at)}</time></td>
        <td data-label="${t('activity.what')}">${activityLabel(ctx, e.type)}${e.subject?.name ? html`<br>${DOCUMENT_KINDS.has(e.subject.kind) ? html`<a href="/activity?document=${encodeURIComponent(e.subject.id)}" class="muted">${subjectName(ctx, e.subject.kind, e.subject.name)}</a>` : html`<span class="muted">${subjectName(ctx, e.subject.kind, e.subject.name)}</span>`}` : ''}</td>
        <td data-label="${t('activity.who')}">${actorLabel(ctx, e, accountId)}</td>
        <td data-label="${t('activity.where')}">${e.ip ?? '—'}${e.userAgent ? html`<br><span class="muted">${describeDevice(e.userAgent)}</span>` : ''}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

export interface ActivityFilters {
  type?: string | undefined;
  /** A subject id (a document or share): only its entries. */
  document?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function filterQuery(f: ActivityFilters, cursor?: string): string {
  const p = new URLSearchParams();
  if (f.type) p.set('type', f.type);
  if (f.document) p.set('document', f.document);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (cursor) p.set('cursor', cursor);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface ChainStatus {
  intact: boolean;
  count: number;
  since: string | null;
  seq?: number;
}

function exportQuery(f: ActivityFilters, format: 'csv' | 'json'): string {
  const p = new URLSearchParams({ format });
  if (f.type) p.set('type', f.type);
  if (f.document) p.set('subject_id', f.document);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  return `/api/v1/activity/export?${p}`;
}

export function activityPage(ctx: PageContext, o: { items: ActivityEntry[]; nextCursor: string | null; paged: boolean; filters: ActivityFilters; errors: FieldError[]; accountId: string; extraTypes: string[]; chain?: ChainStatus | undefined; documentName?: string | null }): SafeHtml {
  const { t } = ctx;
  const f = o.filters;
  const types = [...new Set([...Object.values(ACTIVITY_TYPES), ...o.extraTypes])];
  const dateErr = (name: string) => o.errors.find((e) => e.field === name);
  const dateInput = (name: 'from' | 'to') => html`<div class="field">
      <label for="${name}">${t(`activity.filter.${name}`)}</label>
      ${dateErr(name) ? html`<span class="field-error" id="${name}-error">${dateErr(name)!.message}</span>` : ''}
      <input type="date" id="${name}" name="${name}" value="${f[name] ?? ''}"${dateErr(name) ? html` aria-invalid="true" aria-describedby="${name}-error"` : ''}>
    </div>`;
  return layout(ctx, {
    title: t('activity.title'),
    body: html`${errorSummary(ctx, o.errors)}
      <h1>${t('activity.title')}</h1>
      <p>${t('activity.lead')}</p>
      ${o.chain
        ? html`<div class="notice ${o.chain.intact ? 'ok' : 'warn'}" role="status"><p>${
            o.chain.intact
              ? o.chain.since
                ? t('activity.intact.since', { since: formatDateTime(ctx, o.chain.since), count: o.chain.count })
                : t('activity.verify.ok', { count: o.chain.count })
              : t('activity.broken.at', { seq: o.chain.seq ?? 0, email: ctx.supportEmail })
          }</p></div>`
        : ''}
      <form method="get" action="/activity" class="filters" role="search" aria-label="${t('activity.filter')}">
        <div class="field">
          <label for="type">${t('activity.filter.type')}</label>
          <select id="type" name="type">
            <option value="">${t('activity.filter.all')}</option>
            ${types.map((ty) => html`<option value="${ty}"${f.type === ty ? html` selected` : ''}>${activityLabel(ctx, ty)}</option>`)}
          </select>
        </div>
        ${f.document ? html`<input type="hidden" name="document" value="${f.document}">` : ''}
        ${dateInput('from')}
        ${dateInput('to')}
        <div class="field actions"><button type="submit">${t('activity.filter.apply')}</button> ${f.type || f.from || f.to || f.document ? html`<a href="/activity">${t('activity.filter.clear')}</a>` : ''}</div>
      </form>
      ${f.document ? html`<p>${t('activity.filter.document')}: <strong>${displayText(o.documentName ?? f.document, 80)}</strong> · <a href="/activity">${t('activity.filter.document.all')}</a></p>` : ''}
      <p>${t('activity.export')}: <a href="${exportQuery(f, 'csv')}" download>${t('activity.export.csv')}</a> · <a href="${exportQuery(f, 'json')}" download>${t('activity.export.json')}</a></p>
      ${activityTable(ctx, o.items, o.accountId)}
      ${o.paged || o.nextCursor
        ? html`<nav class="pager" aria-label="${t('activity.pages')}">
            ${o.paged ? html`<a href="/activity${filterQuery(f)}">${t('activity.newest')}</a>` : ''}
            ${o.nextCursor ? html`<a href="/activity${filterQuery(f, o.nextCursor)}" rel="next">${t('activity.older')}</a>` : ''}
          </nav>`
        : ''}
      <p><a href="/activity/verify">${t('activity.verify')}</a></p>`,
  });
}

export function verifyPage(ctx: PageContext, o: { intact: boolean; count: number; seq?: number }): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: t('activity.verify.title'),
    body: html`<h1>${t('activity.verify.title')}</h1>
      <div class="notice ${o.intact ? 'ok' : 'warn'}" role="status"><p>${
        o.intact ? t('activity.verify.ok', { count: o.count }) : t('activity.verify.bad', { seq: o.seq ?? 0, email: ctx.supportEmail })
      }</p></div>
      <p><a href="/activity">${t('activity.title')}</a></p>`,
  });
}
