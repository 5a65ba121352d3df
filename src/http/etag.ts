/** Conditional requests (RFC 9110 §13.1.2). */

/** Whether an If-None-Match header matches `etag` (RFC 9110 §13.1.2: weak comparison, lists, `*`). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}
