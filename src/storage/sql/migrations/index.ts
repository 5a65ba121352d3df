/**
 * The ordered list of schema migrations. Names sort in the order they run; a migration,
 * once released, is never edited — add a new one. Each takes the dialect capabilities so
 * one file serves SQLite and PostgreSQL.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectCapabilities } from '../dialects/capabilities.ts';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-dev-outbox.ts';
import * as m0100 from './0100-accounts.ts';
import * as m0101 from './0101-activity.ts';
import * as m0102 from './0102-activity-pending.ts';
import * as m0200 from './0200-issuers.ts';
import * as m0210 from './0210-issued.ts';
import * as m0220 from './0220-issued-versions.ts';
import * as m0300 from './0300-blob-refs.ts';
import * as m0310 from './0310-uploads.ts';
import * as m0400 from './0400-consent.ts';
import * as m0500 from './0500-verification.ts';
import * as m0600 from './0600-aadhaar-address.ts';
import * as m0700 from './0700-consent-accesses-in-activity.ts';

type MigrationModule = {
  up: (caps: DialectCapabilities) => (db: Kysely<any>) => Promise<void>;
  down?: (caps: DialectCapabilities) => (db: Kysely<any>) => Promise<void>;
};

const MIGRATIONS: Record<string, MigrationModule> = {
  '0001-foundation': m0001,
  '0002-dev-outbox': m0002,
  '0100-accounts': m0100,
  '0101-activity': m0101,
  '0102-activity-pending': m0102,
  '0200-issuers': m0200,
  '0210-issued': m0210,
  '0220-issued-versions': m0220,
  '0300-blob-refs': m0300,
  '0310-uploads': m0310,
  '0400-consent': m0400,
  '0500-verification': m0500,
  '0600-aadhaar-address': m0600,
  '0700-consent-accesses-in-activity': m0700,
};

export function migrationsFor(caps: DialectCapabilities): Record<string, Migration> {
  const out: Record<string, Migration> = {};
  for (const [name, mod] of Object.entries(MIGRATIONS)) {
    out[name] = { up: mod.up(caps), ...(mod.down ? { down: mod.down(caps) } : {}) };
  }
  return out;
}
