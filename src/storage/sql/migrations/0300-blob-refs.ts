import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

export function up(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('blob_objects')
      .addColumn('blob_key', 'text', (c) => c.primaryKey())
      .addColumn('size', caps.bigintType)
      .addColumn('ref_count', 'integer', (c) => c.notNull())
      .addColumn('tracked', 'integer', (c) => c.notNull())
      .addColumn('unreferenced_since', caps.bigintType)
      .execute();
    await db.schema.createIndex('blob_objects_unreferenced').on('blob_objects').columns(['unreferenced_since']).execute();
    await db.schema
      .createTable('blob_refs')
      .addColumn('owner_kind', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('blob_key', 'text', (c) => c.notNull())
      .addColumn('size', caps.bigintType, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('blob_refs_pk', ['owner_kind', 'owner_id', 'blob_key'])
      .addForeignKeyConstraint('blob_refs_blob_fk', ['blob_key'], 'blob_objects', ['blob_key'])
      .execute();
    await db.schema.createIndex('blob_refs_blob_key').on('blob_refs').column('blob_key').execute();
    await db.schema
      .createTable('blob_gc_holds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.bigintType, (c) => c.notNull())
      .addColumn('expires_at', caps.bigintType, (c) => c.notNull())
      .execute();
  };
}
