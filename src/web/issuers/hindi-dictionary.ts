/**
 * The shape and lookup key of the Hindi dictionaries for registry English (registry-hi.ts)
 * and issuer names (issuer-names-hi.ts): entries `[hindi, ...englishSpellings]`, keyed by a
 * normalised English (`registryKey`: camelCase split, lower case, punctuation and spacing
 * collapsed), so "ROLL NO", "Roll No." and "RollNo" are one entry.
 */

/** `[hindi, ...englishSpellings]`. */
export type Entry = readonly [hindi: string, ...english: string[]];

/** "ROLL NO", "Roll No." and "RollNo" → "roll no". */
export function registryKey(english: string): string {
  return english
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** English (by registryKey) → Hindi from `[hindi, ...englishSpellings]` entries; `source` names the dictionary in errors. */
export function buildDictionary(source: string, ...lists: Entry[][]): Map<string, string> {
  const map = new Map<string, string>();
  for (const [hindi, ...english] of lists.flat()) {
    for (const e of english) {
      const key = registryKey(e);
      const before = map.get(key);
      // Two entries for one key would make the outcome depend on their order.
      if (before !== undefined && before !== hindi) throw new Error(`${source}: "${e}" has two translations: ${before} / ${hindi}`);
      map.set(key, hindi);
    }
  }
  return map;
}
