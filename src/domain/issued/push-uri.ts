/**
 * Push: an issuer puts a URI into a citizen's locker (DigiLocker's `account/1/pushuri`),
 * one at a time or in bulk (a board's results day). The checks:
 *   1. the issuer's client credential: `clientid`, `ts` (UNIX seconds, within 30 minutes;
 *      the "IST" reading +5h30 is accepted too) and `hmac` = hex SHA-256 of
 *      secret + clientid + ts, compared in constant time;
 *   2. the URI parses against the registry and belongs to the pushing issuer — an issuer can
 *      never write another issuer's documents;
 *   3. the citizen (DigiLocker id, or the mobile a board registered) has an active locker;
 *   3. action A adds (refused if the URI is already in this or another account), U adds or
 *      updates, D deletes;
 *   4. each change goes to the citizen's activity log.
 */
import crypto from 'node:crypto';
import { hexHashMatches, partnerRequestHash } from '../../crypto/partner-secret.ts';
import { normaliseMobile } from '../accounts/mobile.ts';
import { AppError } from '../errors.ts';
import { resolveDocumentUri } from '../issuers/resolve-document-uri.ts';
import type { IssuedDeps } from './deps.ts';
import type { NewIssuedDocument } from './ports.ts';

const WINDOW_S = 30 * 60;
const IST_OFFSET_S = 5.5 * 3600;

const invalidParameter = (what: string) => new AppError('invalid', 'invalid_parameter', what);
const invalidClient = () => new AppError('unauthenticated', 'invalid_client_id', 'The clientid parameter is invalid');

/** Creates (or replaces) an issuer's push credential; the secret is returned once. */
export async function setPushCredential(deps: Pick<IssuedDeps, 'issuers' | 'pushClients' | 'pushSecrets' | 'clock'>, issuerId: string): Promise<{ clientId: string; clientSecret: string }> {
  const issuer = await deps.issuers.get(issuerId);
  if (!issuer) throw new AppError('not_found', 'not_found', 'No issuer with that id is registered.');
  const clientId = `PUSH${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
  const clientSecret = crypto.randomBytes(24).toString('base64url');
  await deps.pushClients.set({ clientId, issuerId, secretSealed: deps.pushSecrets.seal(Buffer.from(clientSecret, 'utf8'), clientId), createdAt: deps.clock.now().toISOString() });
  return { clientId, clientSecret };
}

export async function authenticatePushClient(deps: Pick<IssuedDeps, 'pushClients' | 'pushSecrets' | 'issuers' | 'clock'>, f: { clientid?: unknown; ts?: unknown; hmac?: unknown }): Promise<{ issuerId: string; issuerName: string }> {
  if (typeof f.clientid !== 'string' || f.clientid === '' || f.clientid.length > 64) throw invalidClient();
  if (typeof f.ts !== 'string' || !/^\d{9,11}$/.test(f.ts)) throw invalidParameter('Timestamp parameter is missing or invalid');
  if (typeof f.hmac !== 'string' || f.hmac === '') throw invalidParameter('HMAC parameter is missing or invalid');
  const nowS = Math.floor(deps.clock.now().getTime() / 1000);
  const ts = Number(f.ts);
  if (Math.abs(nowS - ts) > WINDOW_S && Math.abs(nowS + IST_OFFSET_S - ts) > WINDOW_S) throw invalidParameter('Timestamp parameter is missing or invalid: it must be within 30 minutes of now.');
  const client = await deps.pushClients.get(f.clientid);
  if (!client) throw invalidClient();
  const secret = deps.pushSecrets.open(client.secretSealed, client.clientId).toString('utf8');
  if (!hexHashMatches(f.hmac, partnerRequestHash(secret, client.clientId, f.ts))) {
    throw new AppError('unauthenticated', 'hmac_mismatch', 'HMAC parameter is missing or invalid: it must be the hex SHA-256 of client secret + clientid + ts.');
  }
  const issuer = await deps.issuers.get(client.issuerId);
  if (!issuer || issuer.status !== 'active') throw invalidClient();
  return { issuerId: issuer.id, issuerName: issuer.name };
}

export interface PushRow {
  /** The citizen: DigiLocker id (account id) … */
  digilockerid?: string;
  /** … or the mobile the issuer registered (boards pre-provisioning students). */
  mobile?: string;
  uri: string;
  /** Display name; default the document type's name. */
  docname?: string;
  /** DDMMYYYY (spec) or YYYY-MM-DD. */
  issuedate?: string;
  action?: string;
}

/** DDMMYYYY (DigiLocker's form, also with - or /) or YYYY-MM-DD → YYYY-MM-DD; undefined when it is not a real calendar date. */
function isoDate(raw: string | undefined): string | null | undefined {
  if (raw === undefined || raw === '') return null;
  let iso: string | undefined;
  let m = /^(\d{2})[-/]?(\d{2})[-/]?(\d{4})$/.exec(raw);
  if (m) iso = `${m[3]}-${m[2]}-${m[1]}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) iso = raw;
  if (!iso) return undefined;
  // 32-13-2024 or 29-02-2023 does not exist: the round trip through Date catches both.
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso && iso >= '1900-01-01' ? iso : undefined;
}

function normalAction(a: string | undefined): 'A' | 'U' | 'D' | null {
  const v = (a ?? 'A').trim().toUpperCase();
  return v === 'A' || v === 'ADD' ? 'A' : v === 'U' || v === 'UPDATE' ? 'U' : v === 'D' || v === 'DELETE' ? 'D' : null;
}

const issuerActor = (issuer: { issuerId: string; issuerName: string }) => ({ kind: 'issuer' as const, id: issuer.issuerId, name: issuer.issuerName });

/** One push (`account/1/pushuri`). */
export async function pushUri(deps: Pick<IssuedDeps, 'issuers' | 'docs' | 'activity' | 'clock'>, issuer: { issuerId: string; issuerName: string }, row: PushRow, meta: { ip: string | null }): Promise<{ action: 'A' | 'U' | 'D'; uri: string }> {
  const action = normalAction(row.action);
  if (!action) throw invalidParameter('Action parameter is missing or invalid (A, U or D)');
  if (typeof row.uri !== 'string' || row.uri === '') throw invalidParameter('URI parameter is missing or invalid');
  let resolved;
  try {
    resolved = await resolveDocumentUri(deps, row.uri);
  } catch {
    throw invalidParameter('URI parameter is missing or invalid');
  }
  if (resolved.issuer.id !== issuer.issuerId) throw invalidParameter('URI parameter is missing or invalid: it is not in your namespace');
  const issuedOn = isoDate(row.issuedate);
  if (issuedOn === undefined) throw invalidParameter('Issuedate parameter is missing or invalid');
  const holders = await deps.docs.holders(row.digilockerid ? [row.digilockerid] : [], row.mobile ? [safeMobile(row.mobile) ?? ''] : []);
  const accountId = row.digilockerid ? (holders.ids.has(row.digilockerid) ? row.digilockerid : null) : row.mobile ? (holders.byMobile.get(safeMobile(row.mobile) ?? '') ?? null) : null;
  if (!accountId) throw new AppError('not_found', 'invalid_digilocker_id', 'The digilockerid parameter is invalid');
  const now = deps.clock.now();
  if (action === 'D') {
    if (!(await deps.docs.remove(accountId, row.uri))) throw invalidParameter('URI parameter is missing or invalid: it is not in this account');
    await deps.activity.append({ accountId, type: 'issued_push_deleted', actor: issuerActor(issuer), ip: meta.ip, userAgent: null, subject: { kind: 'issued_document', id: row.uri, name: resolved.doctype.name } });
    return { action, uri: row.uri };
  }
  const owner = await deps.docs.ownerOf(row.uri);
  if (owner && owner !== accountId) throw invalidParameter('URI already exists in another account');
  if (action === 'A' && owner === accountId) throw invalidParameter('URI already exists in this account');
  const name = (row.docname ?? '').trim().slice(0, 200) || resolved.doctype.name;
  await deps.docs.save({ accountId, uri: row.uri, issuerId: issuer.issuerId, doctype: resolved.doctype.code, name, issuedOn, source: 'push' }, now);
  await deps.activity.append({ accountId, type: 'issued_pushed', actor: issuerActor(issuer), ip: meta.ip, userAgent: null, subject: { kind: 'issued_document', id: row.uri, name }, details: { action } });
  return { action, uri: row.uri };
}

function safeMobile(m: string): string | null {
  try {
    return normaliseMobile(m);
  } catch {
    return null;
  }
}

export interface BulkResult {
  written: number;
  deleted: number;
  /** Row number (1-based, in the order given) and why it was refused. */
  rejected: Array<{ row: number; uri: string; error: string }>;
}

/**
 * Bulk push of one batch (callers cut the input into ~1,000-row batches and stream): one
 * registry read per distinct doc type, one holder lookup, one upsert. Bulk pushes are
 * logged to each citizen's activity as one entry per batch and citizen, not per row, so a
 * results day does not multiply the log's writes. Rows are rejected individually, never
 * the batch.
 */
export async function pushBatch(deps: Pick<IssuedDeps, 'issuers' | 'docs' | 'activity' | 'clock'>, issuer: { issuerId: string; issuerName: string }, rows: PushRow[], firstRow = 1, source: 'push' | 'preprovision' = 'push'): Promise<BulkResult> {
  const out: BulkResult = { written: 0, deleted: 0, rejected: [] };
  const doctypes = new Map<string, { code: string; name: string } | null>();
  const prefix = `${issuer.issuerId}-`;
  const ids = new Set<string>();
  const mobiles = new Set<string>();
  for (const r of rows) {
    if (r.digilockerid) ids.add(r.digilockerid);
    else if (r.mobile) {
      const m = safeMobile(r.mobile);
      if (m) mobiles.add(m);
    }
  }
  const holders = await deps.docs.holders([...ids], [...mobiles]);
  const adds: NewIssuedDocument[] = [];
  const dels: Array<{ accountId: string; uri: string }> = [];
  const rowOf = new Map<string, number>();
  for (const [i, r] of rows.entries()) {
    const n = firstRow + i;
    const reject = (error: string) => void out.rejected.push({ row: n, uri: r.uri ?? '', error });
    const action = normalAction(r.action);
    if (!action) {
      reject('invalid_action');
      continue;
    }
    // URIs of this issuer only: IssuerId-DOCTYPE-DocId with the issuer's own id as prefix.
    const m = typeof r.uri === 'string' && r.uri.length <= 512 && r.uri.startsWith(prefix) ? /^([A-Z0-9]{5,6})-([\x21-\x7e]+)$/.exec(r.uri.slice(prefix.length)) : null;
    if (!m) {
      reject('invalid_uri');
      continue;
    }
    if (!doctypes.has(m[1]!)) {
      const d = await deps.issuers.doctype(issuer.issuerId, m[1]!);
      doctypes.set(m[1]!, d ? { code: d.code, name: d.name } : null);
    }
    const doctype = doctypes.get(m[1]!);
    if (!doctype) {
      reject('invalid_doctype');
      continue;
    }
    const accountId = r.digilockerid ? (holders.ids.has(r.digilockerid) ? r.digilockerid : null) : r.mobile ? (holders.byMobile.get(safeMobile(r.mobile) ?? '') ?? null) : null;
    if (!accountId) {
      reject('invalid_digilocker_id');
      continue;
    }
    const issuedOn = isoDate(r.issuedate);
    if (issuedOn === undefined) {
      reject('invalid_issuedate');
      continue;
    }
    if (action === 'D') dels.push({ accountId, uri: r.uri });
    else {
      adds.push({ accountId, uri: r.uri, issuerId: issuer.issuerId, doctype: doctype.code, name: (r.docname ?? '').trim().slice(0, 200) || doctype.name, issuedOn, source });
      rowOf.set(r.uri, n);
    }
  }
  const now = deps.clock.now();
  const saved = await deps.docs.saveMany(adds, now);
  out.written = saved.written;
  for (const uri of saved.conflicts) out.rejected.push({ row: rowOf.get(uri) ?? 0, uri, error: 'uri_exists_in_another_account' });
  for (const d of dels) if (await deps.docs.remove(d.accountId, d.uri)) out.deleted += 1;
  const conflicted = new Set(saved.conflicts);
  const perAccount = new Map<string, number>();
  for (const a of adds) if (!conflicted.has(a.uri)) perAccount.set(a.accountId, (perAccount.get(a.accountId) ?? 0) + 1);
  // Chains of different accounts are independent: append them concurrently (bounded).
  const entries = [...perAccount];
  for (let i = 0; i < entries.length; i += 16) {
    await Promise.all(
      entries.slice(i, i + 16).map(([accountId, count]) => deps.activity.append({ accountId, type: 'issued_pushed', actor: issuerActor(issuer), ip: null, userAgent: null, subject: null, details: { bulk: true, documents: count } })),
    );
  }
  return out;
}
