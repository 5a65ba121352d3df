/**
 * Hindi for issuer names ("Central Board of Secondary Education" → "केंद्रीय माध्यमिक शिक्षा
 * बोर्ड"), the companion of `registry-hi.ts` for the names of the issuers themselves. Like
 * it, this only changes what a Hindi page shows: the registry, search (`q` matches the
 * English), APIs and `value` attributes are untouched.
 *
 * Covered: every sandbox issuer, the central issuers with an established Hindi name
 * (ministries, departments, national boards, IITs, NITs, IIMs, AIIMS, central universities,
 * public-sector banks) and the big state school boards and universities. Names follow the
 * bodies' own Hindi usage where they have one; a name we are unsure of is not translated.
 * Anything else is shown as the registry has it, marked `lang="en"` on Hindi pages.
 *
 * Besides whole names, a name is translated when it is made of known parts:
 *  - a trailing acronym stays as it is: "National Testing Agency (NTA)" → "राष्ट्रीय परीक्षा एजेंसी (NTA)";
 *  - a known name, a comma and a known place: "Transport Department, Bihar" → "परिवहन विभाग, बिहार";
 *  - one of the institution series (`SERIES`) and a known place: "Indian Institute of Technology
 *    Kanpur" → "भारतीय प्रौद्योगिकी संस्थान कानपुर".
 * The tables are in issuer-names-hi-data.ts; keys are normalised with `registryKey` (case,
 * punctuation and spacing don't matter).
 */
import { displayText, html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { buildDictionary, registryKey, type Entry } from './hindi-dictionary.ts';
import { NAMES, PLACES, SERIES } from './issuer-names-hi-data.ts';

const build = (...lists: Entry[][]) => buildDictionary('issuer-names-hi', ...lists);
const NAME = build(NAMES, SERIES);
const SERIES_NAME = build(SERIES);
const PLACE = build(PLACES);

/** "National Testing Agency (NTA)" → ["National Testing Agency", "NTA"]. */
const ACRONYM = /^(.*\S)\s*\(([A-Z][A-Z&.]*[A-Z])\)$/;

function whole(english: string): string | undefined {
  const exact = NAME.get(registryKey(english));
  if (exact !== undefined) return exact;
  const m = ACRONYM.exec(english);
  const base = m ? NAME.get(registryKey(m[1]!)) : undefined;
  return base === undefined ? undefined : `${base} (${m![2]})`;
}

/** The Hindi for an issuer name, if there is one. */
export function issuerHindi(english: string): string | undefined {
  const name = english.trim();
  const known = whole(name);
  if (known !== undefined) return known;
  // "<name>, <place>" (the last comma): "Transport Department, Bihar".
  const comma = name.lastIndexOf(',');
  if (comma > 0) {
    const base = whole(name.slice(0, comma));
    const place = PLACE.get(registryKey(name.slice(comma + 1)));
    if (base !== undefined && place !== undefined) return `${base}, ${place}`;
  }
  // "<series> <place>": "Indian Institute of Technology Kanpur", "eDistrict Assam".
  const words = name.split(/\s+/);
  for (let n = 1; n <= 3 && n < words.length; n++) {
    const series = SERIES_NAME.get(registryKey(words.slice(0, -n).join(' ')));
    const place = PLACE.get(registryKey(words.slice(-n).join(' ')));
    if (series !== undefined && place !== undefined) return `${series} ${place}`;
  }
  return undefined;
}

/**
 * An issuer's name for this page: `text` for places that take text only (<title>,
 * attributes, sentences), `html` for markup — Hindi on a Hindi page when there is some,
 * else the registry's English, inside `<span lang="en">` on a Hindi page. English pages get
 * the name exactly as before (cleaned and cut to `max` by `displayText`).
 */
export function issuerName(ctx: Pick<PageContext, 'lang'>, english: string, max = 200): { text: string; lang?: 'en'; html: SafeHtml } {
  if (ctx.lang === 'en') {
    const text = displayText(english, max);
    return { text, html: html`${text}` };
  }
  const hi = issuerHindi(english);
  if (hi !== undefined) {
    const text = displayText(hi, max);
    return { text, html: html`${text}` };
  }
  const text = displayText(english, max);
  return { text, lang: 'en', html: html`<span lang="en">${text}</span>` };
}
