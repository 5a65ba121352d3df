/**
 * Checks an issuer registration (admin API body, CLI flags, an import file entry) and turns
 * it into a registry record. Every rule names the field it is about, so an operator can fix
 * a 2,000-line import file from the message alone. The HTTP schema checks the shape first;
 * this checks meaning, and also guards the CLI paths that have no HTTP schema.
 */
import { AppError } from '../errors.ts';
import {
  CATEGORIES,
  DOCTYPE_CODE,
  HMAC_ENCODINGS,
  ISSUER_ID,
  PARAMETER_NAME,
  PROFILE_FIELDS,
  RESERVED_ELEMENT_NAMES,
  isCategory,
  type Doctype,
  type DoctypeParameter,
  type Category,
  type HmacEncoding,
  type IssuerScope,
  type IssuerStatus,
  type IssuerSource,
  type ProfileField,
} from './model.ts';
import type { IssuerRecord } from './ports.ts';

export interface IssuerInput {
  record: IssuerRecord;
  /** The HMAC key as given (undefined: not given, keep the stored one). */
  hmacKey: string | undefined;
}

export interface ValidateOptions {
  source: IssuerSource;
  /** Production refuses plain-http issuer endpoints (documents and keys would travel in clear). */
  requireHttps: boolean;
}

export const LIMITS = { doctypes: 200, parameters: 20, values: 100, keyMin: 16, keyMax: 256 } as const;

const fail = (field: string, message: string): never => {
  throw new AppError('invalid', 'invalid_issuer', `${field} ${message}`, { field });
};

function str(v: unknown, field: string, opts: { min?: number; max: number; optional?: boolean }): string | undefined {
  if (v === undefined || v === null || v === '') {
    if (opts.optional) return undefined;
    return fail(field, 'is required.');
  }
  if (typeof v !== 'string') return fail(field, 'must be a string.');
  const s = v.trim();
  if (s.length < (opts.min ?? 1)) return fail(field, `must have at least ${opts.min ?? 1} characters.`);
  if (s.length > opts.max) return fail(field, `must have at most ${opts.max} characters.`);
  if (/[\u0000-\u001f\u007f]/.test(s)) return fail(field, 'must not contain control characters.');
  return s;
}

function url(v: unknown, field: string, requireHttps: boolean): string | null {
  const s = str(v, field, { max: 2000, optional: true });
  if (s === undefined) return null;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return fail(field, `must be an absolute URL, got "${s.slice(0, 80)}".`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return fail(field, 'must be an http or https URL.');
  if (requireHttps && u.protocol !== 'https:') return fail(field, 'must use https in production: documents and the HMAC travel over it.');
  if (u.username || u.password) return fail(field, 'must not contain a user name or password; the HMAC key authenticates the locker.');
  return u.toString();
}

/** Compiles a parameter pattern the way browsers apply `pattern` (anchored, `v` flag). */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'v');
}

function parameter(v: unknown, field: string): DoctypeParameter {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(field, 'must be an object with name and label.');
  const p = v as Record<string, unknown>;
  const name = str(p.name, `${field}.name`, { max: 64 })!;
  if (!PARAMETER_NAME.test(name)) fail(`${field}.name`, 'must be an XML element name: a letter or _, then letters, digits, _, - or . (it is sent as <name>value</name>).');
  if (RESERVED_ELEMENT_NAMES.has(name)) fail(`${field}.name`, `"${name}" is an Issuer API element; list it in profile_fields instead.`);
  const out: DoctypeParameter = { name, label: str(p.label, `${field}.label`, { max: 100 })! };
  const example = str(p.example, `${field}.example`, { max: 100, optional: true });
  if (example) out.example = example;
  const pattern = str(p.pattern, `${field}.pattern`, { max: 200, optional: true });
  if (pattern) {
    try {
      compilePattern(pattern);
    } catch {
      fail(`${field}.pattern`, 'is not a valid regular expression.');
    }
    out.pattern = pattern;
  }
  if (p.values !== undefined && p.values !== null) {
    if (!Array.isArray(p.values) || p.values.length === 0 || p.values.length > LIMITS.values) fail(`${field}.values`, `must be a list of 1 to ${LIMITS.values} values.`);
    out.values = (p.values as unknown[]).map((item, i) => {
      if (typeof item === 'string') {
        const value = str(item, `${field}.values[${i}]`, { max: 100 })!;
        return { value, label: value };
      }
      const o = (item ?? {}) as Record<string, unknown>;
      const value = str(o.value, `${field}.values[${i}].value`, { max: 100 })!;
      return { value, label: str(o.label, `${field}.values[${i}].label`, { max: 100, optional: true }) ?? value };
    });
  }
  return out;
}

function doctype(v: unknown, field: string, requireHttps: boolean): Doctype {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(field, 'must be an object with code, name and parameters.');
  const d = v as Record<string, unknown>;
  const code = str(d.code, `${field}.code`, { max: 6 })!;
  if (!DOCTYPE_CODE.test(code)) fail(`${field}.code`, `must be DigiLocker's document type code: 5 upper-case letters or digits (like HSCER), got "${code}".`);
  let formats: Doctype['formats'] = ['pdf'];
  if (d.formats !== undefined) {
    if (!Array.isArray(d.formats) || d.formats.length === 0 || d.formats.some((f) => f !== 'pdf' && f !== 'xml')) fail(`${field}.formats`, 'must be a non-empty list of "pdf" and "xml".');
    formats = (['pdf', 'xml'] as const).filter((f) => (d.formats as unknown[]).includes(f));
  }
  const rawParams = d.parameters ?? [];
  if (!Array.isArray(rawParams) || rawParams.length > LIMITS.parameters) fail(`${field}.parameters`, `must be a list of at most ${LIMITS.parameters} parameters.`);
  const parameters = (rawParams as unknown[]).map((p, i) => parameter(p, `${field}.parameters[${i}]`));
  const names = new Set<string>();
  for (const [i, p] of parameters.entries()) {
    if (names.has(p.name)) fail(`${field}.parameters[${i}].name`, `"${p.name}" is listed twice.`);
    names.add(p.name);
  }
  const rawProfile = d.profile_fields ?? [];
  if (!Array.isArray(rawProfile) || rawProfile.some((f) => !(PROFILE_FIELDS as readonly unknown[]).includes(f))) {
    fail(`${field}.profile_fields`, `must be a list of ${PROFILE_FIELDS.join(', ')}.`);
  }
  const profileFields = PROFILE_FIELDS.filter((f) => (rawProfile as unknown[]).includes(f)) as ProfileField[];
  if (parameters.length === 0 && profileFields.length === 0) fail(field, 'needs at least one search parameter or profile field: the issuer needs something to search by.');
  return {
    code,
    name: str(d.name, `${field}.name`, { max: 200 })!,
    formats,
    parameters,
    profileFields,
    pullUriUrl: url(d.pull_uri_url, `${field}.pull_uri_url`, requireHttps),
    pullDocUrl: url(d.pull_doc_url, `${field}.pull_doc_url`, requireHttps),
  };
}

/** Validates one issuer registration; throws AppError `invalid_issuer` naming the field. */
export function validateIssuerInput(v: unknown, options: ValidateOptions, field = 'issuer'): IssuerInput {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(field, 'must be a JSON object.');
  const b = v as Record<string, unknown>;
  const at = (k: string) => (field === 'issuer' ? k : `${field}.${k}`);
  const id = str(b.id, at('id'), { max: 100 })!;
  if (!ISSUER_ID.test(id)) fail(at('id'), `must be a reverse-domain issuer id in lower case, like in.gov.cbse, got "${id}".`);
  const categoryRaw = str(b.category, at('category'), { max: 40 })!;
  if (!isCategory(categoryRaw)) fail(at('category'), `must be one of ${CATEGORIES.join(', ')}.`);
  const category = categoryRaw as Category;
  const state = str(b.state, at('state'), { max: 80, optional: true }) ?? null;
  const scope = (b.scope === undefined ? (state ? 'state' : 'central') : b.scope) as IssuerScope;
  if (scope !== 'central' && scope !== 'state') fail(at('scope'), 'must be "central" or "state".');
  const status = (b.status === undefined ? 'active' : b.status) as IssuerStatus;
  if (status !== 'active' && status !== 'disabled') fail(at('status'), 'must be "active" or "disabled".');
  const hmacEncoding = (b.hmac_encoding ?? 'base64-hex') as HmacEncoding;
  if (!HMAC_ENCODINGS.includes(hmacEncoding)) fail(at('hmac_encoding'), `must be one of ${HMAC_ENCODINGS.join(', ')}.`);
  let timeoutMs: number | null = null;
  if (b.timeout_ms !== undefined && b.timeout_ms !== null) {
    if (typeof b.timeout_ms !== 'number' || !Number.isInteger(b.timeout_ms) || b.timeout_ms < 100 || b.timeout_ms > 120_000) fail(at('timeout_ms'), 'must be a whole number of milliseconds from 100 to 120000.');
    timeoutMs = b.timeout_ms as number;
  }
  const pullUriUrl = url(b.pull_uri_url, at('pull_uri_url'), options.requireHttps);
  const pullDocUrl = url(b.pull_doc_url, at('pull_doc_url'), options.requireHttps);
  if ((pullUriUrl === null) !== (pullDocUrl === null)) fail(pullUriUrl ? at('pull_doc_url') : at('pull_uri_url'), 'is required with the other endpoint: the Issuer API needs both Pull URI and Pull Doc.');
  let hmacKey: string | undefined;
  if (b.hmac_key !== undefined && b.hmac_key !== null) {
    // Not trimmed: the issuer verifies with these exact bytes.
    const k = b.hmac_key;
    if (typeof k !== 'string' || k.length < LIMITS.keyMin || k.length > LIMITS.keyMax) fail(at('hmac_key'), `must be a string of ${LIMITS.keyMin} to ${LIMITS.keyMax} characters.`);
    if (/^\s|\s$|[\u0000-\u001f\u007f]/.test(k as string)) fail(at('hmac_key'), 'must not start or end with spaces or contain control characters.');
    hmacKey = k as string;
  }
  if (!Array.isArray(b.doctypes) || b.doctypes.length === 0 || b.doctypes.length > LIMITS.doctypes) fail(at('doctypes'), `must be a list of 1 to ${LIMITS.doctypes} document types.`);
  const doctypes = (b.doctypes as unknown[]).map((d, i) => doctype(d, `${at('doctypes')}[${i}]`, options.requireHttps));
  const codes = new Set<string>();
  for (const [i, d] of doctypes.entries()) {
    if (codes.has(d.code)) fail(`${at('doctypes')}[${i}].code`, `${d.code} is listed twice.`);
    codes.add(d.code);
  }
  return {
    hmacKey,
    record: {
      id,
      name: str(b.name, at('name'), { max: 200 })!,
      category,
      scope,
      state,
      description: str(b.description, at('description'), { max: 2000, optional: true }) ?? null,
      status,
      source: options.source,
      orgId: str(b.org_id, at('org_id'), { max: 100, optional: true }) ?? null,
      pullUriUrl,
      pullDocUrl,
      hmacEncoding,
      timeoutMs,
      doctypes,
    },
  };
}

/** A hint that lets an operator recognise a key without revealing it. */
export function keyHint(key: string): string {
  return `…${key.slice(-4)}`;
}
