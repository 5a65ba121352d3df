/**
 * Composition of the issuers module from the locker's dependencies: the SQL registry, the
 * sealing box for HMAC keys, and one Issuer API client (with its circuit breakers) per
 * locker process, configured from ISSUER_* settings. Routes, pages, the CLI, start-up
 * hooks and the later citizen flows (pull, push, open a document) all take their issuer
 * dependencies from here, so there is one registry and one set of breakers per process.
 */
import type { AppDeps } from '../deps.ts';
import { ISSUER_KEY_PURPOSE, secretBox } from '../crypto/secret-box.ts';
import type { IssuerDeps } from '../domain/issuers/deps.ts';
import { BreakerRegistry } from '../integrations/issuer-api/breaker.ts';
import { createIssuerApiClient, type IssuerApiClient, type IssuerApiLogger } from '../integrations/issuer-api/client.ts';
import { sqlIssuerRegistry } from '../storage/sql/repositories/issuer-registry.ts';
import type { SqlStore } from '../storage/sql/database.ts';
import { readCache } from '../storage/sql/read-cache.ts';
import type { Doctype, Issuer } from '../domain/issuers/model.ts';
import type { IssuerRegistry } from '../domain/issuers/ports.ts';
import { registerIssuerAdminRoutes } from '../http/routes/issuers/admin.ts';
import { registerIssuerPublicRoutes } from '../http/routes/issuers/public.ts';
import type { AppModule } from '../modules.ts';
import { registerIssuerPages } from '../web/issuers/routes.ts';

export interface IssuerServices extends IssuerDeps {
  client: IssuerApiClient;
}

const cache = new WeakMap<object, IssuerServices>();

export function issuerServices(deps: Pick<AppDeps, 'sql' | 'masterKey' | 'clock' | 'config'>, log?: IssuerApiLogger): IssuerServices {
  const hit = cache.get(deps.sql);
  if (hit) return hit;
  const { config } = deps;
  const breaker = { failureThreshold: config.issuerBreakerFailures, cooldownMs: config.issuerBreakerCooldownSeconds * 1000 };
  const services: IssuerServices = {
    issuers: hotLookupsCached(deps.sql, sqlIssuerRegistry(deps.sql)),
    secrets: secretBox(deps.masterKey, ISSUER_KEY_PURPOSE),
    clock: deps.clock,
    production: config.nodeEnv === 'production',
    client: createIssuerApiClient({
      clock: deps.clock,
      settings: { timeoutMs: config.issuerTimeoutMs, retries: config.issuerRetries, breaker },
      breakers: new BreakerRegistry(breaker, deps.clock),
      ...(log ? { log } : {}),
    }),
  };
  cache.set(deps.sql, services);
  return services;
}

/**
 * The issuers feature module: admin API, public directory API and the Issuers section
 * pages (`/issuers`).
 */
export const issuersModule: AppModule = {
  name: 'issuers',
  sections: ['/issuers'],
  register(app, deps) {
    const services = issuerServices(deps, app.log);
    registerIssuerAdminRoutes(app, services, deps);
    registerIssuerPublicRoutes(app, services);
    registerIssuerPages(app, services, { supportEmail: deps.config.supportEmail, sandbox: deps.config.sandbox });
  },
};

/**
 * An issuer, one of its document types and its sealed HMAC key are read on every pull and
 * every document opened; on SQLite they come through never-stale caches
 * (storage/sql/read-cache.ts), emptied by any change to the registry — an admin's
 * registration, `openlocker issuers disable` in another process — before the next read.
 */
function hotLookupsCached(store: SqlStore, registry: IssuerRegistry): IssuerRegistry {
  const tables = ['issuers', 'issuer_doctypes'];
  const issuers = readCache<string, Issuer>(store.changes, tables);
  const doctypes = readCache<string, Doctype>(store.changes, tables);
  const keys = readCache<string, string>(store.changes, tables);
  return {
    ...registry,
    get: (id) => issuers.get(id, () => registry.get(id)),
    doctype: (id, code) => doctypes.get(`${id}\u0000${code}`, () => registry.doctype(id, code)),
    sealedKey: (id) => keys.get(id, () => registry.sealedKey(id)),
  };
}
