/**
 * Form building blocks for the account pages, after the GOV.UK patterns: an error summary
 * at the top whose entries link to the fields, errors repeated beside each field and tied
 * to it with aria-describedby, labels and hints on every input, numeric keyboards and
 * autofill hints for codes and PINs. Everything works without JavaScript.
 */
import { AppError } from '../../domain/errors.ts';
import { STATUS_BY_KIND } from '../../http/plugins/errors.ts';
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';

export interface FieldError {
  /** The input's id (also its name). */
  field: string;
  message: string;
}

export type Values = Record<string, string | undefined>;

/** What a page needs of an error: an AppError, or the same read from a JSON error body. */
export type ErrorLike = Pick<AppError, 'code' | 'message' | 'details'>;

/**
 * Translates an error for a page: `err.<code>` in the catalogue, filled from the error's
 * details. A module whose meaning of a shared code is narrower (`not_found` in Issued is a
 * document of this locker) passes its `scope`: `<scope>.err.<code>` is tried first.
 */
export function errorMessage(ctx: PageContext, err: ErrorLike, scope?: string): string {
  if (scope) {
    const own = `${scope}.err.${err.code}`;
    const text = ctx.t(own);
    if (text !== own) return text;
  }
  const d = err.details ?? {};
  const until = typeof d.locked_until === 'string' ? formatDateTime(ctx, d.locked_until) : '';
  const retry = Number(d.retry_after ?? 0);
  const params = { tries: String(d.tries_left ?? ''), until, seconds: String(retry), minutes: String(Math.max(1, Math.ceil(retry / 60))) };
  const key = err.code === 'otp_incorrect' && d.tries_left === 0 ? 'err.otp_attempts_exceeded' : `err.${err.code}`;
  const text = ctx.t(key, params);
  return text === key ? err.message : text;
}

/** Turns an AppError into a field error (the field named by the error, else `fallback`). */
export function toFieldError(ctx: PageContext, err: AppError, fallback: string, rename: Record<string, string> = {}, scope?: string): FieldError {
  const f = typeof err.details?.field === 'string' ? err.details.field : fallback;
  return { field: rename[f] ?? f, message: errorMessage(ctx, err, scope) };
}

export function errorSummary(ctx: PageContext, errors: FieldError[]): HtmlValue {
  if (errors.length === 0) return '';
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
    <h2 id="error-summary-title">${ctx.t('form.problem')}</h2>
    <ul>${errors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}</ul>
  </div>`;
}

export function notice(text: HtmlValue, kind: 'ok' | 'warn' | '' = ''): SafeHtml {
  return html`<div class="notice ${kind}" role="status">${text}</div>`;
}

interface InputOptions {
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'tel' | 'email' | 'password' | 'date';
  value?: string | undefined;
  autocomplete?: string;
  inputmode?: 'numeric' | 'tel' | 'email' | 'text';
  pattern?: string;
  maxlength?: number;
  className?: string;
  required?: boolean;
  errors: FieldError[];
}

export function input(ctx: PageContext, o: InputOptions): SafeHtml {
  const err = o.errors.find((e) => e.field === o.name);
  const describedBy = [o.hint ? `${o.name}-hint` : '', err ? `${o.name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${err ? ' has-error' : ''}">
    <label for="${o.name}">${o.label}</label>
    ${o.hint ? html`<span class="hint" id="${o.name}-hint">${o.hint}</span>` : ''}
    ${err ? html`<span class="field-error" id="${o.name}-error"><span class="visually-hidden">${ctx.t('form.error.prefix')} </span>${err.message}</span>` : ''}
    <input id="${o.name}" name="${o.name}" type="${o.type ?? 'text'}"${o.value !== undefined && o.type !== 'password' ? html` value="${o.value}"` : ''}${
      o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
    }${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.pattern ? html` pattern="${o.pattern}"` : ''}${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${
      o.className ? html` class="${o.className}"` : ''
    }${o.required === false ? '' : html` required`}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${err ? html` aria-invalid="true"` : ''}>
  </div>`;
}

export function otpInput(ctx: PageContext, errors: FieldError[], name = 'otp', label?: string): SafeHtml {
  return input(ctx, { name, label: label ?? ctx.t('form.otp'), hint: ctx.t('form.otp.hint'), autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6, className: 'code', errors });
}

export function pinInput(ctx: PageContext, errors: FieldError[], name: string, label: string, hint: string | undefined, autocomplete: 'current-password' | 'new-password'): SafeHtml {
  return input(ctx, { name, label, ...(hint ? { hint } : {}), type: 'password', autocomplete, inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6, className: 'code', errors });
}

export function mobileInput(ctx: PageContext, errors: FieldError[], value: string | undefined, name = 'mobile', label?: string): SafeHtml {
  return input(ctx, { name, label: label ?? ctx.t('form.mobile'), hint: ctx.t('form.mobile.hint'), type: 'tel', value, autocomplete: 'tel-national', inputmode: 'tel', maxlength: 16, errors });
}

export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf()}">`;
}

/** The page title, marked when the form came back with errors (so screen readers hear it first). */
export function titled(ctx: PageContext, title: string, errors: FieldError[]): string {
  return errors.length ? `${ctx.t('form.error.prefix')} ${title}` : title;
}

// Building an Intl.DateTimeFormat costs far more than formatting with one (an Activity
// page formats a time per row): one per language, made once.
const dateTimeFormats = {
  en: new Intl.DateTimeFormat('en-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'short' }),
  hi: new Intl.DateTimeFormat('hi-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'short' }),
};

const dateFormats = {
  en: new Intl.DateTimeFormat('en-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'medium' }),
  hi: new Intl.DateTimeFormat('hi-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'medium' }),
  enDay: new Intl.DateTimeFormat('en-IN', { timeZone: 'UTC', dateStyle: 'medium' }),
  hiDay: new Intl.DateTimeFormat('hi-IN', { timeZone: 'UTC', dateStyle: 'medium' }),
};

/** A date as the pages write it ("29 Nov 2026"): a bare YYYY-MM-DD is that calendar day; a time is its day in IST. */
export function formatDate(ctx: PageContext, value: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = new Date(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  const hi = ctx.lang === 'hi';
  return (day ? (hi ? dateFormats.hiDay : dateFormats.enDay) : hi ? dateFormats.hi : dateFormats.en).format(d);
}

export function formatDateTime(ctx: PageContext, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateTimeFormats[ctx.lang === 'hi' ? 'hi' : 'en'].format(d) + ' IST';
}

/** Reads a form field as a trimmed string (forms may send arrays or nothing). */
export function field(body: unknown, name: string): string | undefined {
  const v = (body as Record<string, unknown> | null)?.[name];
  return typeof v === 'string' ? v.trim() : undefined;
}

/** Runs a use case; AppErrors become page errors, anything else propagates (500 page). */
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: AppError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err };
    throw err;
  }
}

/** The HTTP status a page re-rendered because of `err` answers with: the same as the API's. */
export function statusFor(err: AppError): number {
  return STATUS_BY_KIND[err.kind];
}
