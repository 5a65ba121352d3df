/**
 * DigiLocker's partner scopes. A request names scopes separated by spaces; anything not
 * listed here is refused (never silently ignored), and a partner may ask only for scopes
 * (and `partners.<DOCTYPE>` doc types) an admin approved for it.
 *
 * The citizen's basic profile (DigiLocker id, name, date of birth, gender, whether eAadhaar
 * is present) is part of every consent: DigiLocker returns it in every `1/token` response,
 * so the consent screen always lists it, and `userdetails` is its explicit name. OpenID
 * Connect's `profile` names the same basic profile (clients written for DigiLocker send
 * `openid profile`); like `openid`, every approved partner may ask for it.
 *
 * `address` and `picture` (DigiLocker's v2.x OpenID scopes) are the address and photograph
 * of the citizen's Aadhaar eKYC: a partner must be approved for them, and they are given
 * only by a citizen who has linked Aadhaar (otherwise the claims are simply absent).
 */
import { AppError } from '../errors.ts';

export const BASE_SCOPES = ['openid', 'profile', 'userdetails', 'email', 'address', 'picture', 'files.issueddocs', 'files.uploadeddocs', 'offline_access'] as const;
export type BaseScope = (typeof BASE_SCOPES)[number];

const DOCTYPE = /^[A-Z0-9]{5}$/;
const PARTNER_SCOPE = /^partners\.([A-Z0-9]{5})$/;

export function isKnownScope(s: string): boolean {
  return (BASE_SCOPES as readonly string[]).includes(s) || PARTNER_SCOPE.test(s);
}

export function doctypeOfScope(s: string): string | null {
  return PARTNER_SCOPE.exec(s)?.[1] ?? null;
}

export function isDoctype(s: string): boolean {
  return DOCTYPE.test(s);
}

export function invalidScope(message: string): AppError {
  return new AppError('invalid', 'invalid_scope', message);
}

/** Parses a space-separated scope string (order kept, duplicates dropped). Throws `invalid_scope` for unknown scopes. */
export function parseScopes(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw !== 'string' || raw.length > 2000) throw invalidScope('scope must be a space-separated list of scopes.');
  const out: string[] = [];
  for (const s of raw.split(/\s+/).filter(Boolean)) {
    if (!isKnownScope(s)) throw invalidScope(`The scope "${s.slice(0, 60)}" is not one this locker offers.`);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** Parses `req_doctype` (comma-separated 5-character doc type codes). */
export function parseDoctypes(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw !== 'string' || raw.length > 500) throw new AppError('invalid', 'invalid_parameter', 'req_doctype must be comma-separated doc type codes such as PANCR,DRVLC.');
  const out: string[] = [];
  for (const d of raw.split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!DOCTYPE.test(d)) throw new AppError('invalid', 'invalid_parameter', `"${d.slice(0, 20)}" is not a doc type code (5 capital letters or digits).`);
    if (!out.includes(d)) out.push(d);
  }
  return out;
}

/**
 * The scopes outside what the partner was approved for (empty when all are allowed).
 * `openid`, `offline_access` and `profile` (the basic profile every consent includes) are
 * scopes every approved partner may use.
 */
export function scopesOutsideApproval(requested: string[], approved: { scopes: string[]; doctypes: string[] }, reqDoctypes: string[] = []): string[] {
  const outside: string[] = [];
  for (const s of requested) {
    if (s === 'openid' || s === 'offline_access' || s === 'profile') continue;
    const d = doctypeOfScope(s);
    if (d ? !(approved.scopes.includes(s) || approved.doctypes.includes(d)) : !approved.scopes.includes(s)) outside.push(s);
  }
  for (const d of reqDoctypes) if (!approved.doctypes.includes(d)) outside.push(`req_doctype=${d}`);
  return outside;
}
