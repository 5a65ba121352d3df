/**
 * The tables, as Kysely sees them. Each module adds its tables as an interface in its own
 * file under `tables/` and extends `Database` here. Timestamps are ISO-8601 UTC text
 * (`Date#toISOString()`, which sorts correctly as text); epoch-millisecond integers only
 * where arithmetic on time is the point (counters); booleans are 0/1 integers; JSON is text.
 */
import type { BlobRefTables } from './tables/blob-refs.ts';
import type { ConsentTables } from './tables/consent.ts';
import type { FoundationTables } from './tables/foundation.ts';
import type { AccountsTables } from './tables/accounts.ts';
import type { ActivityTables } from './tables/activity.ts';
import type { IssuerTables } from './tables/issuers.ts';
import type { OutboxTables } from './tables/outbox.ts';
import type { UploadTables } from './tables/uploads.ts';
import type { VerificationTables } from './tables/verification.ts';
import type { IssuedTables } from './tables/issued.ts';

export interface Database extends FoundationTables, OutboxTables, AccountsTables, ActivityTables, IssuerTables, BlobRefTables, ConsentTables, VerificationTables, IssuedTables, UploadTables {}
