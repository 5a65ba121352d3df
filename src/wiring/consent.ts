/**
 * Composition of the consent module (Authorized Partner API): the repositories, the
 * authorization server (oidc-provider, its keys and store), and the module that mounts
 * it, the partner APIs, the citizen's Connected organisations, the consent screen and the
 * admin pages. One ConsentDeps per SQL store (so per locker process).
 */
import type { AppDeps } from '../deps.ts';
import { PARTNER_SECRET_HASH_PURPOSE, PARTNER_SECRET_PURPOSE } from '../crypto/partner-secret.ts';
import { secretBox } from '../crypto/secret-box.ts';
import { accountPolicy } from '../domain/accounts/deps.ts';
import { defaultConsentPolicy, type ConsentDeps } from '../domain/consent/deps.ts';
import { loadSigningKeys, OAUTH_KEY_PURPOSE, type SigningKeys } from '../oauth/keys.ts';
import { receiptSigner } from '../oauth/receipts.ts';
import { sqlTokenStore } from '../oauth/token-store.ts';
import { sqlAccounts } from '../storage/sql/repositories/accounts.ts';
import { sqlConsents, sqlDeviceRequests, sqlNoticeQueue } from '../storage/sql/repositories/consents.ts';
import { sqlOtpChallenges } from '../storage/sql/repositories/otp-challenges.ts';
import { sqlPartners } from '../storage/sql/repositories/partners.ts';
import { sqlIssuerRegistry } from '../storage/sql/repositories/issuer-registry.ts';
import type { SqlStore } from '../storage/sql/database.ts';
import { readCache } from '../storage/sql/read-cache.ts';
import type { Consent, Partner } from '../domain/consent/model.ts';

export interface ConsentServices extends ConsentDeps {
  keys(): Promise<SigningKeys>;
  issuer: string;
  /** Names of doc type codes, from the issuer registry (see IssuerRegistry.doctypeNames). */
  doctypeNames(codes: string[]): Promise<Map<string, string>>;
}

const cache = new WeakMap<object, ConsentServices>();

export function consentServices(deps: Pick<AppDeps, 'sql' | 'masterKey' | 'clock' | 'config' | 'activity' | 'sms' | 'email' | 'counters' | 'consentDocuments'>): ConsentServices {
  const hit = cache.get(deps.sql);
  if (hit) return hit;
  const { config } = deps;
  let keys: Promise<SigningKeys> | undefined;
  const loadKeys = () => {
    keys ??= loadSigningKeys(deps.sql, secretBox(deps.masterKey, OAUTH_KEY_PURPOSE), deps.clock.now()).catch((err: unknown) => {
      keys = undefined;
      throw err;
    });
    return keys;
  };
  const registry = sqlIssuerRegistry(deps.sql);
  const now = () => deps.clock.now().getTime();
  const services: ConsentServices = {
    ...hotLookupsCached(deps.sql, { partners: sqlPartners(deps.sql), consents: sqlConsents(deps.sql), tokens: sqlTokenStore(deps.sql, now) }, now),
    notices: sqlNoticeQueue(deps.sql),
    devices: sqlDeviceRequests(deps.sql),
    documents: deps.consentDocuments,
    receipts: receiptSigner(loadKeys),
    accounts: sqlAccounts(deps.sql),
    otps: sqlOtpChallenges(deps.sql),
    activity: deps.activity,
    sms: deps.sms,
    email: deps.email,
    counters: deps.counters,
    clock: deps.clock,
    secretHashKey: deps.masterKey.derive(PARTNER_SECRET_HASH_PURPOSE),
    secretBox: secretBox(deps.masterKey, PARTNER_SECRET_PURPOSE),
    otpKey: deps.masterKey.derive('otp-codes'),
    accountPolicy: accountPolicy(config),
    policy: defaultConsentPolicy({ production: config.nodeEnv === 'production', publicUrl: config.publicUrl }),
    keys: loadKeys,
    issuer: `${config.publicUrl}/public/oauth2`,
    doctypeNames: (codes) => registry.doctypeNames(codes),
  };
  cache.set(deps.sql, services);
  return services;
}

/**
 * The three look-ups every partner API request makes before anything else (its access
 * token, the partner, the consent behind the grant) read through never-stale caches on
 * SQLite (storage/sql/read-cache.ts): a revocation, suspension or new token empties them
 * before the next request, from this process or the CLI. A cached token is checked against
 * the clock on every use, as the store checks it.
 */
function hotLookupsCached(store: SqlStore, base: Pick<ConsentDeps, 'partners' | 'consents' | 'tokens'>, now: () => number): Pick<ConsentDeps, 'partners' | 'consents' | 'tokens'> {
  const partners = readCache<string, Partner>(store.changes, ['partners']);
  const consents = readCache<string, Consent>(store.changes, ['consents']);
  const tokens = readCache<string, NonNullable<Awaited<ReturnType<ConsentDeps['tokens']['findAccessToken']>>>>(store.changes, ['oauth_store']);
  return {
    partners: { ...base.partners, get: (id: string) => partners.get(id, () => base.partners.get(id)) },
    consents: { ...base.consents, getByGrant: (grantId: string) => consents.get(grantId, () => base.consents.getByGrant(grantId)) },
    tokens: {
      ...base.tokens,
      async findAccessToken(value: string) {
        const t = await tokens.get(value, () => base.tokens.findAccessToken(value));
        return t && t.expiresAt !== 0 && t.expiresAt <= now() ? null : t;
      },
    },
  };
}
