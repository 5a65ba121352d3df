/**
 * The DigiLocker device grant, registered with oidc-provider as the handler of
 * `urn:ietf:params:oauth:grant-type:device_code` (its own RFC 8628 flow is off: DigiLocker
 * replaces the verification page with an OTP sent to the citizen). oidc-provider has
 * already authenticated the client; this handler checks the device code and OTP
 * (domain/consent/device-flow.ts), records the consent, creates the grant and mints an
 * access token (no refresh token) with oidc-provider's own models, so revocation,
 * `1/user` and every other check treat it like any token.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { errors, type Provider } from './oidc.ts';
import type { ConsentDeps } from '../domain/consent/deps.ts';
import { deviceGrantedText, redeemDeviceCode } from '../domain/consent/device-flow.ts';
import { grantConsent } from '../domain/consent/grant-consent.ts';
import { recordPartnerAccess } from '../domain/consent/record-partner-access.ts';
import { AppError } from '../domain/errors.ts';
import { setTokenContext, tokenContext } from './request-context.ts';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export function toProviderError(err: AppError): InstanceType<typeof errors.OIDCProviderError> {
  const e = new errors.CustomOIDCProviderError(err.code, err.message);
  if (err.kind === 'unauthenticated') Object.assign(e, { status: 401, statusCode: 401 });
  return e;
}

export function registerDeviceGrant(provider: Provider, deps: ConsentDeps, issuer: string, staticScopes: string[]): void {
  provider.registerGrantType(
    DEVICE_GRANT,
    async (ctx: KoaContextWithOIDC) => {
      const client = ctx.oidc.client!;
      const params = ctx.oidc.params as Record<string, unknown>;
      let redeemed;
      try {
        redeemed = await redeemDeviceCode(deps, { clientId: client.clientId, deviceCode: params.device_code, otp: params.dl_otp });
      } catch (err) {
        if (err instanceof AppError) throw toProviderError(err);
        throw err;
      }
      const { account, partner, scopes, purpose, validTill } = redeemed;
      const grant = new provider.Grant({ accountId: account.id, clientId: client.clientId });
      const oidcScopes = scopes.filter((s) => staticScopes.includes(s));
      if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
      const grantId = await grant.save();
      const consent = await grantConsent(deps, {
        accountId: account.id,
        digilockerId: account.id,
        partner,
        purpose,
        scopes,
        documents: [],
        validTill,
        grantId,
        flow: 'device_code',
        ip: ctx.ip,
        userAgent: ctx.get('user-agent') || null,
        issuer,
      });
      setTokenContext(ctx.req, { v1: tokenContext(ctx.req)?.v1 ?? false, consentValidTill: validTill.getTime() });
      const at = new provider.AccessToken({ accountId: account.id, client, grantId, gty: DEVICE_GRANT, scope: oidcScopes.join(' ') });
      const value = await at.save();
      await recordPartnerAccess(deps, { consent, partner }, { action: 'token_issued', ip: ctx.ip, userAgent: ctx.get('user-agent') || null });
      await deps.sms.send(account.mobile, deviceGrantedText(deps.policy.serviceName, partner.name, scopes, validTill, deps.policy.publicUrl)).catch(() => {});
      ctx.body = { access_token: value, expires_in: at.expiration, token_type: 'Bearer', scope: scopes.join(' ') };
    },
    ['device_code', 'dl_otp'],
  );
}
