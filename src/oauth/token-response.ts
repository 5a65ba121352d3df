/**
 * Shapes successful token responses (an oidc-provider post-middleware, its documented way
 * to adjust responses):
 *
 * - `scope` is the consent's granted scopes (authoritative, DigiLocker v2), which include
 *   the `partners.<DOCTYPE>` scopes oidc-provider does not know;
 * - `consent_valid_till` (UNIX seconds) on both endpoints;
 * - `1/token` adds DigiLocker's AccessResponse fields — digilockerid (and the spec's
 *   digilocker_id), name, dob (DDMMYYYY), gender, eaadhar (Y/N), reference_key — and
 *   drops id_token (DigiLocker's non-OIDC endpoint has none; `2/token` keeps it);
 * - every token issued under a code or refresh token is recorded as an access (the device
 *   grant records its own).
 */
import type { Provider } from './oidc.ts';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ConsentDeps } from '../domain/consent/deps.ts';
import { recordPartnerAccess } from '../domain/consent/record-partner-access.ts';
import { DEVICE_GRANT } from './device-grant.ts';
import { tokenContext } from './request-context.ts';

export function ddmmyyyy(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}${m}${y}`;
}

export function shapeTokenResponses(provider: Provider, deps: Pick<ConsentDeps, 'tokens' | 'consents' | 'partners' | 'accounts' | 'activity' | 'notices' | 'clock'>): void {
  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200 || !ctx.body || typeof ctx.body !== 'object') return;
    const body = ctx.body as Record<string, unknown>;
    if (typeof body.access_token !== 'string') return;
    const at = await deps.tokens.findAccessToken(body.access_token);
    const consent = at ? await deps.consents.getByGrant(at.grantId) : null;
    if (!at || !consent) return;
    body.token_type = 'Bearer';
    body.scope = consent.scopes.join(' ');
    body.consent_valid_till = Math.floor(new Date(consent.validTill).getTime() / 1000);
    const grantType = (ctx.oidc.params as Record<string, unknown> | undefined)?.grant_type;
    if (grantType !== DEVICE_GRANT) {
      const partner = await deps.partners.get(consent.partnerId);
      if (partner) await recordPartnerAccess(deps, { consent, partner }, { action: 'token_issued', ip: ctx.ip, userAgent: ctx.get('user-agent') || null });
    }
    if (!tokenContext(ctx.req)?.v1) return;
    const account = await deps.accounts.findById(at.accountId);
    if (!account) return;
    delete body.id_token;
    Object.assign(body, {
      digilockerid: account.id,
      digilocker_id: account.id,
      name: account.name,
      dob: ddmmyyyy(account.dob),
      gender: account.gender,
      eaadhar: account.aadhaarLinked ? 'Y' : 'N',
      reference_key: consent.referenceKey,
    });
  });
}
