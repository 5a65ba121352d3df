/**
 * A version per citizen for the Issued list: bumped in the same transaction as every
 * change to what the list shows (documents saved or removed, pulls pending or done), so a
 * server can keep a citizen's rendered list and its ETag, and know with one indexed read
 * whether they still hold — from any process. Rows are never deleted (an erased account
 * keeps its counter), so a version is never reused.
 */
import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

export function up(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('issued_versions')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('version', caps.bigintType, (c) => c.notNull())
      .execute();
  };
}
