/**
 * Composition of the issued-documents module: the SQL stores, the issuers module's registry
 * and Issuer API client (one set of circuit breakers per process), the eKYC client for
 * Aadhaar linking, and the registrations other modules rely on — the `issued` document
 * source, the consent screen's source, the dashboard card, the account eraser — plus the
 * sweeper that retries pending pulls.
 */
import { repeatWhileServing } from '../jobs/repeat.ts';
import type { AppDeps } from '../deps.ts';
import { secretBox } from '../crypto/secret-box.ts';
import type { IssuedDeps } from '../domain/issued/deps.ts';
import { issuedConsentSource, issuedDocumentSource } from '../domain/issued/document-source.ts';
import { EAADHAAR } from '../domain/issued/link-aadhaar.ts';
import { retryPendingPulls } from '../domain/issued/retry-pending.ts';
import { createEkycClient } from '../integrations/uidai/ekyc-client.ts';
import type { AppModule } from '../modules.ts';
import { sqlAccounts } from '../storage/sql/repositories/accounts.ts';
import { sqlAadhaarLinks, sqlPushClients } from '../storage/sql/repositories/aadhaar-links.ts';
import { sqlIssuedDocuments } from '../storage/sql/repositories/issued-documents.ts';
import { registerIssuedRoutes } from '../http/routes/issued/api.ts';
import { registerPushRoutes } from '../http/routes/issued/push.ts';
import { registerIssuedPages } from '../web/issued/routes.ts';
import { issuedDashboardCard } from '../web/issued/card.ts';
import { registerActivityTypes } from '../web/accounts/activity-page.ts';
import { issuerServices } from './issuers.ts';

export const PUSH_SECRET_PURPOSE = 'issuer-push-secrets';

registerActivityTypes('issued_pulled', 'issued_pull_pending', 'issued_pull_failed', 'issued_pushed', 'issued_push_deleted', 'issued_viewed', 'issued_removed', 'aadhaar_linked');

const cache = new WeakMap<object, IssuedDeps>();

export function issuedServices(deps: Pick<AppDeps, 'sql' | 'masterKey' | 'clock' | 'config' | 'activity'>, log?: { warn(obj: Record<string, unknown>, msg: string): void }): IssuedDeps {
  const hit = cache.get(deps.sql);
  if (hit) return hit;
  const issuers = issuerServices(deps, log);
  const services: IssuedDeps = {
    docs: sqlIssuedDocuments(deps.sql),
    aadhaar: sqlAadhaarLinks(deps.sql),
    pushClients: sqlPushClients(deps.sql),
    accounts: sqlAccounts(deps.sql),
    issuers: issuers.issuers,
    secrets: issuers.secrets,
    pushSecrets: secretBox(deps.masterKey, PUSH_SECRET_PURPOSE),
    client: issuers.client,
    activity: deps.activity,
    clock: deps.clock,
    uidKey: deps.masterKey.derive('aadhaar-number-hash'),
    // Read per call (no in-process cache): the UIDAI registration may change at any time.
    async ekyc() {
      const uidai = await issuers.issuers.get(EAADHAAR.issuerId);
      const sealed = uidai ? await issuers.issuers.sealedKey(uidai.id) : null;
      if (!uidai || !sealed) return null;
      let baseUrl = deps.config.uidaiEkycUrl;
      if (!baseUrl && uidai.source === 'sandbox' && uidai.pullUriUrl) baseUrl = `${new URL(uidai.pullUriUrl).origin}/uidai/ekyc`;
      if (!baseUrl) return null;
      return createEkycClient({ baseUrl, hmacKey: issuers.secrets.open(sealed, uidai.id), timeoutMs: deps.config.issuerTimeoutMs });
    },
  };
  cache.set(deps.sql, services);
  return services;
}

export const issuedModule: AppModule = {
  name: 'issued',
  sections: ['/issued'],
  register(app, deps) {
    const services = issuedServices(deps, app.log);
    deps.documents.register(issuedDocumentSource(services));
    deps.consentDocuments.register(issuedConsentSource(services));
    deps.dashboardCards.register(issuedDashboardCard(services));
    deps.accountErasers.register({
      name: 'issued',
      erase: async (accountId: string) => {
        await services.docs.eraseAccount(accountId);
        await services.aadhaar.remove(accountId);
      },
    });
    registerIssuedRoutes(app, services, deps);
    registerPushRoutes(app, services, deps);
    registerIssuedPages(app, services, deps);

    const everyMs = deps.config.issuedRetrySeconds * 1000;
    if (everyMs > 0) {
      repeatWhileServing(app, everyMs, 'pending pull sweep', async () => {
        const r = await retryPendingPulls(services);
        if (r.issued || r.dropped || r.stillPending) app.log.info({ pending: r }, 'pending pulls retried');
      });
    }
  },
};
