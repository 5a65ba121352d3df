/**
 * Checks a partner registration or application and turns it into clean values. Every
 * rule names the field it concerns, so forms can show the error beside it.
 *
 * Redirect URIs are matched exactly at authorization time, so they are checked strictly
 * here: absolute, no fragment, no credentials, https — plain http only for loopback
 * addresses (an integrator's laptop) and never in production.
 */
import { displayText } from './text.ts';
import { AppError } from '../errors.ts';
import { PARTNER_TYPES, type PartnerType, type PkceCompat } from './model.ts';
import { isDoctype, isKnownScope } from './scopes.ts';

export interface PartnerInput {
  name?: unknown;
  type?: unknown;
  redirect_uris?: unknown;
  scopes?: unknown;
  doctypes?: unknown;
  purpose?: unknown;
  contact_name?: unknown;
  contact_email?: unknown;
  contact_phone?: unknown;
  pkce_compat?: unknown;
}

export interface CleanPartner {
  name: string;
  type: PartnerType;
  redirectUris: string[];
  scopes: string[];
  doctypes: string[];
  purpose: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  pkceCompat: PkceCompat;
}

const bad = (field: string, message: string) => new AppError('invalid', 'invalid_parameter', message, { field });

function text(v: unknown, field: string, label: string, min: number, max: number): string {
  if (typeof v !== 'string' || displayText(v.trim(), max + 1).length < min) throw bad(field, `${label} must be ${min}–${max} characters.`);
  const t = displayText(v.trim(), 10_000);
  if (t.length > max) throw bad(field, `${label} must be ${min}–${max} characters.`);
  return t;
}

function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  return [];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function checkRedirectUri(raw: unknown, production: boolean): string {
  if (typeof raw !== 'string' || raw.length > 500) throw bad('redirect_uris', 'Each redirect URI must be an absolute URL of at most 500 characters.');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw bad('redirect_uris', `"${raw.slice(0, 80)}" is not an absolute URL.`);
  }
  if (u.hash || raw.includes('#')) throw bad('redirect_uris', 'A redirect URI must not contain a fragment (#…).');
  if (u.username || u.password) throw bad('redirect_uris', 'A redirect URI must not contain a user name or password.');
  if (u.protocol === 'https:') return raw;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) {
    if (production) throw bad('redirect_uris', 'In production every redirect URI must use https.');
    return raw;
  }
  throw bad('redirect_uris', 'Redirect URIs must use https (plain http is allowed only for 127.0.0.1 or localhost, outside production).');
}

export function validatePartner(input: PartnerInput, o: { production: boolean; application?: boolean }): CleanPartner {
  const name = text(input.name, 'name', 'The organisation name', 2, 120);
  if (typeof input.type !== 'string' || !(PARTNER_TYPES as readonly string[]).includes(input.type)) {
    throw bad('type', `The type must be one of ${PARTNER_TYPES.join(', ')}.`);
  }
  const uris = list(input.redirect_uris);
  if (uris.length < 1 || uris.length > 10) throw bad('redirect_uris', 'Give 1 to 10 redirect URIs.');
  const redirectUris = [...new Set(uris.map((u) => checkRedirectUri(u, o.production)))];
  const scopes: string[] = [];
  for (const s of list(input.scopes)) {
    if (typeof s !== 'string' || !isKnownScope(s)) throw bad('scopes', `"${String(s).slice(0, 60)}" is not a scope this locker offers (userdetails, files.issueddocs, files.uploadeddocs, partners.<DOCTYPE>, openid, profile, email, offline_access).`);
    if (!scopes.includes(s)) scopes.push(s);
  }
  if (scopes.length === 0) throw bad('scopes', 'Ask for at least one scope, for example userdetails.');
  const doctypes: string[] = [];
  for (const d of list(input.doctypes)) {
    if (typeof d !== 'string' || !isDoctype(d)) throw bad('doctypes', `"${String(d).slice(0, 20)}" is not a doc type code (5 capital letters or digits, e.g. PANCR).`);
    if (!doctypes.includes(d)) doctypes.push(d);
  }
  if (doctypes.length > 100) throw bad('doctypes', 'At most 100 doc types.');
  const purpose = text(input.purpose, 'purpose', 'The purpose statement', 10, 500);
  const opt = (v: unknown, field: string, label: string, max: number) => (v === undefined || v === null || v === '' ? null : text(v, field, label, 2, max));
  const contactName = opt(input.contact_name, 'contact_name', 'The contact name', 100);
  const contactEmail = opt(input.contact_email, 'contact_email', 'The contact email', 254);
  if (contactEmail !== null && !/^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/.test(contactEmail)) throw bad('contact_email', 'Enter a valid email address.');
  const contactPhone = opt(input.contact_phone, 'contact_phone', 'The contact phone', 20);
  if (contactPhone !== null && !/^[+0-9][0-9 ()-]{5,19}$/.test(contactPhone)) throw bad('contact_phone', 'Enter a phone number (digits, spaces, +, -).');
  if (o.application && (!contactName || !contactEmail)) throw bad(contactName ? 'contact_email' : 'contact_name', 'An application needs a contact name and email, so the operator can reach you.');
  const compat = input.pkce_compat ?? 'none';
  if (compat !== 'none' && compat !== 'hex-s256') throw bad('pkce_compat', 'pkce_compat must be none or hex-s256.');
  return { name, type: input.type as PartnerType, redirectUris, scopes, doctypes, purpose, contactName, contactEmail, contactPhone, pkceCompat: compat };
}
