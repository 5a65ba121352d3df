/**
 * English and Hindi message catalogues. Each module defines its messages with
 * `defineMessages`, whose type makes the Hindi catalogue name exactly the English keys, so
 * a missing translation fails the type check. `{name}` placeholders are filled by `t`.
 */
export const LANGUAGES = ['en', 'hi'] as const;
export type Lang = (typeof LANGUAGES)[number];

export interface Catalogue<K extends string> {
  en: Record<K, string>;
  hi: Record<K, string>;
}

export function defineMessages<K extends string>(c: Catalogue<K>): Catalogue<K> {
  return c;
}

const registry: { en: Record<string, string>; hi: Record<string, string> } = { en: {}, hi: {} };

export function registerMessages(c: Catalogue<string>): void {
  for (const k of Object.keys(c.en)) {
    if (k in registry.en && registry.en[k] !== c.en[k]) throw new Error(`message key ${k} defined twice`);
  }
  Object.assign(registry.en, c.en);
  Object.assign(registry.hi, c.hi);
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const table = registry[lang];
  return (key, params) => {
    const template = table[key] ?? registry.en[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m));
  };
}

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/** Picks the language: explicit cookie first, then the browser's Accept-Language. */
export function negotiateLang(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(cookie)) return cookie;
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: (tag ?? '').toLowerCase(), q: q ? Number(q.split('=')[1]) : 1 };
    })
    .filter((p) => p.tag && !Number.isNaN(p.q))
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) {
    const base = p.tag.split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}
