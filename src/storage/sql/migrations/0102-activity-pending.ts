import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/**
 * Entries recorded now and chained shortly after (ActivityLog.record): one narrow row per
 * entry, with no index but its key, so recording an access on every partner API call
 * commits a page or two instead of the chained table's five b-trees. Rows are taken oldest
 * first (see caps.queuePrimaryKey).
 */
export function up(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('activity_pending')
      .addColumn('id', caps.bigintType, (c) => caps.queuePrimaryKey(c))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('entry', 'text', (c) => c.notNull())
      .execute();
  };
}

export function down(_caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.dropTable('activity_pending').execute();
  };
}
