import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/** Partners, consents, access records, notification batching, the OAuth store and its keys. */
export function up(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('partners')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('contact_name', 'text')
      .addColumn('contact_email', 'text')
      .addColumn('contact_phone', 'text')
      .addColumn('redirect_uris', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('doctypes', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text')
      .addColumn('secret_sealed', 'text')
      .addColumn('secret_hint', 'text')
      .addColumn('secret_created_at', 'text')
      .addColumn('pkce_compat', 'text', (c) => c.notNull().defaultTo('none'))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('approved_at', 'text')
      .execute();
    await db.schema.createIndex('partners_by_status').on('partners').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('oauth_store')
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text')
      .addColumn('uid', 'text')
      .addColumn('user_code', 'text')
      .addColumn('account_id', 'text')
      .addColumn('expires_at', caps.bigintType)
      .addColumn('consumed_at', caps.bigintType)
      .addPrimaryKeyConstraint('oauth_store_pk', ['model', 'id'])
      .execute();
    await db.schema.createIndex('oauth_store_grant').on('oauth_store').columns(['grant_id']).execute();
    await db.schema.createIndex('oauth_store_uid').on('oauth_store').columns(['uid']).execute();
    await db.schema.createIndex('oauth_store_user_code').on('oauth_store').columns(['user_code']).execute();
    await db.schema.createIndex('oauth_store_account').on('oauth_store').columns(['account_id']).execute();
    await db.schema.createIndex('oauth_store_expires').on('oauth_store').columns(['expires_at']).execute();

    await db.schema
      .createTable('oauth_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('use', 'text', (c) => c.notNull())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('private_sealed', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('retired_at', 'text')
      .execute();

    await db.schema
      .createTable('consents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'text', (c) => c.unique())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('documents', 'text', (c) => c.notNull())
      .addColumn('granted_at', 'text', (c) => c.notNull())
      .addColumn('valid_till', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('revoked_by', 'text')
      .addColumn('revoked_reason', 'text')
      .addColumn('reference_key', 'text', (c) => c.notNull())
      .addColumn('receipt', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    await db.schema.createIndex('consents_by_account').on('consents').columns(['account_id', 'granted_at']).execute();
    await db.schema.createIndex('consents_by_partner').on('consents').columns(['partner_id', 'granted_at']).execute();

    await db.schema
      .createTable('consent_accesses')
      .addColumn('id', 'integer', (c) => caps.autoIncrementPrimaryKey(c))
      .addColumn('consent_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('ip', 'text')
      .execute();
    await db.schema.createIndex('consent_accesses_by_consent').on('consent_accesses').columns(['consent_id', 'at']).execute();
    await db.schema.createIndex('consent_accesses_by_partner').on('consent_accesses').columns(['account_id', 'partner_id', 'at']).execute();

    await db.schema
      .createTable('partner_notices')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('pending', 'integer', (c) => c.notNull())
      .addColumn('first_pending_at', 'text')
      .addColumn('last_sent_at', 'text')
      .addPrimaryKeyConstraint('partner_notices_pk', ['account_id', 'partner_id'])
      .execute();
    await db.schema.createIndex('partner_notices_pending').on('partner_notices').columns(['pending', 'first_pending_at']).execute();

    await db.schema
      .createTable('partner_device_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner_id', 'text', (c) => c.notNull())
      .addColumn('challenge_id', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('consent_valid_till', 'text')
      .addColumn('created_at', caps.bigintType, (c) => c.notNull())
      .addColumn('expires_at', caps.bigintType, (c) => c.notNull())
      .addColumn('consumed_at', caps.bigintType)
      .addColumn('ip', 'text')
      .execute();
    await db.schema.createIndex('partner_device_requests_expires').on('partner_device_requests').columns(['expires_at']).execute();
  };
}
