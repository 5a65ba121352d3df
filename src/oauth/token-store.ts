/**
 * The consent module's view of oidc-provider's store (TokenStore in domain/consent/ports.ts):
 * look an access token up by value (opaque tokens: the value is the row id), delete a grant
 * with everything issued under it, erase an account.
 */
import type { TokenStore } from '../domain/consent/ports.ts';
import type { SqlStore } from '../storage/sql/database.ts';

export function sqlTokenStore({ db }: SqlStore, now: () => number): TokenStore {
  return {
    async findAccessToken(value) {
      if (typeof value !== 'string' || value.length < 20 || value.length > 200) return null;
      const r = await db.selectFrom('oauth_store').select(['payload', 'expires_at']).where('model', '=', 'AccessToken').where('id', '=', value).executeTakeFirst();
      if (!r || (r.expires_at !== null && Number(r.expires_at) <= now())) return null;
      const p = JSON.parse(r.payload) as { accountId?: string; clientId?: string; grantId?: string; scope?: string; exp?: number };
      if (!p.accountId || !p.clientId || !p.grantId) return null;
      return { accountId: p.accountId, clientId: p.clientId, grantId: p.grantId, scopes: (p.scope ?? '').split(' ').filter(Boolean), expiresAt: Number(r.expires_at ?? 0) };
    },
    async revokeGrant(grantId) {
      await db.deleteFrom('oauth_store').where((eb) => eb.or([eb('grant_id', '=', grantId), eb.and([eb('model', '=', 'Grant'), eb('id', '=', grantId)])])).execute();
    },
    async eraseAccount(accountId) {
      const grants = await db.selectFrom('consents').select(['grant_id']).where('account_id', '=', accountId).where('grant_id', 'is not', null).execute();
      for (const g of grants) await this.revokeGrant(g.grant_id!);
      await db.deleteFrom('oauth_store').where('account_id', '=', accountId).execute();
    },
    async sweepExpired(beforeMs) {
      const a = await db.deleteFrom('oauth_store').where('expires_at', '<', beforeMs).executeTakeFirst();
      const b = await db.deleteFrom('partner_device_requests').where('expires_at', '<', beforeMs).executeTakeFirst();
      return Number(a.numDeletedRows) + Number(b.numDeletedRows);
    },
  };
}
