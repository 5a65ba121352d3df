/** Tables of the activity log (migration 0101-activity). */
import type { Generated } from 'kysely';

export interface ActivityTables {
  /**
   * Append-only. `(account_id, seq)` is unique and gapless per account; `hash` chains each
   * entry to the previous one (see domain/activity/chain.ts). `details` is canonical JSON.
   */
  activity_events: {
    id: Generated<number>;
    account_id: string;
    seq: number;
    type: string;
    at: string;
    actor_kind: string;
    actor_id: string;
    actor_name: string;
    ip: string | null;
    user_agent: string | null;
    subject_kind: string | null;
    subject_id: string | null;
    subject_name: string | null;
    details: string;
    prev_hash: string;
    hash: string;
  };
  /** Entries recorded (ActivityLog.record) and not yet chained: `entry` is a JSON array of their fields (see activity-log.ts encodeRecorded). */
  activity_pending: {
    id: Generated<number>;
    account_id: string;
    entry: string;
  };
  /** The head of each account's chain: the row appends lock to stay linear. */
  activity_heads: {
    account_id: string;
    seq: number;
    hash: string;
  };
}
