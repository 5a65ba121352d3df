/**
 * verifyClaims: a partner with the citizen's consent checks values it was given (name,
 * date of birth, result, any certificate field) against the issuer's live document and
 * learns, per field, `match`, `no_match` or `not_available` — never the document or the
 * true value (as API Setu's verification APIs do).
 *
 * - The document must be an issued document the consent covers (partner-documents.ts);
 *   anything else is `invalid_uri`, the same answer as a document that does not exist.
 * - The certificate XML is fetched live through the issued source and parsed here
 *   (DIGILOCKER-APIS.md §9): `IssuedTo/Person` attributes (name, dob, gender…), the
 *   `Certificate` attributes (number, issueDate…), `CertificateData` fields by key and any
 *   attribute below `CertificateData` (e.g. `Performance@result`).
 * - Comparison is normalised: Unicode NFKC, case, spaces and dots/commas in names, and
 *   dates in any of DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY, DDMMYYYY, YYYY-MM-DD.
 * - Guessing is bounded: the caller rate-limits per consent and document, and each call
 *   is recorded as an access the citizen sees.
 */
import { XMLParser } from 'fast-xml-parser';
import { AppError } from '../errors.ts';
import type { PartnerAccess } from './authorize-partner-access.ts';
import { findForPartner, requireIssuedScope, type PartnerDocumentDeps } from './partner-documents.ts';

export type FieldResult = 'match' | 'no_match' | 'not_available';

export interface VerifyResult {
  uri: string;
  checked_at: string;
  fields: Record<string, FieldResult>;
}

export const MAX_CLAIMS = 20;
const MAX_XML_BYTES = 2 * 1024 * 1024;

const badRequest = (code: string, msg: string) => new AppError('invalid', code, msg);

/** Validates `{uri, fields}` from the request body. */
export function parseVerifyInput(body: unknown): { uri: string; claims: Record<string, string> } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (typeof b.uri !== 'string' || b.uri.trim() === '') throw badRequest('uri_missing', 'Send the document URI to check against, in "uri".');
  if (!b.fields || typeof b.fields !== 'object' || Array.isArray(b.fields)) throw badRequest('invalid_parameter', 'Send the values to check in "fields", an object such as {"name": "Asha Verma", "dob": "15-08-1990"}.');
  const entries = Object.entries(b.fields as Record<string, unknown>);
  if (entries.length === 0) throw badRequest('invalid_parameter', '"fields" is empty: name at least one value to check.');
  if (entries.length > MAX_CLAIMS) throw badRequest('invalid_parameter', `Check at most ${MAX_CLAIMS} fields in one request.`);
  const claims: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(k)) throw badRequest('invalid_parameter', `"${k.slice(0, 40)}" is not a field name (letters, digits, _ . -; at most 64).`);
    if (typeof v !== 'string' && typeof v !== 'number') throw badRequest('invalid_parameter', `The value of "${k}" must be text.`);
    const s = String(v);
    if (s.length > 500) throw badRequest('invalid_parameter', `The value of "${k}" is longer than 500 characters.`);
    claims[k] = s;
  }
  return { uri: b.uri.trim(), claims };
}

/** Field names as partners write them: case, `_`, `-` and `.` do not matter (`roll_no` = `rollNo`). */
export const normaliseKey = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');

const DATE_KEYS = /(dob|date|birth|on$|from$|till$|upto$|until$)/;

/** A date in any common Indian or ISO form as YYYY-MM-DD, or null. */
export function normaliseDate(v: string): string | null {
  const s = v.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (m) return iso(m[1]!, m[2]!, m[3]!);
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (m) return iso(m[3]!, m[2]!, m[1]!);
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (m) return iso(m[3]!, m[2]!, m[1]!);
  return null;
}

function iso(y: string, mo: string, d: string): string | null {
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const GENDERS: Record<string, string> = { m: 'M', male: 'M', f: 'F', female: 'F', t: 'T', transgender: 'T', other: 'T' };

/** Text compared without case, extra spaces, or dots and commas (`A. K. Sharma` = `a k sharma`). */
export function normaliseText(v: string): string {
  return v.normalize('NFKC').toLowerCase().replace(/[.,]/g, ' ').replace(/\s+/g, ' ').trim();
}

export function valuesMatch(key: string, claimed: string, actual: string): boolean {
  const k = normaliseKey(key);
  if (k === 'gender' || k === 'sex') {
    const a = GENDERS[normaliseText(claimed)];
    const b = GENDERS[normaliseText(actual)];
    return a !== undefined && a === b;
  }
  if (DATE_KEYS.test(k)) {
    const a = normaliseDate(claimed);
    const b = normaliseDate(actual);
    if (a !== null && b !== null) return a === b;
  }
  return normaliseText(claimed) === normaliseText(actual);
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, processEntities: true, htmlEntities: false, parseAttributeValue: false, parseTagValue: false, trimValues: true });

type Node = Record<string, unknown>;
const asNode = (v: unknown): Node | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Node) : undefined);

/** The checkable facts of a certificate XML, keyed by normalised name (first occurrence wins). */
export function certificateFacts(xml: string): Map<string, string> {
  const facts = new Map<string, string>();
  const put = (k: string, v: unknown) => {
    if (typeof v !== 'string' && typeof v !== 'number') return;
    const key = normaliseKey(k);
    if (key && !facts.has(key)) facts.set(key, String(v));
  };
  let tree: Node;
  try {
    tree = parser.parse(xml) as Node;
  } catch {
    return facts;
  }
  const cert = asNode(tree.Certificate);
  if (!cert) return facts;
  const person = asNode(asNode(cert.IssuedTo)?.Person);
  if (person) {
    for (const [k, v] of Object.entries(person)) if (k.startsWith('@')) put(k.slice(1), v);
    put('swd', person['@swd']);
    put('guardianName', person['@swd']);
  }
  for (const [k, v] of Object.entries(cert)) if (k.startsWith('@')) put(k.slice(1), v);
  put('certificateNumber', cert['@number']);
  put('issuedOn', cert['@issueDate']);
  put('doctype', cert['@type']);
  const org = asNode(asNode(cert.IssuedBy)?.Organization);
  if (org) put('issuer', org['@name']);
  const data = asNode(cert.CertificateData);
  if (data) {
    const fields = asNode(data.Fields)?.Field;
    for (const f of Array.isArray(fields) ? fields : fields ? [fields] : []) {
      const n = asNode(f);
      if (n && typeof n['@key'] === 'string') put(n['@key'], n['@value']);
    }
    // Other formats (DigiLocker's academic, DL, PAN schemas) carry facts as attributes.
    const walk = (node: unknown, depth: number): void => {
      if (depth > 8 || !node || typeof node !== 'object') return;
      if (Array.isArray(node)) {
        for (const x of node) walk(x, depth + 1);
        return;
      }
      for (const [k, v] of Object.entries(node as Node)) {
        if (k.startsWith('@')) put(k.slice(1), v);
        else if (k !== 'Fields' && k !== 'Tables') walk(v, depth + 1);
      }
    };
    walk(data, 0);
  }
  return facts;
}

export async function verifyClaims(deps: PartnerDocumentDeps & { now: () => Date }, a: PartnerAccess, input: { uri: string; claims: Record<string, string> }): Promise<VerifyResult> {
  requireIssuedScope(a);
  const { doc, source } = await findForPartner(deps, a, input.uri);
  if (doc.source !== 'issued') throw new AppError('not_found', 'invalid_uri', 'No file found for given URI.');
  let facts = new Map<string, string>();
  if (doc.mimes.includes('application/xml')) {
    const opened = await source.open(a.accountId, doc.ref, { format: 'xml' });
    facts = certificateFacts(await readCapped(opened.stream, MAX_XML_BYTES));
  }
  const fields: Record<string, FieldResult> = {};
  for (const [k, claimed] of Object.entries(input.claims)) {
    const actual = facts.get(normaliseKey(k));
    fields[k] = actual === undefined || actual === '' ? 'not_available' : valuesMatch(k, claimed, actual) ? 'match' : 'no_match';
  }
  return { uri: doc.ref, checked_at: deps.now().toISOString(), fields };
}

async function readCapped(stream: AsyncIterable<unknown>, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c as string);
    size += b.length;
    if (size > max) throw new AppError('upstream', 'repository_service_resperror', 'The issuer’s certificate data is larger than this locker accepts.');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
