/**
 * The authorization server: oidc-provider (a certified OpenID Provider) configured for
 * DigiLocker's Authorized Partner API. Issuer identifier: `${PUBLIC_URL}/public/oauth2`;
 * oidc-provider's routes are renamed to DigiLocker's paths under it:
 *
 *   1/authorize   authorization endpoint (PKCE S256 required, code only)
 *   2/token       token endpoint (OIDC: id_token) — `1/token` is the same endpoint with
 *                 DigiLocker's user fields and no id_token (mount.ts, token-response.ts)
 *   1/revoke      revocation (RFC 7009)
 *   jwks          signing keys (id tokens RS256, consent receipts EdDSA)
 *   .well-known/openid-configuration
 *
 * Sign-in and consent happen in our own pages (web/consent/): every authorization goes
 * through them (the login prompt always fires, no grant is ever reused), so each one
 * creates its own consent record. Clients are the approved partners (adapter.ts). The
 * DigiLocker device flow is a custom grant (device-grant.ts).
 */
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { errors, interactionPolicy, Provider } from './oidc.ts';
import type { JWK } from 'jose';
import { DEVICE_GRANT } from './device-grant.ts';
import { tokenContext } from './request-context.ts';
import type { AdapterHooks } from './adapter.ts';
import { kyselyAdapterFactory } from './adapter.ts';
import type { SqlStore } from '../storage/sql/database.ts';
import type { AccountRepository } from '../domain/accounts/ports.ts';
import type { AadhaarAddress, AadhaarLinkStore } from '../domain/issued/ports.ts';
import { consentValidity } from '../domain/consent/grant-consent.ts';
import type { ConsentPolicy } from '../domain/consent/deps.ts';
import { AppError } from '../domain/errors.ts';

export const STATIC_SCOPES = ['openid', 'offline_access', 'profile', 'userdetails', 'email', 'address', 'picture', 'files.issueddocs', 'files.uploadeddocs'];

/** DigiLocker authorization parameters oidc-provider keeps for the consent screen. */
/**
 * The request's full scope list, copied by the authorization wrapper (mount.ts) from
 * `scope` — oidc-provider drops scopes it does not know, such as `partners.<DOCTYPE>`.
 * Whatever a client sends under this name is overwritten.
 */
export const REQUESTED_SCOPE_PARAM = 'ol_requested_scope';

export const EXTRA_PARAMS = [REQUESTED_SCOPE_PARAM, 'purpose', 'req_doctype', 'consent_valid_till', 'dl_flow', 'verified_mobile', 'service_name', 'acr', 'amr', 'pla', 'plsignup', 'ulsignup'];

export interface ProviderOptions {
  issuer: string;
  store: SqlStore;
  hooks: AdapterHooks;
  accounts: AccountRepository;
  /** The Aadhaar eKYC record behind the `address` and `picture` claims. */
  aadhaar: Pick<AadhaarLinkStore, 'get'>;
  jwks: JWK[];
  cookieKeys: string[];
  secureCookies: boolean;
  trustProxy: boolean;
  policy: ConsentPolicy;
  renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): void;
}

/** OpenID Connect's address claim (Core §5.1.1) from the eKYC address. */
export function oidcAddress(a: AadhaarAddress): Record<string, string> {
  const street = [a.careOf, a.line].filter(Boolean).join(', ');
  return {
    formatted: [street, a.district, `${a.state} ${a.pin}`.trim(), 'India'].filter(Boolean).join('\n'),
    street_address: street,
    locality: a.district,
    region: a.state,
    postal_code: a.pin,
    country: 'IN',
  };
}

function seconds(ms: number): number {
  return Math.max(1, Math.floor(ms / 1000));
}

export function buildProvider(o: ProviderOptions): Provider {
  const policy = interactionPolicy.base();
  // Our own sign-in (OTP + PIN) decides who the citizen is on every authorization.
  // (Satisfied only by the result of this very interaction, never by an older session.)
  policy.get('login')!.checks.add(
    new interactionPolicy.Check('locker_sign_in', 'the locker session is checked on every authorization', (ctx) =>
      ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
    ),
  );

  const consentLeft = (ctx: KoaContextWithOIDC): number | undefined => {
    const until = tokenContext(ctx.req)?.consentValidTill;
    return until === undefined ? undefined : seconds(until - o.hooks.now());
  };

  const configuration: Configuration = {
    adapter: kyselyAdapterFactory(o.store, o.hooks),
    clients: [],
    scopes: STATIC_SCOPES,
    claims: {
      openid: ['sub'],
      userdetails: ['name', 'birthdate', 'gender', 'digilockerid', 'eaadhaar'],
      profile: ['name', 'birthdate', 'gender'],
      email: ['email', 'email_verified'],
      address: ['address'],
      picture: ['picture'],
    },
    conformIdTokenClaims: false,
    extraParams: Object.fromEntries(
      EXTRA_PARAMS.map((p) => [
        p,
        p === 'consent_valid_till'
          ? (_ctx: unknown, value: string | undefined) => {
              try {
                consentValidity(o.policy, new Date(o.hooks.now()), value);
              } catch (err) {
                throw new errors.InvalidRequest(err instanceof AppError ? err.message : 'consent_valid_till is not valid');
              }
            }
          : () => {},
      ]),
    ),
    async findAccount(_ctx, sub) {
      const a = await o.accounts.findById(sub);
      if (!a || a.status !== 'active') return undefined;
      return {
        accountId: a.id,
        async claims(_use, scope) {
          const wants = new Set(String(scope ?? '').split(' '));
          const link = a.aadhaarLinked && (wants.has('address') || wants.has('picture')) ? await o.aadhaar.get(a.id) : null;
          return {
            sub: a.id,
            name: a.name,
            birthdate: a.dob,
            gender: a.gender,
            digilockerid: a.id,
            eaadhaar: a.aadhaarLinked ? 'Y' : 'N',
            ...(a.email ? { email: a.email, email_verified: a.emailVerified } : {}),
            ...(link?.address ? { address: oidcAddress(link.address) } : {}),
            ...(link?.photo ? { picture: `data:image/jpeg;base64,${link.photo}` } : {}),
          };
        },
      };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      deviceFlow: { enabled: false },
      claimsParameter: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
    },
    routes: {
      authorization: '/1/authorize',
      token: '/2/token',
      revocation: '/1/revoke',
      jwks: '/jwks',
    },
    pkce: { required: () => true },
    responseTypes: ['code'],
    // Clients may use HTTP Basic or the body (mount.ts turns Basic into the body form before
    // the provider sees the request, so every client is registered as client_secret_post);
    // discovery lists both, as README and DESIGN promise.
    clientAuthMethods: ['client_secret_post', 'client_secret_basic'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    jwks: { keys: o.jwks as never },
    cookies: {
      keys: o.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax', secure: o.secureCookies, signed: true },
      short: { httpOnly: true, sameSite: 'lax', secure: o.secureCookies, signed: true },
    },
    ttl: {
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 600,
      Grant: seconds(o.policy.maxValidityMs),
      IdToken: o.policy.accessTokenTtlSeconds,
      AccessToken: (ctx) => Math.min(o.policy.accessTokenTtlSeconds, consentLeft(ctx) ?? o.policy.accessTokenTtlSeconds),
      RefreshToken: (ctx) => consentLeft(ctx) ?? seconds(o.policy.defaultValidityMs),
    },
    // Tokens live as long as their consent, never as long as a browser session here.
    expiresWithSession: async () => false,
    // Revoking any token of a grant (1/revoke) ends the grant and so the consent: DigiLocker
    // "will invalidate the specified token and, if applicable, other tokens based on the
    // same authorisation grant" — a partner's sign-out.
    revokeGrantPolicy: () => true,
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, source) => client.grantTypeAllowed('refresh_token') && source.kind === 'AuthorizationCode',
    // Every authorization asks the citizen again: one consent record per grant.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    interactions: { policy, url: (_ctx, interaction) => `/consent/${interaction.uid}` },
    clientBasedCORS: () => false,
    renderError: async (ctx, out) => o.renderError(ctx, out as { error: string; error_description?: string }),
  };
  const provider = new Provider(o.issuer, configuration);
  provider.proxy = o.trustProxy;
  return provider;
}
