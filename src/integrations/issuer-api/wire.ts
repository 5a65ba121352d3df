/**
 * The DigiLocker Issuer API wire format (apisetu-issuer.json, "DigiLocker Issuer APIs"
 * 3.0.0): `PullURIRequest` / `PullURIResponse` and `PullDocRequest` / `PullDocResponse`,
 * built and parsed here for both sides — the locker's client and the sandbox issuers.
 *
 * Parsing is deliberately tolerant where real issuers differ (a namespace prefix or none,
 * `Status` as attribute or text, one `Person` or many) and strict where safety needs it:
 * no DTDs (no entity tricks), base64 checked before it is decoded, and the large
 * `DocContent`/`DataContent` payloads cut out of the text before the XML parser sees it
 * (fast-xml-parser needs ~1.5 s for a 14 MB text node; the cut takes ~1 ms).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type RequestFormat = 'pdf' | 'xml' | 'both';
export const NS_ATTR = 'xmlns:ns2="http://tempuri.org/"';

export class WireError extends Error {}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const xmlEscape = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!);
const el = (name: string, value: string | undefined): string => (value === undefined ? '' : `<${name}>${xmlEscape(value)}</${name}>`);
const attrs = (a: Record<string, string | undefined>): string =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlEscape(v!)}"`)
    .join('');
const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

export interface Envelope {
  ver: string;
  ts: string;
  txn: string;
  orgId: string;
  format?: RequestFormat;
}

/** Who the issuer says the document belongs to (spec v1.11 `IssuedTo/Persons/Person`). */
export interface IssuedPerson {
  name: string;
  /** DD-MM-YYYY as the issuer sent it. */
  dob?: string;
  gender?: string;
  phone?: string;
}

export interface PullUriRequestMessage extends Envelope {
  docType: string;
  digiLockerId: string;
  uid?: string;
  fullName?: string;
  /** DD-MM-YYYY */
  dob?: string;
  gender?: string;
  /** Base64 JPEG. */
  photo?: string;
  /** Search parameters under their configured element names, in order. */
  params: Array<[string, string]>;
}

export interface PullDocRequestMessage extends Envelope {
  uri: string;
  digiLockerId?: string;
}

export interface ResponseStatus {
  /** "1" success, "0" error, "9" pending (Pull URI only). */
  status: string;
  ts?: string;
  txn?: string;
}

export interface PullUriResponseMessage extends ResponseStatus {
  docType?: string;
  digiLockerId?: string;
  uid?: string;
  fullName?: string;
  dob?: string;
  params?: Array<[string, string]>;
  uri?: string;
  issuedTo: IssuedPerson[];
  /** Base64 text, as sent (decode with `decodeBase64`). */
  docContent?: string;
  dataContent?: string;
}

export interface PullDocResponseMessage extends ResponseStatus {
  docContent?: string;
  dataContent?: string;
}

// ---- building -------------------------------------------------------------------------

export function buildPullUriRequest(m: PullUriRequestMessage): string {
  return (
    `${DECL}<PullURIRequest ${NS_ATTR}${attrs({ ver: m.ver, ts: m.ts, txn: m.txn, orgId: m.orgId, format: m.format })}><DocDetails>` +
    el('DocType', m.docType) +
    el('DigiLockerId', m.digiLockerId) +
    el('UID', m.uid) +
    el('FullName', m.fullName) +
    el('DOB', m.dob) +
    el('GENDER', m.gender) +
    el('Photo', m.photo) +
    m.params.map(([k, v]) => el(k, v)).join('') +
    `</DocDetails></PullURIRequest>`
  );
}

export function buildPullDocRequest(m: PullDocRequestMessage): string {
  return `${DECL}<PullDocRequest ${NS_ATTR}${attrs({ ver: m.ver, ts: m.ts, txn: m.txn, orgId: m.orgId, format: m.format })}><DocDetails>${el('URI', m.uri)}${el('DigiLockerId', m.digiLockerId)}</DocDetails></PullDocRequest>`;
}

const statusEl = (s: ResponseStatus) => `<ResponseStatus${attrs({ Status: s.status, ts: s.ts, txn: s.txn })}>${xmlEscape(s.status)}</ResponseStatus>`;
const b64 = (b: Buffer | string | undefined) => (b === undefined ? undefined : typeof b === 'string' ? b : b.toString('base64'));

export function buildPullUriResponse(m: Omit<PullUriResponseMessage, 'docContent' | 'dataContent'> & { docContent?: Buffer | string; dataContent?: Buffer | string }): string {
  const persons = m.issuedTo.length
    ? `<IssuedTo><Persons>${m.issuedTo.map((p) => `<Person${attrs({ name: p.name, dob: p.dob, gender: p.gender, phone: p.phone ?? '' })}/>`).join('')}</Persons></IssuedTo>`
    : '';
  return (
    `${DECL}<PullURIResponse ${NS_ATTR}>${statusEl(m)}<DocDetails>` +
    el('DocType', m.docType) +
    el('DigiLockerId', m.digiLockerId) +
    el('UID', m.uid) +
    el('FullName', m.fullName) +
    el('DOB', m.dob) +
    (m.params ?? []).map(([k, v]) => el(k, v)).join('') +
    persons +
    el('URI', m.uri) +
    el('DocContent', b64(m.docContent)) +
    el('DataContent', b64(m.dataContent)) +
    `</DocDetails></PullURIResponse>`
  );
}

export function buildPullDocResponse(m: ResponseStatus & { docContent?: Buffer | string; dataContent?: Buffer | string }): string {
  return `${DECL}<PullDocResponse ${NS_ATTR}>${statusEl(m)}<DocDetails>${el('DocContent', b64(m.docContent))}${el('DataContent', b64(m.dataContent))}</DocDetails></PullDocResponse>`;
}

// ---- parsing --------------------------------------------------------------------------

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'Person',
});

type Node = Record<string, unknown>;

/** Parses a document with exactly the given root element (namespace prefixes ignored). */
export function parseRoot(xml: string, root: string): Node {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new WireError('DTDs are not accepted');
  // The parser is lenient (it accepts unclosed tags); check well-formedness first. Cheap:
  // large payloads were already cut out (cutPayloads).
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new WireError(`not well-formed XML: ${valid.err.msg.slice(0, 120)} (line ${valid.err.line})`);
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (err) {
    throw new WireError(`not well-formed XML: ${(err as Error).message.slice(0, 120)}`);
  }
  const node = doc[root];
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw new WireError(`expected a single <${root}> element`);
  return node as Node;
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v) && '#text' in (v as Node)) return String((v as Node)['#text']);
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as Node).length === 0) return '';
  throw new WireError('expected a text element');
}

const attr = (n: Node, name: string): string | undefined => {
  const v = n[`@_${name}`];
  return v === undefined ? undefined : String(v);
};

function details(node: Node): Node {
  const d = node.DocDetails;
  if (d === undefined || d === '') return {};
  if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new WireError('expected a single <DocDetails> element');
  return d as Node;
}

function envelope(node: Node): Envelope {
  const format = attr(node, 'format');
  if (format !== undefined && format !== 'pdf' && format !== 'xml' && format !== 'both') throw new WireError(`format must be pdf, xml or both, got "${format}"`);
  return { ver: attr(node, 'ver') ?? '', ts: attr(node, 'ts') ?? '', txn: attr(node, 'txn') ?? '', orgId: attr(node, 'orgId') ?? '', ...(format ? { format } : {}) };
}

function status(node: Node): ResponseStatus {
  const s = node.ResponseStatus;
  if (s === undefined) throw new WireError('missing <ResponseStatus>');
  const n: Node = typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Node) : { '#text': s };
  const value = (attr(n, 'Status') ?? text(n['#text'] ?? '') ?? '').trim();
  const ts = attr(n, 'ts');
  const txn = attr(n, 'txn');
  return { status: value, ...(ts !== undefined ? { ts } : {}), ...(txn !== undefined ? { txn } : {}) };
}

const STANDARD_REQUEST = new Set(['DocType', 'DigiLockerId', 'UID', 'FullName', 'DOB', 'GENDER', 'Photo']);

export function parsePullUriRequest(xml: string): PullUriRequestMessage {
  const root = parseRoot(xml, 'PullURIRequest');
  const d = details(root);
  const params: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(d)) {
    if (STANDARD_REQUEST.has(k) || k.startsWith('@_')) continue;
    if (Array.isArray(v)) throw new WireError(`parameter <${k}> appears more than once`);
    params.push([k, text(v) ?? '']);
  }
  const opt = (k: string) => {
    const v = text(d[k]);
    return v === undefined || v === '' ? undefined : v;
  };
  const m: PullUriRequestMessage = { ...envelope(root), docType: opt('DocType') ?? '', digiLockerId: opt('DigiLockerId') ?? '', params };
  for (const [k, field] of [['UID', 'uid'], ['FullName', 'fullName'], ['DOB', 'dob'], ['GENDER', 'gender'], ['Photo', 'photo']] as const) {
    const v = opt(k);
    if (v !== undefined) m[field] = v;
  }
  return m;
}

export function parsePullDocRequest(xml: string): PullDocRequestMessage {
  const root = parseRoot(xml, 'PullDocRequest');
  const d = details(root);
  const digiLockerId = text(d.DigiLockerId);
  return { ...envelope(root), uri: (text(d.URI) ?? '').trim(), ...(digiLockerId ? { digiLockerId } : {}) };
}

/**
 * Cuts the text of `<DocContent>` / `<DataContent>` out of `xml`, leaving empty elements in
 * place, so the XML parser only sees the small rest. CDATA-wrapped payloads are accepted.
 * An element that appears twice, or content that is not plain text, is refused.
 */
export function cutPayloads(xml: string): { xml: string; payloads: Partial<Record<'DocContent' | 'DataContent', string>> } {
  const payloads: Partial<Record<'DocContent' | 'DataContent', string>> = {};
  let out = xml;
  for (const name of ['DocContent', 'DataContent'] as const) {
    const open = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}(?:\\s[^<>]*?)?(\\/?)>`, 'g');
    const m = open.exec(out);
    if (!m) continue;
    if (m[1] === '/') {
      if (open.exec(out)) throw new WireError(`<${name}> appears more than once`);
      continue;
    }
    const start = m.index + m[0].length;
    let end = out.indexOf('<', start);
    let value: string;
    if (out.startsWith('<![CDATA[', end)) {
      const close = out.indexOf(']]>', end);
      if (close === -1) throw new WireError(`unterminated CDATA in <${name}>`);
      value = out.slice(start, end) + out.slice(end + 9, close) + '';
      end = close + 3;
      if (out.indexOf('<', end) !== end) throw new WireError(`unexpected content in <${name}>`);
    } else {
      if (end === -1) throw new WireError(`unterminated <${name}>`);
      value = out.slice(start, end);
    }
    const closeTag = new RegExp(`^</(?:[A-Za-z_][\\w.-]*:)?${name}\\s*>`).exec(out.slice(end, end + 80));
    if (!closeTag) throw new WireError(`<${name}> must contain only base64 text`);
    out = out.slice(0, start) + out.slice(end);
    if (open.exec(out)) throw new WireError(`<${name}> appears more than once`);
    payloads[name] = value;
  }
  return { xml: out, payloads };
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Decodes base64 text (whitespace allowed, as when wrapped at 76 columns); null if it is not base64. */
export function decodeBase64(s: string | undefined): Buffer | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (t === '' || !BASE64.test(t)) return null;
  return Buffer.from(t, 'base64');
}

function persons(d: Node): IssuedPerson[] {
  const issuedTo = d.IssuedTo as Node | undefined;
  const list = ((issuedTo?.Persons as Node | undefined)?.Person as Node[] | undefined) ?? [];
  return list
    .filter((p) => typeof p === 'object' && p !== null)
    .map((p) => {
      const out: IssuedPerson = { name: attr(p, 'name') ?? '' };
      for (const k of ['dob', 'gender', 'phone'] as const) {
        const v = attr(p, k);
        if (v) out[k] = v;
      }
      return out;
    })
    .filter((p) => p.name !== '');
}

export function parsePullUriResponse(xml: string): PullUriResponseMessage {
  const cut = cutPayloads(xml);
  const root = parseRoot(cut.xml, 'PullURIResponse');
  const d = details(root);
  const opt = (k: string) => {
    const v = d[k] === undefined ? undefined : text(d[k]);
    return v === undefined || v === '' ? undefined : v.trim();
  };
  const out: PullUriResponseMessage = { ...status(root), issuedTo: persons(d) };
  const uri = opt('URI');
  if (uri !== undefined) out.uri = uri;
  for (const [k, f] of [['DocType', 'docType'], ['DigiLockerId', 'digiLockerId'], ['UID', 'uid'], ['FullName', 'fullName'], ['DOB', 'dob']] as const) {
    const v = opt(k);
    if (v !== undefined) out[f] = v;
  }
  if (cut.payloads.DocContent !== undefined) out.docContent = cut.payloads.DocContent;
  if (cut.payloads.DataContent !== undefined) out.dataContent = cut.payloads.DataContent;
  return out;
}

export function parsePullDocResponse(xml: string): PullDocResponseMessage {
  const cut = cutPayloads(xml);
  const root = parseRoot(cut.xml, 'PullDocResponse');
  details(root);
  const out: PullDocResponseMessage = status(root);
  if (cut.payloads.DocContent !== undefined) out.docContent = cut.payloads.DocContent;
  if (cut.payloads.DataContent !== undefined) out.dataContent = cut.payloads.DataContent;
  return out;
}

/** `ts` as DigiLocker sends it: local time in India with its offset, e.g. 2016-01-11T14:44:48+05:30. */
export function istTimestamp(d: Date): string {
  const ist = new Date(d.getTime() + 5.5 * 3600_000);
  return ist.toISOString().slice(0, 19) + '+05:30';
}

/** YYYY-MM-DD → DD-MM-YYYY (the Issuer API's date format). */
export function toDdMmYyyy(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}
