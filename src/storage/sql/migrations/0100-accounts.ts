import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

export function up(caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('mobile', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('dob', 'text', (c) => c.notNull())
      .addColumn('gender', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pin_hash', 'text', (c) => c.notNull())
      .addColumn('must_change_pin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('aadhaar_linked', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed_pins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lockouts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('accounts_status').on('accounts').column('status').execute();

    await db.schema
      .createTable('deleted_accounts')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('deleted_at', 'text', (c) => c.notNull())
      .addColumn('activity_count', 'integer', (c) => c.notNull())
      .addColumn('activity_head', 'text')
      .execute();

    await db.schema
      .createTable('otp_challenges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('mobile', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text')
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.bigintType, (c) => c.notNull())
      .addColumn('expires_at', caps.bigintType, (c) => c.notNull())
      .addColumn('resend_at', caps.bigintType, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('wrong_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('verified_at', caps.bigintType)
      .addColumn('consumed_at', caps.bigintType)
      .addColumn('superseded_at', caps.bigintType)
      .execute();
    await db.schema.createIndex('otp_challenges_mobile').on('otp_challenges').columns(['mobile', 'purpose', 'created_at']).execute();
    await db.schema.createIndex('otp_challenges_expires').on('otp_challenges').column('expires_at').execute();
    await db.schema.createIndex('otp_challenges_account').on('otp_challenges').column('account_id').execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('must_change_pin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', caps.bigintType, (c) => c.notNull())
      .addColumn('last_seen_at', caps.bigintType, (c) => c.notNull())
      .addColumn('expires_at', caps.bigintType, (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('ended_at', caps.bigintType)
      .addColumn('end_reason', 'text')
      .execute();
    await db.schema.createIndex('sessions_account').on('sessions').columns(['account_id', 'ended_at']).execute();
    await db.schema.createIndex('sessions_last_seen').on('sessions').columns(['ended_at', 'last_seen_at']).execute();
    await db.schema.createIndex('sessions_expires').on('sessions').columns(['ended_at', 'expires_at']).execute();
  };
}
