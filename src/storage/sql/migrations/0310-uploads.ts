import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/** Uploaded documents, their folders, share links and the queue of link opens to tell citizens about. */
export function up(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('upload_folders')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('upload_folders_by_parent').on('upload_folders').columns(['account_id', 'parent_id']).execute();

    await db.schema
      .createTable('uploads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('folder_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('doctype', 'text')
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('size', caps.bigintType, (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('blob_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('uploads_by_folder').on('uploads').columns(['account_id', 'folder_id', 'created_at']).execute();
    await db.schema.createIndex('uploads_by_sha').on('uploads').columns(['account_id', 'sha256']).execute();

    await db.schema
      .createTable('shares')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('doc_name', 'text', (c) => c.notNull())
      .addColumn('sharer_name', 'text', (c) => c.notNull())
      .addColumn('recipient_email', 'text', (c) => c.notNull())
      .addColumn('access_code_hash', 'text')
      .addColumn('max_views', 'integer')
      .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('last_opened_at', 'text')
      .execute();
    await db.schema.createIndex('shares_by_account').on('shares').columns(['account_id', 'created_at']).execute();

    await db.schema
      .createTable('share_opens')
      .addColumn('id', 'integer', (c) => caps.autoIncrementPrimaryKey(c))
      .addColumn('share_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('notified_at', 'text')
      .execute();
    await db.schema.createIndex('share_opens_pending').on('share_opens').columns(['notified_at', 'account_id']).execute();
  };
}
