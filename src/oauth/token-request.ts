/**
 * Normalises what reaches the token and revocation endpoints, the way real DigiLocker
 * clients send it, into the one form oidc-provider is configured for
 * (`client_secret_post`, form body):
 *
 * - body: `application/x-www-form-urlencoded` or `application/json` (flat object of
 *   strings/numbers); anything else is 415, a duplicated parameter or nested value 400;
 * - client authentication: HTTP Basic (RFC 6749 §2.3.1; base64 or base64url, as
 *   digilocker-sdk sends it) or `client_id` + `client_secret` in the body — one method,
 *   never both with different ids;
 * - the secret oidc-provider compares is the HMAC of the presented secret (the store keeps
 *   only that HMAC): the wire secret never reaches oidc-provider, its logs or its store.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.ts';

export interface NormalisedTokenRequest {
  params: Record<string, string>;
  clientId: string | undefined;
  /** The presented secret (to be hashed), if any. */
  clientSecret: string | undefined;
  /** `Authorization: Bearer <token>` (accepted only where `allowBearer`: revocation). */
  bearer?: string;
}

const invalidRequest = (m: string) => new AppError('invalid', 'invalid_request', m);
const invalidClient = (m: string) => new AppError('unauthenticated', 'invalid_client', m);

export function parseTokenBody(contentType: string | undefined, raw: unknown): Record<string, string> {
  const text = typeof raw === 'string' ? raw : '';
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const out: Record<string, string> = {};
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new AppError('invalid', 'invalid_json', 'The request body is not valid JSON.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidRequest('The JSON body must be an object of parameters.');
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw invalidRequest(`The parameter ${k.slice(0, 40)} must be a string.`);
      out[k] = String(v);
    }
    return out;
  }
  if (type === '' || type === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(text);
    for (const k of new Set(params.keys())) {
      const all = params.getAll(k);
      if (all.length > 1) throw invalidRequest(`The parameter ${k.slice(0, 40)} must not be repeated.`);
      out[k] = all[0]!;
    }
    return out;
  }
  throw new AppError('unsupported', 'unsupported_media_type', 'Send the parameters as application/x-www-form-urlencoded or application/json.');
}

function decodePart(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export function normaliseTokenRequest(req: Pick<FastifyRequest, 'headers' | 'body'>, o: { allowBearer?: boolean } = {}): NormalisedTokenRequest {
  const params = parseTokenBody(req.headers['content-type'], req.body);
  let clientId = params.client_id;
  let clientSecret = params.client_secret;
  const auth = req.headers.authorization;
  const bearer = o.allowBearer && typeof auth === 'string' ? /^Bearer\s+([A-Za-z0-9._~+/=-]{1,512})\s*$/i.exec(auth)?.[1] : undefined;
  if (bearer !== undefined) {
    // DigiLocker's 1/revoke takes only `token`: clients sign out by sending the access token
    // as their bearer credential (with or without `token` in the body).
    delete params.client_secret;
    if (clientId !== undefined) params.client_id = clientId;
    return { params, clientId, clientSecret, bearer };
  }
  if (typeof auth === 'string' && auth.trim() !== '') {
    const m = /^Basic\s+([A-Za-z0-9+/_=-]+)\s*$/i.exec(auth);
    if (!m) throw invalidClient('The Authorization header must be HTTP Basic with the client id and secret.');
    const decoded = Buffer.from(m[1]!.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 1) throw invalidClient('The Basic credentials must be client_id:client_secret.');
    const id = decodePart(decoded.slice(0, i));
    const secret = decodePart(decoded.slice(i + 1));
    if (params.client_secret !== undefined) throw invalidRequest('Authenticate the client one way only: HTTP Basic or client_secret in the body.');
    if (clientId !== undefined && clientId !== id) throw invalidClient('The client_id in the body does not match the Basic credentials.');
    clientId = id;
    clientSecret = secret;
  }
  delete params.client_secret;
  if (clientId !== undefined) params.client_id = clientId;
  return { params, clientId, clientSecret };
}
