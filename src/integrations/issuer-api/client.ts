/**
 * The locker's client for the DigiLocker Issuer API: `pullUri` (search an issuer for a
 * citizen's document, get its URI) and `pullDoc` (fetch a document's content by URI), over
 * real HTTP, signed with `x-digilocker-hmac`.
 *
 * A call is a short list of checks:
 *   1. the circuit for this issuer is closed (or this is the half-open probe) — else fail fast;
 *   2. one attempt: POST the XML, per-issuer timeout, response capped in size;
 *   3. timeouts, connection errors and 5xx are retried with exponential back-off and full
 *      jitter while the call's overall deadline allows, and count against the circuit;
 *      anything else is final;
 *   4. the answer is parsed and checked (status, txn echo, URI in this issuer's namespace,
 *      base64) and mapped to a result or to DigiLocker's error codes (domain/issuers/errors.ts).
 */
import crypto from 'node:crypto';
import type { Clock } from '../../domain/clock.ts';
import { AppError } from '../../domain/errors.ts';
import { issuerErrors } from '../../domain/issuers/errors.ts';
import type { IssuerEndpoint } from '../../domain/issuers/issuer-endpoint.ts';
import type { Doctype } from '../../domain/issuers/model.ts';
import { HMAC_HEADER, issuerHmac } from '../../crypto/issuer-hmac.ts';
import { BreakerRegistry, type BreakerOptions } from './breaker.ts';
import { nodeHttpTransport, TransportError, type IssuerTransport, type TransportResponse } from './transport.ts';
import {
  buildPullDocRequest,
  buildPullUriRequest,
  decodeBase64,
  istTimestamp,
  parsePullDocResponse,
  parsePullUriResponse,
  toDdMmYyyy,
  WireError,
  type IssuedPerson,
  type RequestFormat,
} from './wire.ts';

export interface IssuerApiSettings {
  /** One attempt's deadline when the issuer sets none (ISSUER_TIMEOUT_MS). */
  timeoutMs: number;
  /** Extra attempts after a timeout, connection error or 5xx (ISSUER_RETRIES). */
  retries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Larger answers are refused (a 10 MB PDF is ~14 MB as base64). */
  maxResponseBytes: number;
  /**
   * No retry starts unless it can finish within this budget for the whole call (default
   * 2 × timeout + the back-off cap): a citizen waits ~20 s at most on an issuer that hangs.
   */
  deadlineMs?: number;
  breaker: BreakerOptions;
}

export const DEFAULT_ISSUER_API_SETTINGS: IssuerApiSettings = {
  timeoutMs: 10_000,
  retries: 2,
  backoffBaseMs: 250,
  backoffMaxMs: 4_000,
  maxResponseBytes: 40 * 1024 * 1024,
  breaker: { failureThreshold: 5, cooldownMs: 30_000 },
};

export interface IssuerApiLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface IssuerApiClientDeps {
  clock: Clock;
  settings?: Partial<IssuerApiSettings>;
  /** Circuit state; one registry per locker process (default: a new one per client). */
  breakers?: BreakerRegistry;
  /** The HTTP transport (default: node:http with kept-alive connections). */
  transport?: IssuerTransport;
  /** For tests: deterministic jitter and instant sleeps. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: IssuerApiLogger;
}

/** Verified facts about the citizen; sent only for the fields the document type opts into. */
export interface CitizenProfile {
  uid?: string;
  fullName?: string;
  /** YYYY-MM-DD */
  dob?: string;
  gender?: 'M' | 'F' | 'T';
  /** JPEG */
  photo?: Buffer;
}

export interface PullUriRequest {
  doctype: Doctype;
  /** The citizen's 36-character DigiLocker id. */
  digilockerId: string;
  /** Search parameters by configured name; every configured parameter must be present. */
  params: Record<string, string>;
  profile?: CitizenProfile;
  format?: RequestFormat;
}

export type PullUriResult =
  | { status: 'issued'; txn: string; uri: string; doc: Buffer | null; data: Buffer | null; issuedTo: IssuedPerson[] }
  | { status: 'pending'; txn: string; uri: string | null };

export interface PullDocResult {
  txn: string;
  /** The PDF (formats pdf/both). */
  doc: Buffer | null;
  /** The certificate XML (formats xml/both, when the issuer has it). */
  data: Buffer | null;
}

export interface IssuerApiClient {
  pullUri(issuer: IssuerEndpoint, request: PullUriRequest): Promise<PullUriResult>;
  pullDoc(issuer: IssuerEndpoint, uri: string, format: RequestFormat, options?: { digilockerId?: string }): Promise<PullDocResult>;
  readonly breakers: BreakerRegistry;
}

type Failure = { kind: 'timeout' | 'connect' | 'server'; detail: string };

const VERSION = '1.0';
const URI_TAIL = /^[\x21-\x7e]{1,255}$/;

export function createIssuerApiClient(deps: IssuerApiClientDeps): IssuerApiClient {
  const s: IssuerApiSettings = { ...DEFAULT_ISSUER_API_SETTINGS, ...deps.settings, breaker: { ...DEFAULT_ISSUER_API_SETTINGS.breaker, ...deps.settings?.breaker } };
  const breakers = deps.breakers ?? new BreakerRegistry(s.breaker, deps.clock);
  const transport = deps.transport ?? nodeHttpTransport;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  /** Back-off before retry `n` (0-based): full jitter over an exponentially growing cap. */
  const backoff = (n: number) => Math.round(random() * Math.min(s.backoffMaxMs, s.backoffBaseMs * 2 ** n));

  async function attempt(issuer: IssuerEndpoint, url: string, body: string, signature: string): Promise<{ ok: string } | { failure: Failure }> {
    const timeoutMs = issuer.timeoutMs ?? s.timeoutMs;
    let res: TransportResponse;
    try {
      res = await transport(url, {
        headers: { 'content-type': 'application/xml; charset=utf-8', accept: 'application/xml', [HMAC_HEADER]: signature },
        body,
        timeoutMs,
        maxBytes: s.maxResponseBytes,
      });
    } catch (err) {
      if (err instanceof TransportError && err.kind === 'too_large') throw issuerErrors.badResponse(issuer.issuerName);
      if (err instanceof TransportError) return { failure: { kind: err.kind === 'timeout' ? 'timeout' : 'connect', detail: err.detail } };
      return { failure: { kind: 'connect', detail: (err as Error)?.message ?? 'connection failed' } };
    }
    if (res.status >= 500 || res.status === 429) return { failure: { kind: 'server', detail: `HTTP ${res.status}` } };
    if (res.status >= 300 && res.status < 400) return { failure: { kind: 'connect', detail: `redirected (HTTP ${res.status})` } };
    if (res.status >= 400) {
      // 401/403: the issuer refused our HMAC; 404/405: the endpoint is wrong. Both are
      // configuration, not outages: final, and the circuit stays closed.
      deps.log?.warn({ issuer: issuer.issuerId, status: res.status }, 'issuer refused the request');
      throw [401, 403, 404, 405].includes(res.status) ? issuerErrors.notConnected(issuer.issuerName) : issuerErrors.badResponse(issuer.issuerName);
    }
    return { ok: res.text ?? '' };
  }

  async function call(issuer: IssuerEndpoint, url: string, body: string): Promise<string> {
    const breaker = breakers.for(issuer.issuerId);
    const signature = issuerHmac(body, issuer.hmacKey, issuer.hmacEncoding);
    const timeoutMs = issuer.timeoutMs ?? s.timeoutMs;
    const deadline = performance.now() + (s.deadlineMs ?? 2 * timeoutMs + s.backoffMaxMs);
    let last: Failure | undefined;
    for (let n = 0; n <= s.retries; n++) {
      const permit = breaker.permit();
      if (!permit.ok) throw issuerErrors.unreachable(issuer.issuerName, Math.max(1, Math.ceil(permit.retryAfterMs / 1000)));
      let outcome: Awaited<ReturnType<typeof attempt>>;
      try {
        outcome = await attempt(issuer, url, body, signature);
      } catch (err) {
        breaker.success();
        throw err;
      }
      if ('ok' in outcome) {
        breaker.success();
        return outcome.ok;
      }
      breaker.failure();
      last = outcome.failure;
      deps.log?.warn({ issuer: issuer.issuerId, attempt: n + 1, reason: last.detail }, 'issuer call failed');
      if (n === s.retries) break;
      const wait = backoff(n);
      if (performance.now() + wait + timeoutMs > deadline) break;
      await sleep(wait);
    }
    if (last?.kind === 'timeout') throw issuerErrors.timeout(issuer.issuerName);
    if (last?.kind === 'connect') throw issuerErrors.unreachable(issuer.issuerName);
    throw issuerErrors.badResponse(issuer.issuerName);
  }

  function checkTxn(issuer: IssuerEndpoint, sent: string, echoed: string | undefined): void {
    // Issuers must echo txn; an answer for another transaction must never be used.
    if (echoed !== undefined && echoed !== '' && echoed !== sent) throw issuerErrors.badResponse(issuer.issuerName);
  }

  function decoded(issuer: IssuerEndpoint, b64: string | undefined): Buffer | null {
    if (b64 === undefined || b64.trim() === '') return null;
    const buf = decodeBase64(b64);
    if (!buf) throw issuerErrors.badResponse(issuer.issuerName);
    return buf;
  }

  return {
    breakers,

    async pullUri(issuer, request) {
      const { doctype } = request;
      const params: Array<[string, string]> = doctype.parameters.map((p) => {
        const v = request.params[p.name];
        if (typeof v !== 'string' || v.trim() === '') throw issuerErrors.parameterMissing(p.label);
        return [p.name, v.trim()];
      });
      const want = new Set(doctype.profileFields);
      const pr = request.profile ?? {};
      const txn = crypto.randomUUID();
      const body = buildPullUriRequest({
        ver: VERSION,
        ts: istTimestamp(deps.clock.now()),
        txn,
        orgId: issuer.orgId,
        format: request.format ?? (doctype.formats.includes('xml') ? 'both' : 'pdf'),
        docType: doctype.code,
        digiLockerId: request.digilockerId,
        ...(want.has('UID') && pr.uid ? { uid: pr.uid } : {}),
        ...(want.has('FullName') && pr.fullName ? { fullName: pr.fullName } : {}),
        ...(want.has('DOB') && pr.dob ? { dob: toDdMmYyyy(pr.dob) } : {}),
        ...(want.has('GENDER') && pr.gender ? { gender: pr.gender } : {}),
        ...(want.has('Photo') && pr.photo ? { photo: pr.photo.toString('base64') } : {}),
        params,
      });
      const text = await call(issuer, issuer.pullUriUrl, body);
      let res: ReturnType<typeof parsePullUriResponse>;
      try {
        res = parsePullUriResponse(text);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        deps.log?.warn({ issuer: issuer.issuerId, reason: err.message }, 'issuer sent an unusable Pull URI response');
        throw issuerErrors.badResponse(issuer.issuerName);
      }
      checkTxn(issuer, txn, res.txn);
      const prefix = `${issuer.issuerId}-${doctype.code}-`;
      const uriOk = (u: string | undefined) => u !== undefined && u.startsWith(prefix) && URI_TAIL.test(u.slice(prefix.length));
      if (res.status === '0') throw issuerErrors.recordNotFound(issuer.issuerName);
      if (res.status === '9') return { status: 'pending', txn, uri: uriOk(res.uri) ? res.uri! : null };
      // An issuer may only hand out URIs in its own namespace, for the type asked for.
      if (res.status !== '1' || !uriOk(res.uri)) throw issuerErrors.badResponse(issuer.issuerName);
      return { status: 'issued', txn, uri: res.uri!, doc: decoded(issuer, res.docContent), data: decoded(issuer, res.dataContent), issuedTo: res.issuedTo };
    },

    async pullDoc(issuer, uri, format, options = {}) {
      const txn = crypto.randomUUID();
      const body = buildPullDocRequest({
        ver: VERSION,
        ts: istTimestamp(deps.clock.now()),
        txn,
        orgId: issuer.orgId,
        format,
        uri,
        ...(options.digilockerId ? { digiLockerId: options.digilockerId } : {}),
      });
      const text = await call(issuer, issuer.pullDocUrl, body);
      let res: ReturnType<typeof parsePullDocResponse>;
      try {
        res = parsePullDocResponse(text);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        deps.log?.warn({ issuer: issuer.issuerId, reason: err.message }, 'issuer sent an unusable Pull Doc response');
        throw issuerErrors.badResponse(issuer.issuerName);
      }
      checkTxn(issuer, txn, res.txn);
      if (res.status !== '1') throw issuerErrors.badResponse(issuer.issuerName);
      const doc = decoded(issuer, res.docContent);
      const data = decoded(issuer, res.dataContent);
      if ((format !== 'xml' && !doc) || (format === 'xml' && !data)) throw issuerErrors.badResponse(issuer.issuerName);
      return { txn, doc, data };
    },
  };
}

