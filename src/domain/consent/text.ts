/** Removes bidirectional overrides and control characters from organisation-supplied text (names, purposes). */
export function displayText(s: string, max = 200): string {
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > max ? clean.slice(0, max - 1) + '…' : clean;
}
