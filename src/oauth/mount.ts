/**
 * oidc-provider mounted as Fastify routes (DEPENDENCIES.md §4): each route hijacks the
 * reply and hands the raw request to the provider, with `originalUrl` kept so resume
 * URLs keep the /public/oauth2 prefix. Being Fastify routes, our flood guard, `limitBy`
 * limits, security headers, request ids and error shape apply first.
 *
 * Around the provider, thin DigiLocker adaptations:
 * - `1/authorize`: a request without `scope` gets the partner's approved scopes (DigiLocker
 *   uses the scopes configured for the app); opt-in PKCE compatibility (pkce-compat.ts).
 * - `1/token`, `2/token`, `1/revoke`: body and client authentication normalised
 *   (token-request.ts) and handed over as a fresh form-encoded request; the consent behind a
 *   code or refresh token is checked first (a revoked or expired consent is `invalid_grant`).
 *   `1/token` is the same endpoint as `2/token`, shaped by token-response.ts.
 * - `/.well-known/openid-configuration` at the root answers like the issuer's own.
 */
import { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { trackOidcResponse, type Provider } from './oidc.ts';
import { hashClientSecret } from '../crypto/partner-secret.ts';
import type { ConsentDeps } from '../domain/consent/deps.ts';
import { consentState } from '../domain/consent/model.ts';
import { AppError } from '../domain/errors.ts';
import { DEVICE_GRANT } from './device-grant.ts';
import { compatVerifier, isHexChallenge, wrapHexChallenge } from './pkce-compat.ts';
import { REQUESTED_SCOPE_PARAM } from './provider.ts';
import { setTokenContext } from './request-context.ts';
import { normaliseTokenRequest } from './token-request.ts';

export const OAUTH_PREFIX = '/public/oauth2';

/** Parameter names as digilocker-authpartner.json spells them → the names OAuth uses. */
const SPEC_SPELLINGS: Array<[string, string]> = [
  ['Code_challenge', 'code_challenge'],
  ['Code_challenge_method', 'code_challenge_method'],
  ['Verified_mobile', 'verified_mobile'],
];

type Deps = Pick<ConsentDeps, 'partners' | 'consents' | 'clock' | 'secretHashKey'>;

function handOver(cb: (req: IncomingMessage, res: FastifyReply['raw']) => unknown, req: FastifyRequest, reply: FastifyReply, url: string, raw: IncomingMessage = req.raw, originalUrl: string = req.raw.url!): void {
  // Fastify writes headers it holds (security headers, request id) only when it sends the
  // reply itself; a hijacked reply gets them now.
  for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) reply.raw.setHeader(k, v as string);
  reply.hijack();
  // oidc-provider derives its mount path from originalUrl minus url.
  (raw as IncomingMessage & { originalUrl?: string }).originalUrl = originalUrl;
  raw.url = url;
  trackOidcResponse(reply.raw);
  void cb(raw, reply.raw);
}

/** A fresh readable request carrying `body` (form-encoded) for oidc-provider. */
function formRequest(req: FastifyRequest, body: string): IncomingMessage {
  const m = new IncomingMessage(req.raw.socket);
  m.method = 'POST';
  m.httpVersion = req.raw.httpVersion;
  m.httpVersionMajor = req.raw.httpVersionMajor;
  m.httpVersionMinor = req.raw.httpVersionMinor;
  const headers = { ...req.raw.headers };
  delete headers.authorization;
  delete headers['transfer-encoding'];
  headers['content-type'] = 'application/x-www-form-urlencoded';
  headers['content-length'] = String(Buffer.byteLength(body));
  m.headers = headers;
  // `complete` is what the HTTP parser sets once a body has fully arrived; without it the
  // message's auto-destroy after 'end' would treat it as aborted and destroy the socket.
  m.complete = true;
  m.push(body);
  m.push(null);
  return m;
}

export interface MountOptions {
  tokenLimit: preHandlerHookHandler;
  authorizeLimit: preHandlerHookHandler;
}

export async function mountProvider(app: FastifyInstance, provider: Provider, deps: Deps, o: MountOptions): Promise<void> {
  const cb = provider.callback();
  const P = OAUTH_PREFIX;
  const hide = { schema: { hide: true }, config: { citizenAuth: false } } as const;

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const pass = (req: FastifyRequest, reply: FastifyReply) => handOver(cb, req, reply, req.raw.url!.slice(P.length) || '/');

    scope.get(`${P}/1/authorize`, { ...hide, preHandler: o.authorizeLimit }, async (req, reply) => {
      const url = new URL(req.raw.url!, 'http://x');
      const q = url.searchParams;
      // The spec spells some parameters with a capital (clients generated from it send them so).
      for (const [spec, name] of SPEC_SPELLINGS) {
        if (q.has(spec) && !q.has(name)) {
          for (const v of q.getAll(spec)) q.append(name, v);
          q.delete(spec);
        }
      }
      const clientId = q.getAll('client_id').length === 1 ? q.get('client_id')! : undefined;
      const partner = clientId && clientId.length <= 64 ? await deps.partners.get(clientId) : null;
      q.delete(REQUESTED_SCOPE_PARAM);
      if (partner && partner.status === 'approved') {
        if (!q.has('scope')) q.set('scope', partner.scopes.filter((s) => s !== 'offline_access').join(' '));
        if (q.getAll('scope').length === 1) q.set(REQUESTED_SCOPE_PARAM, q.get('scope')!);
        const challenge = q.get('code_challenge');
        if (partner.pkceCompat === 'hex-s256' && challenge && q.getAll('code_challenge').length === 1 && isHexChallenge(challenge)) {
          q.set('code_challenge', wrapHexChallenge(challenge));
        }
      }
      handOver(cb, req, reply, `/1/authorize${url.search}`, req.raw, `${P}/1/authorize${url.search}`);
    });
    scope.get(`${P}/1/authorize/:uid`, hide, pass);
    scope.get(`${P}/jwks`, hide, pass);
    scope.get(`${P}/.well-known/openid-configuration`, hide, pass);
    scope.get('/.well-known/openid-configuration', hide, (req, reply) => handOver(cb, req, reply, '/.well-known/openid-configuration', req.raw, `${P}/.well-known/openid-configuration`));
  });

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));

    const DOCS: Record<string, { summary: string; description: string }> = {
      [`${P}/1/token`]: {
        summary: 'Token endpoint (DigiLocker): authorization_code, refresh_token, device_code',
        description: 'Form or JSON body; client auth by client_id + client_secret in the body or HTTP Basic. Answers access_token, expires_in, token_type, scope, refresh_token, consent_valid_till and DigiLocker’s user fields (digilockerid, name, dob DDMMYYYY, gender, eaadhar, reference_key). PKCE S256 required.',
      },
      [`${P}/2/token`]: { summary: 'Token endpoint (OpenID Connect): as 1/token, with an id_token instead of the user fields', description: 'The token_endpoint of the discovery document.' },
      [`${P}/1/revoke`]: { summary: 'Revoke an access or refresh token (RFC 7009); ends the grant and the consent', description: 'Body: token, token_type_hint. Client authentication as for 1/token, or none: holding the token is enough to revoke it (DigiLocker’s form, also `Authorization: Bearer <access_token>` for a device client without a secret).' },
    };
    const tokenRoute = (path: string, target: string, v1: boolean) =>
      scope.post(path, { schema: { tags: ['partner API'], ...DOCS[path] }, config: { citizenAuth: false }, preHandler: o.tokenLimit }, async (req, reply) => {
        const n = normaliseTokenRequest(req, { allowBearer: target === '/1/revoke' });
        const params = { ...n.params };
        // The spec's RefreshAccessToken schema spells it refresh_Token.
        if (params.refresh_Token !== undefined && params.refresh_token === undefined) {
          params.refresh_token = params.refresh_Token;
          delete params.refresh_Token;
        }
        if (target === '/1/revoke' && n.clientSecret === undefined) {
          // DigiLocker's revoke takes just the token ("for server based web applications,
          // mobile application and limited input devices" — a device client has no secret):
          // holding the token is the authority to end it.
          const token = params.token ?? n.bearer;
          if (!token) throw new AppError('invalid', 'invalid_request', 'Send the token to revoke in the token parameter.');
          const found = token.length <= 512 ? ((await provider.AccessToken.find(token)) ?? (await provider.RefreshToken.find(token))) : undefined;
          if (!found?.clientId) return reply.code(200).send(); // RFC 7009 §2.2: an unknown or expired token is not an error.
          if (n.clientId !== undefined && n.clientId !== found.clientId) throw new AppError('unauthenticated', 'invalid_client', 'This token was not issued to this client.');
          const owner = await deps.partners.get(found.clientId);
          if (!owner?.secretHash) return reply.code(200).send();
          params.token = token;
          params.client_id = owner.id;
          params.client_secret = owner.secretHash;
        }
        const partner = n.clientId && n.clientId.length <= 64 ? await deps.partners.get(n.clientId) : null;
        if (n.clientSecret !== undefined) {
          params.client_secret = hashClientSecret(deps.secretHashKey, n.clientSecret);
        } else if (target === '/2/token' && params.grant_type === DEVICE_GRANT && partner?.status === 'approved' && partner.secretHash) {
          // DigiLocker devices hold only a client_id: the device code and the citizen's OTP
          // are the credentials of this grant (domain/consent/device-flow.ts).
          params.client_secret = partner.secretHash;
        }
        let consentValidTill: number | undefined;
        if (target === '/2/token' && partner) {
          const source =
            params.grant_type === 'authorization_code' && params.code
              ? await provider.AuthorizationCode.find(params.code, { ignoreExpiration: true })
              : params.grant_type === 'refresh_token' && params.refresh_token
                ? await provider.RefreshToken.find(params.refresh_token, { ignoreExpiration: true })
                : undefined;
          if (source && source.clientId === partner.id && source.grantId) {
            const consent = await deps.consents.getByGrant(source.grantId);
            if (consent) {
              const state = consentState(consent, deps.clock.now());
              if (state !== 'active') throw new AppError('invalid', 'invalid_grant', state === 'revoked' ? 'The citizen revoked this consent.' : 'The citizen’s consent has expired; ask for it again.');
              consentValidTill = new Date(consent.validTill).getTime();
            }
          }
          // DigiLocker's token request has no redirect_uri (its spec requires only grant_type,
          // code, client id and secret): the code is bound to the client, its PKCE verifier and
          // the redirect URI it was issued for, so that URI stands in for a missing one.
          if (source && params.grant_type === 'authorization_code' && params.redirect_uri === undefined && source.clientId === partner.id) {
            const issuedFor = (source as { redirectUri?: string }).redirectUri;
            if (issuedFor) params.redirect_uri = issuedFor;
          }
          if (source && params.grant_type === 'authorization_code' && partner.pkceCompat === 'hex-s256' && params.code_verifier) {
            params.code_verifier = compatVerifier(params.code_verifier, (source as { codeChallenge?: string }).codeChallenge);
          }
        }
        const raw = formRequest(req, new URLSearchParams(params).toString());
        setTokenContext(raw, { v1, ...(consentValidTill !== undefined ? { consentValidTill } : {}) });
        handOver(cb, req, reply, target, raw);
      });

    tokenRoute(`${P}/1/token`, '/2/token', true);
    tokenRoute(`${P}/2/token`, '/2/token', false);
    tokenRoute(`${P}/1/revoke`, '/1/revoke', false);
  });
}
