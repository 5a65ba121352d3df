/**
 * Issued documents (references to documents that live at their issuer), pulls the issuer
 * answered "pending" (retried by the sweeper), Aadhaar links (keyed hash + last 4 digits
 * and the eKYC-verified profile) and issuers' push credentials. Every citizen-owned table
 * is keyed by account id first, so a citizen's rows sit together (and shard together).
 */
import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

export function up(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('issued_documents')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('uri', 'text', (c) => c.notNull())
      .addColumn('issuer_id', 'text', (c) => c.notNull())
      .addColumn('doctype', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('issued_documents_pk', ['account_id', 'uri'])
      .execute();
    // The citizen's list, newest first, is one index range scan however big the table grows.
    await db.schema.createIndex('issued_documents_account_created').on('issued_documents').columns(['account_id', 'created_at', 'uri']).execute();
    // Push "URI already exists in another account" and delete-by-URI from an issuer.
    await db.schema.createIndex('issued_documents_uri').on('issued_documents').column('uri').execute();

    await db.schema
      .createTable('issued_pulls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('issuer_id', 'text', (c) => c.notNull())
      .addColumn('doctype', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('uri', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_retry_at', caps.bigintType, (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('issued_pulls_account').on('issued_pulls').columns(['account_id', 'created_at']).execute();
    await db.schema.createIndex('issued_pulls_due').on('issued_pulls').column('next_retry_at').execute();

    await db.schema
      .createTable('aadhaar_links')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('uid_hash', 'text', (c) => c.notNull().unique())
      .addColumn('uid_last4', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('dob', 'text', (c) => c.notNull())
      .addColumn('gender', 'text', (c) => c.notNull())
      .addColumn('photo', 'text')
      .addColumn('eaadhaar_uri', 'text')
      .addColumn('linked_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('issuer_push_clients')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('issuer_id', 'text', (c) => c.notNull().unique())
      .addColumn('secret_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  };
}
