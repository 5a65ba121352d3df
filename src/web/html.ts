/**
 * HTML by tagged template, escaped by default: every interpolated value is escaped unless
 * it is already `SafeHtml` (the result of another `html` template). There is no way to
 * emit unescaped text except `trustedHtml`, which takes only constants we wrote.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[];

function renderValue(v: HtmlValue): string {
  if (v instanceof SafeHtml) return v.value;
  if (v === null || v === undefined || v === false || v === true) return '';
  if (Array.isArray(v)) return v.map(renderValue).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += renderValue(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** For markup written in our own source (never for data). */
export function trustedHtml(constant: string): SafeHtml {
  return new SafeHtml(constant);
}

/**
 * A URL safe to put in href/src: relative paths and http(s)/mailto only. Anything else
 * (javascript:, data:, vbscript:…) becomes "#".
 */
export function safeUrl(u: string): string {
  const t = u.trim();
  if (t.startsWith('/') && !t.startsWith('//')) return t;
  if (/^(https?:|mailto:)/i.test(t)) return t;
  if (/^[a-z][a-z0-9+.-]*:/i.test(t) || t.startsWith('//')) return '#';
  return t;
}

/** Removes bidirectional overrides and control characters from user-supplied display text. */
export function displayText(s: string, max = 200): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > max ? clean.slice(0, max - 1) + '…' : clean;
}

/**
 * Fills a message template's `{name}` placeholders with HTML values (escaped unless already
 * `SafeHtml`), in one pass like `translator` does, so a placeholder can carry markup such
 * as `<span lang="en">`. Unknown placeholders are left as written. For plain-text values the
 * output is the same as escaping `t(key, params)` as a whole.
 */
export function fillHtml(template: string, params: Record<string, HtmlValue>): SafeHtml {
  const pieces = template.split(/(\{\w+\})/);
  return html`${pieces.map((p) => {
    const m = /^\{(\w+)\}$/.exec(p);
    return m && Object.hasOwn(params, m[1]!) ? html`${params[m[1]!]}` : p;
  })}`;
}
