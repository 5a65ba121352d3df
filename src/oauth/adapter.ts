/**
 * oidc-provider's storage, over Kysely: one table (`oauth_store`) for every model it keeps
 * (Session, Interaction, Grant, AuthorizationCode, AccessToken, RefreshToken, …), keyed by
 * (model, id), with the payload as JSON and the columns the lookups need. Clients are not
 * stored here: the `Client` model reads approved partners (see clientMetadata).
 *
 * Method by method (after node-oidc-provider's example/my_adapter.js):
 * - upsert(id, payload, expiresIn): insert or replace; `expiresIn` seconds from now sets
 *   expires_at. grantId, uid, userCode and accountId are copied into indexed columns.
 * - find(id): the payload, or undefined if absent or expired (expired rows are also swept).
 *   A consumed row is returned with `consumed` set, so oidc-provider can detect replays.
 * - findByUid / findByUserCode: the same, by the indexed column.
 * - consume(id): marks the row consumed in one guarded UPDATE (… WHERE consumed_at IS NULL).
 *   Race contract: of any number of concurrent consumers of one authorization code or
 *   refresh token exactly one succeeds; the others get InvalidGrant, their grant is
 *   revoked (a replay), and no second set of tokens is issued.
 * - destroy(id): deletes the row. For a Grant, the consent bound to it is revoked too
 *   (`onGrantDestroyed`): the grant is destroyed only when oidc-provider revokes it
 *   (code replay, refresh-token reuse, refresh-token revocation).
 * - revokeByGrantId(grantId): deletes every row of this model for the grant.
 */
import { errors } from './oidc.ts';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { SqlStore } from '../storage/sql/database.ts';

export interface AdapterHooks {
  /** Client metadata for oidc-provider, or undefined (unknown, pending, suspended, revoked). */
  clientMetadata(clientId: string): Promise<AdapterPayload | undefined>;
  /** Called after a Grant row is destroyed. */
  onGrantDestroyed(grantId: string): Promise<void>;
  now(): number;
}

export function kyselyAdapterFactory(store: SqlStore, hooks: AdapterHooks): new (model: string) => Adapter {
  const { db } = store;

  class KyselyAdapter implements Adapter {
    constructor(readonly model: string) {}

    private async row(where: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const r = await db.selectFrom('oauth_store').select(['payload', 'expires_at', 'consumed_at', 'id']).where('model', '=', this.model).where(where, '=', value).executeTakeFirst();
      if (!r) return undefined;
      if (r.expires_at !== null && Number(r.expires_at) <= hooks.now()) {
        await db.deleteFrom('oauth_store').where('model', '=', this.model).where('id', '=', r.id).execute();
        return undefined;
      }
      const payload = JSON.parse(r.payload) as AdapterPayload;
      return r.consumed_at !== null ? { ...payload, consumed: Math.floor(Number(r.consumed_at) / 1000) } : payload;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const values = {
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        account_id: payload.accountId ?? null,
        expires_at: expiresIn ? hooks.now() + expiresIn * 1000 : null,
        consumed_at: null,
      };
      await db
        .insertInto('oauth_store')
        .values(values)
        .onConflict((oc) => oc.columns(['model', 'id']).doUpdateSet({ payload: values.payload, grant_id: values.grant_id, uid: values.uid, user_code: values.user_code, account_id: values.account_id, expires_at: values.expires_at }))
        .execute();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') return hooks.clientMetadata(id);
      return this.row('id', id);
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return this.row('uid', uid);
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return this.row('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      const r = await db
        .updateTable('oauth_store')
        .set({ consumed_at: hooks.now() })
        .where('model', '=', this.model)
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .returning(['grant_id'])
        .executeTakeFirst();
      if (!r) {
        // Lost a race with a concurrent use of the same code or refresh token: a replay.
        const row = await db.selectFrom('oauth_store').select(['grant_id']).where('model', '=', this.model).where('id', '=', id).executeTakeFirst();
        if (row?.grant_id) await revokeGrantRows(row.grant_id);
        throw new errors.InvalidGrant(`${this.model === 'AuthorizationCode' ? 'authorization code' : 'token'} already consumed`);
      }
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('oauth_store').where('model', '=', this.model).where('id', '=', id).execute();
      if (this.model === 'Grant') await hooks.onGrantDestroyed(id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('oauth_store').where('model', '=', this.model).where('grant_id', '=', grantId).execute();
    }
  }

  async function revokeGrantRows(grantId: string): Promise<void> {
    await db.deleteFrom('oauth_store').where('grant_id', '=', grantId).where('model', '!=', 'Grant').execute();
    await db.deleteFrom('oauth_store').where('model', '=', 'Grant').where('id', '=', grantId).execute();
    await hooks.onGrantDestroyed(grantId);
  }

  return KyselyAdapter;
}
