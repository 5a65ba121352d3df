/**
 * The consent module (GitHub issue #6): partner registration, the authorization server
 * under /public/oauth2 (oidc-provider adapted to DigiLocker's paths), the consent screen,
 * the partner APIs, the citizen's Connected organisations, the admin pages, access
 * notifications (a sweep every minute) and account erasure.
 */
import { repeatWhileServing } from '../../../jobs/repeat.ts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import type { AdapterPayload } from 'oidc-provider';
import { Provider } from '../../../oauth/oidc.ts';
import { notifyPartnerAccesses } from '../../../domain/consent/notify-partner-accesses.ts';
import type { AppModule } from '../../../modules.ts';
import { registerDeviceGrant, DEVICE_GRANT } from '../../../oauth/device-grant.ts';
import { mountProvider } from '../../../oauth/mount.ts';
import { buildProvider, STATIC_SCOPES } from '../../../oauth/provider.ts';
import { shapeTokenResponses } from '../../../oauth/token-response.ts';
import { consentServices, type ConsentServices } from '../../../wiring/consent.ts';
import { issuerServices } from '../../../wiring/issuers.ts';
import { registerMessages } from '../../../web/i18n/index.ts';
import { registerActivityTypes } from '../../../web/accounts/activity-page.ts';
import { registerConsentWebPages } from '../../../web/consent/routes.ts';
import { consentMessages } from '../../../web/consent/messages.ts';
import { renderProviderError } from '../../../web/consent/provider-error.ts';
import { limitBy } from '../../plugins/limits.ts';
import { registerPartnerAdminRoutes } from './admin.ts';
import { registerCitizenConsentRoutes } from './citizen.ts';
import { registerPartnerApi } from './partner-api.ts';
import { registerPartnerFileApi } from './partner-files.ts';
import { registerPartnerPull } from './partner-pull.ts';
import { pullDocument } from '../../../domain/issued/pull-document.ts';
import { issuedServices } from '../../../wiring/issued.ts';
import { sqlAadhaarLinks } from '../../../storage/sql/repositories/aadhaar-links.ts';
import { connectedCard } from '../../../web/consent/connected-card.ts';
import { lockerConsentSource } from '../../../domain/consent/consent-document-source.ts';

registerMessages(consentMessages);
registerActivityTypes('consent_granted', 'consent_revoked', 'partner_token_issued', 'partner_accessed');

const SWEEP_EVERY_MS = 60_000;

/** oidc-provider's view of a partner: only approved partners with a secret are clients. */
export async function clientMetadata(s: ConsentServices, id: string): Promise<AdapterPayload | undefined> {
  if (id.length > 64) return undefined;
  const p = await s.partners.get(id);
  if (!p || p.status !== 'approved' || !p.secretHash) return undefined;
  return {
    client_id: p.id,
    client_secret: p.secretHash,
    client_name: p.name,
    redirect_uris: [...p.redirectUris], // a copy: the partner may come from a shared cache
    grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    scope: ['openid', 'offline_access', 'profile', ...p.scopes.filter((sc) => STATIC_SCOPES.includes(sc))].filter((v, i, a) => a.indexOf(v) === i).join(' '),
  };
}

export const consentModule: AppModule = {
  name: 'consent',
  sections: ['/connected'],
  async register(app: FastifyInstance, deps: AppDeps) {
    const s = consentServices(deps);
    const web = { supportEmail: deps.config.supportEmail, sandbox: deps.config.sandbox };
    const keys = await s.keys();
    const provider = buildProvider({
      issuer: s.issuer,
      store: deps.sql,
      accounts: s.accounts,
      aadhaar: sqlAadhaarLinks(deps.sql),
      jwks: keys.providerJwks,
      cookieKeys: [deps.masterKey.derive('oauth-cookies').toString('base64url')],
      secureCookies: deps.config.secureCookies,
      trustProxy: deps.config.trustProxy,
      policy: s.policy,
      hooks: {
        clientMetadata: (id) => clientMetadata(s, id),
        onGrantDestroyed: async (grantId) => {
          // Why oidc-provider revoked the grant, from the request it is handling.
          const ctx = Provider.ctx as { oidc?: { route?: string; params?: Record<string, unknown> } } | undefined;
          const route = ctx?.oidc?.route;
          const gt = ctx?.oidc?.params?.grant_type;
          const reason = route === 'revocation' ? 'partner_revoked_token' : gt === 'authorization_code' ? 'code_replayed' : gt === 'refresh_token' ? 'refresh_token_reused' : 'grant_revoked';
          await s.consents.revokeByGrant(grantId, route === 'revocation' ? 'partner' : 'system', reason, s.clock.now());
        },
        now: () => s.clock.now().getTime(),
      },
      renderError: renderProviderError(web),
    });
    registerDeviceGrant(provider, s, s.issuer, STATIC_SCOPES);
    shapeTokenResponses(provider, s);
    await mountProvider(app, provider, s, {
      tokenLimit: limitBy(s, { name: 'oauth-token-ip', max: 300, windowMs: 60_000 }),
      authorizeLimit: limitBy(s, { name: 'oauth-authorize-ip', max: 300, windowMs: 60_000 }),
    });
    registerPartnerApi(app, s, issuerServices(deps), { perMinute: deps.config.partnerApiPerMinute });
    registerPartnerFileApi(app, s, { documents: deps.documents }, { perMinute: deps.config.partnerApiPerMinute });
    // The consent screen lists the locker's documents through the issued and uploaded sources.
    // Pulls go through the issued module's own use case (same checks as a citizen's pull).
    registerPartnerPull(app, s, { pull: (input) => pullDocument(issuedServices(deps, app.log), input) });
    deps.consentDocuments.register(lockerConsentSource(deps.documents, deps.consentDocuments));
    deps.dashboardCards.register(connectedCard(s));
    registerCitizenConsentRoutes(app, s, web);
    registerPartnerAdminRoutes(app, s, deps);
    registerConsentWebPages(app, provider, s, { adminToken: deps.adminToken, secureCookies: deps.config.secureCookies }, web);

    deps.accountErasers.register({
      name: 'consent',
      erase: async (accountId) => {
        await s.tokens.eraseAccount(accountId);
        await s.consents.eraseAccount(accountId);
      },
    });

    repeatWhileServing(app, SWEEP_EVERY_MS, 'partner access notices', async () => {
      const r = await notifyPartnerAccesses(s);
      if (r.sent || r.failed) app.log.info({ notices: r }, 'partner access notices');
      // Expired codes, tokens and interactions (kept an hour past expiry, for replay answers).
      await s.tokens.sweepExpired(s.clock.now().getTime() - 3600_000);
    });
  },
};
