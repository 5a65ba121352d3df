/**
 * Canonical JSON (RFC 8785 for the values we hash): object keys sorted by UTF-16 code
 * units, no whitespace, strings as JSON.stringify writes them. Key-log entries hold only
 * strings, safe integers, booleans, null, arrays and objects of those, so JCS's number
 * formatting rules never come into play; anything else is refused rather than hashed
 * ambiguously.
 */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [k: string]: CanonicalValue };

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('canonical JSON here takes only safe integers');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`canonical JSON cannot hold a ${typeof value}`);
}
