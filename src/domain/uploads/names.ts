/**
 * Names citizens give files are hostile until proven otherwise: `<script>`, `../../etc`,
 * a right-to-left override that makes `gpj.exe` read as `exe.jpg`, 300 characters. Here
 * they become safe *data*: Unicode NFC, no control or bidi-formatting characters, no path,
 * at most 200 characters (keeping the extension). HTML escaping is still done where a name
 * is shown (web/html.ts); this makes the stored name itself harmless in logs, CSV, email
 * subjects and Content-Disposition.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;
export const MAX_NAME = 200;

export function sanitizeName(raw: string | undefined | null, fallback = 'document', o: { isPath?: boolean } = {}): string {
  let s = String(raw ?? '').normalize('NFC').replace(CONTROLS, '');
  // A client's file name: keep only the last path segment ("C:\\fakepath\\x.pdf", "../../x.pdf").
  // A name the citizen typed ("Marks 10/12") keeps its slashes: it is never used as a path.
  if (o.isPath) s = s.split(/[\\/]/).pop() ?? '';
  s = s.replace(/\s+/g, ' ').trim().replace(/^\.+/, '').trim();
  if (!s) s = fallback;
  if ([...s].length > MAX_NAME) {
    const chars = [...s];
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 10 ? [...s.slice(dot)] : [];
    s = chars.slice(0, MAX_NAME - ext.length - 1).join('') + '…' + ext.join('');
  }
  return s;
}

const EXT: Record<string, string> = { 'application/pdf': '.pdf', 'image/jpeg': '.jpg', 'image/png': '.png', 'application/xml': '.xml' };

/** A download name: the display name, with the extension of its real type when it lacks one. */
export function downloadName(name: string, mime: string): string {
  const ext = EXT[mime];
  if (!ext) return name;
  const lower = name.toLowerCase();
  if (lower.endsWith(ext) || (ext === '.jpg' && lower.endsWith('.jpeg'))) return name;
  return name + ext;
}

/**
 * `Content-Disposition` with an ASCII fallback `filename` (quotes, backslashes and
 * non-ASCII replaced) and the exact name as RFC 5987 `filename*`.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const clean = sanitizeName(name).replace(/[\\/]/g, '_');
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const star = encodeURIComponent(clean).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${star}`;
}
