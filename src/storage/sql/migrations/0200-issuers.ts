import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/** The issuer registry: issuers and their document types (seeded from the public directory at start). */
export function up(_caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('issuers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('state', 'text')
      .addColumn('description', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text')
      .addColumn('pull_uri_url', 'text')
      .addColumn('pull_doc_url', 'text')
      .addColumn('hmac_key_sealed', 'text')
      .addColumn('hmac_key_hint', 'text')
      .addColumn('hmac_encoding', 'text', (c) => c.notNull())
      .addColumn('timeout_ms', 'integer')
      .addColumn('endpoint_ready', 'integer', (c) => c.notNull())
      .addColumn('doctype_count', 'integer', (c) => c.notNull())
      .addColumn('sort_name', 'text', (c) => c.notNull())
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // The directory lists by (status, category), connected first, then by name.
    await db.schema.createIndex('issuers_by_category').on('issuers').columns(['status', 'category', 'endpoint_ready', 'sort_name']).execute();
    await db.schema.createIndex('issuers_by_name').on('issuers').columns(['status', 'endpoint_ready', 'sort_name']).execute();
    await db.schema
      .createTable('issuer_doctypes')
      .addColumn('issuer_id', 'text', (c) => c.notNull().references('issuers.id').onDelete('cascade'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('formats', 'text', (c) => c.notNull())
      .addColumn('parameters', 'text', (c) => c.notNull())
      .addColumn('profile_fields', 'text', (c) => c.notNull())
      .addColumn('pull_uri_url', 'text')
      .addColumn('pull_doc_url', 'text')
      .addPrimaryKeyConstraint('issuer_doctypes_pk', ['issuer_id', 'code'])
      .execute();
  };
}
