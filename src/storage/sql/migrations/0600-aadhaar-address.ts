import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';

/**
 * The address of the Aadhaar eKYC (JSON: care_of, line, district, state, pin), kept beside
 * the verified name and photo so a partner the citizen grants the `address` scope can have
 * it. Links made before this migration have none until the citizen links again.
 */
export function up(_caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.alterTable('aadhaar_links').addColumn('address', 'text').execute();
  };
}

export function down(_caps: DialectCapabilities) {
  return async (db: Kysely<any>): Promise<void> => {
    await db.schema.alterTable('aadhaar_links').dropColumn('address').execute();
  };
}
