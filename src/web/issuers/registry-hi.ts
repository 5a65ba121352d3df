/**
 * Hindi for the English the issuer registry is written in: document type names ("Class XII
 * Marksheet"), search-parameter labels ("Roll No", "Date of Birth") and value-list labels
 * ("Male", "MARCH"). The registry is seeded from the API Setu directory and filled by
 * issuers, so it stays English; this only changes what a Hindi page shows. Stored data,
 * APIs, field names and `value` attributes are untouched.
 *
 * Covered: the labels and names that occur most often in `resources/issuer-directory.json`
 * (most of the directory's occurrences) and every sandbox issuer's. Anything else is shown
 * as the registry has it, marked `lang="en"` so screen readers read it as English (as the
 * verification page does with its English details).
 *
 * The tables are in registry-hi-labels.ts and registry-hi-doctypes.ts; keys are normalised
 * as hindi-dictionary.ts describes. Each entry lists the English spellings found in the
 * directory that mean the same thing.
 */
import { displayText, html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { buildDictionary, registryKey } from './hindi-dictionary.ts';
import { DOCTYPES } from './registry-hi-doctypes.ts';
import { LABELS, VALUES } from './registry-hi-labels.ts';

const HINDI = buildDictionary('registry-hi', LABELS, DOCTYPES, VALUES);

/** The Hindi for a registry text, if there is one. */
export function registryHindi(english: string): string | undefined {
  return HINDI.get(registryKey(english));
}

/** Digits, years, ranges and roman numerals ("2021", "2022-2023", "XII"): the same in both languages. */
function neutral(s: string): boolean {
  return !/[A-Za-z]/.test(s.replace(/\b[IVXLC]+\b/g, ''));
}

/**
 * What to show for a registry text on this page: the Hindi on a Hindi page when there is
 * some; otherwise the English, with `lang: 'en'` when the page is Hindi (so the element
 * can be marked). For places that take text only: <title>, <option>, attributes.
 */
export function registryLabel(ctx: Pick<PageContext, 'lang'>, english: string): { text: string; lang?: 'en' } {
  if (ctx.lang === 'en') return { text: english };
  const hi = registryHindi(english);
  if (hi !== undefined) return { text: hi };
  return neutral(english) ? { text: english } : { text: english, lang: 'en' };
}

/**
 * A registry text as HTML for this page (cleaned and cut to `max` like `displayText`):
 * Hindi when the page is Hindi and there is a translation, else the registry's English —
 * in a Hindi page inside `<span lang="en">`.
 */
export function registryText(ctx: Pick<PageContext, 'lang'>, english: string, max = 200): SafeHtml {
  const l = registryLabel(ctx, english);
  return l.lang ? html`<span lang="en">${displayText(l.text, max)}</span>` : html`${displayText(l.text, max)}`;
}
