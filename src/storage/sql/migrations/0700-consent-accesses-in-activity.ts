import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/**
 * A partner's accesses are recorded once, in the citizen's activity log (they always were
 * written there too, in the same turn): the separate consent_accesses table goes, and with
 * it three b-trees written on every partner API call. The consent's accesses are read from
 * the activity log by subject, newest first, so the subject index gains `seq`.
 */
export function up(_caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.createIndex('activity_events_subject_seq').on('activity_events').columns(['account_id', 'subject_kind', 'subject_id', 'seq']).execute();
    await db.schema.dropIndex('activity_events_subject').execute();
    await db.schema.dropTable('consent_accesses').execute();
  };
}

export function down(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
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
    await db.schema.createIndex('activity_events_subject').on('activity_events').columns(['account_id', 'subject_kind', 'subject_id']).execute();
    await db.schema.dropIndex('activity_events_subject_seq').execute();
  };
}
