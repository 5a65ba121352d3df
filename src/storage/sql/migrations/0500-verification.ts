import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

export function up(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('issuer_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('issuer_id', 'text', (c) => c.notNull())
      .addColumn('issuer_name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('did', 'text')
      .addColumn('certificate_der', 'text')
      .addColumn('chain_der', 'text', (c) => c.notNull())
      .addColumn('cert_sha256', 'text', (c) => c.unique())
      .addColumn('private_key', 'text')
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('revocation_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('issuer_keys_issuer').on('issuer_keys').columns(['issuer_id', 'created_at']).execute();
    await db.schema.createIndex('issuer_keys_did').on('issuer_keys').column('did').execute();
    await db.schema
      .createTable('issuer_key_current')
      .addColumn('issuer_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('issuer_key_current_pk', ['issuer_id', 'kind'])
      .execute();
    await db.schema
      .createTable('trust_anchors')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('certificate_der', 'text', (c) => c.notNull())
      .addColumn('cert_sha256', 'text', (c) => c.notNull().unique())
      .addColumn('private_key', 'text')
      .addColumn('sandbox', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('key_log')
      .addColumn('seq', caps.bigintType, (c) => c.primaryKey())
      .addColumn('prev_hash', 'text', (c) => c.notNull().unique())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('entry', 'text', (c) => c.notNull())
      .addColumn('issuer_id', 'text', (c) => c.notNull())
      .addColumn('kid', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('key_log_issuer').on('key_log').columns(['issuer_id', 'seq']).execute();
  };
}
