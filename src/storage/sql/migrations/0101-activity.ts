import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

export function up(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('activity_events')
      .addColumn('id', caps.bigintType, (c) => caps.autoIncrementPrimaryKey(c))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('subject_kind', 'text')
      .addColumn('subject_id', 'text')
      .addColumn('subject_name', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addUniqueConstraint('activity_events_account_seq', ['account_id', 'seq'])
      .execute();
    await db.schema.createIndex('activity_events_account_type').on('activity_events').columns(['account_id', 'type', 'seq']).execute();
    await db.schema.createIndex('activity_events_account_at').on('activity_events').columns(['account_id', 'at']).execute();
    await db.schema.createIndex('activity_events_subject').on('activity_events').columns(['account_id', 'subject_kind', 'subject_id']).execute();

    await db.schema
      .createTable('activity_heads')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
  };
}
