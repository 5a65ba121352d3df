import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

export function up(_caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('dev_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('dev_outbox_recipient').on('dev_outbox').columns(['recipient', 'created_at']).execute();
  };
}
