/**
 * ActivityLog on the SQL store. Appends are group-committed (see `sqlActivityLog`): one
 * short transaction per batch locks and reads each account's head row (one UPDATE …
 * RETURNING; created on the first event), inserts the entries chained to their heads and
 * moves the heads — on PostgreSQL a handful of round trips for the whole batch instead of
 * five per event. `(account_id, seq)` is unique as a second line of defence: a chain can
 * never fork, whatever the isolation level.
 *
 * `record` commits an entry as one narrow row of activity_pending instead; every batch
 * (appended or settling) first claims the rows waiting there, oldest first, and chains them
 * ahead of its own. They are settled 100 ms after a record, and by every read.
 */
import type { Selectable } from 'kysely';
import { chainHash, entryHash, genesisHash, validateEvent, clip } from '../../../domain/activity/chain.ts';
import type { ActivityEntry, ActivityLog, ActivityPage, ActorKind, ChainVerification, NewActivityEvent } from '../../../domain/activity/ports.ts';
import type { Clock } from '../../../domain/clock.ts';
import { AppError } from '../../../domain/errors.ts';
import type { SqlStore } from '../database.ts';
import type { ActivityTables } from '../tables/activity.ts';
import { sharedGroupCommit } from '../group-commit.ts';
import { preparedInsert } from '../prepared.ts';
import { isUniqueViolation } from './accounts.ts';

type Row = Selectable<ActivityTables['activity_events']>;

function toEntry(r: Row): ActivityEntry {
  return {
    accountId: r.account_id,
    seq: Number(r.seq),
    type: r.type,
    at: r.at,
    actor: { kind: r.actor_kind as ActorKind, id: r.actor_id, name: r.actor_name },
    ip: r.ip,
    userAgent: r.user_agent,
    subject: r.subject_kind === null ? null : { kind: r.subject_kind, id: r.subject_id ?? '', name: r.subject_name },
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const encodeCursor = (seq: number) => Buffer.from(`s${seq}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const m = /^s(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new AppError('invalid', 'invalid_cursor', 'The cursor is not one this API gave out. Start from the first page.', { field: 'cursor' });
  return Number(m[1]);
}

/** An event validated and clipped, waiting for its batch. */
interface Pending {
  fields: Omit<ActivityEntry, 'seq' | 'prevHash' | 'hash' | 'details'>;
  detailsJson: string;
}

/**
 * A recorded entry as the text of its waiting row (the account is a column of its own):
 * a JSON array, so the row stays small — recording commits these rows on every call.
 */
function encodeRecorded(p: Pending): string {
  const f = p.fields;
  return JSON.stringify([f.type, f.at, f.actor.kind, f.actor.id, f.actor.name, f.ip, f.userAgent, f.subject?.kind ?? null, f.subject?.id ?? null, f.subject?.name ?? null, p.detailsJson]);
}

function decodeRecorded(accountId: string, text: string): Pending {
  const [type, at, actorKind, actorId, actorName, ip, userAgent, subjectKind, subjectId, subjectName, detailsJson] = JSON.parse(text) as [string, string, ActorKind, string, string, string | null, string | null, string | null, string | null, string | null, string];
  const subject = subjectKind === null ? null : { kind: subjectKind, id: subjectId ?? '', name: subjectName };
  return { fields: { accountId, type, at, actor: { kind: actorKind, id: actorId, name: actorName }, ip, userAgent, subject }, detailsJson };
}

/** An append (chained now, returned) or a record (committed now, chained soon). */
interface Item {
  pending: Pending;
  append: boolean;
}

/** At most this many events per transaction (15 columns each: well within SQLite's 32,766 parameters). */
const MAX_BATCH = 256;
/** Recorded entries chained per transaction, oldest first. */
const PENDING_BATCH = 512;
/** How soon after a record is committed the recorded entries are chained. */
const SETTLE_AFTER_MS = 100;

/**
 * The chaining of recorded entries of each database handle: repositories that read the
 * activity log directly (consent accesses) settle it first.
 */
const settlers = new WeakMap<object, () => Promise<void>>();

/** Chains the entries recorded in `store` and still waiting, if an activity log is open on it. */
export async function settleActivity(store: Pick<SqlStore, 'db'>): Promise<void> {
  await settlers.get(store.db)?.();
}

export function sqlActivityLog(store: SqlStore, key: Buffer, clock: Clock): ActivityLog {
  const { db, caps } = store;

  const insertEvents = preparedInsert(db, 'activity_events', ['account_id', 'seq', 'type', 'at', 'actor_kind', 'actor_id', 'actor_name', 'ip', 'user_agent', 'subject_kind', 'subject_id', 'subject_name', 'details', 'prev_hash', 'hash']);
  const insertRecorded = preparedInsert(db, 'activity_pending', ['account_id', 'entry']);

  /**
   * Appends are group-committed (../group-commit.ts): a batch locks each account's head
   * once (in account order, so two processes' batches cannot deadlock), chains the entries
   * in the order their appends were called, inserts them together and moves the heads.
   */
  async function writeBatch(trx: SqlStore['db'], appended: Pending[], claim = true): Promise<ActivityEntry[]> {
    // Entries recorded earlier go first, so the chain keeps the order things happened in.
    // Deleting them claims them: another process's batch waits for this one's commit and
    // then finds them gone (and if this transaction fails, they are back). A batch retried
    // alone (after its shared transaction failed) leaves them to `settle`, so a recorded
    // entry that cannot be chained never stops the appends.
    const claimed = claim ? await claimRecorded(trx) : [];
    const batch = claimed.length ? [...claimed, ...appended] : appended;
    if (batch.length === 0) return [];
    // Lock and read a head in one statement: a no-op UPDATE locks the row on PostgreSQL
    // (a waiter then reads the head as its holder left it) and takes SQLite's write lock
    // at once. Only an account's first event creates the head.
    const lockHead = (accountId: string) =>
      trx
        .updateTable('activity_heads')
        .set((eb) => ({ seq: eb.ref('activity_heads.seq') }))
        .where('account_id', '=', accountId)
        .returning(['seq', 'hash'])
        .executeTakeFirst();
    const heads = new Map<string, { seq: number; hash: string }>();
    for (const accountId of [...new Set(batch.map((p) => p.fields.accountId))].sort()) {
      let head = await lockHead(accountId);
      if (!head) {
        await trx.insertInto('activity_heads').values({ account_id: accountId, seq: 0, hash: genesisHash(key, accountId) }).onConflict((oc) => oc.column('account_id').doNothing()).execute();
        head = await lockHead(accountId);
        if (!head) throw new Error(`the activity head of ${accountId} could not be created`);
      }
      heads.set(accountId, { seq: Number(head.seq), hash: head.hash });
    }
    const rows: unknown[][] = new Array(batch.length);
    const entries: ActivityEntry[] = [];
    for (let i = 0; i < batch.length; i++) {
      const { fields: f, detailsJson } = batch[i]!;
      const head = heads.get(f.accountId)!;
      const seq = head.seq + 1;
      const prevHash = head.hash;
      const hash = chainHash(key, f, seq, prevHash, detailsJson);
      head.seq = seq;
      head.hash = hash;
      rows[i] = [f.accountId, seq, f.type, f.at, f.actor.kind, f.actor.id, f.actor.name, f.ip, f.userAgent, f.subject?.kind ?? null, f.subject?.id ?? null, f.subject?.name ?? null, detailsJson, prevHash, hash];
      // Only appended entries are handed back.
      if (i >= claimed.length) entries.push({ ...f, seq, prevHash, hash, details: JSON.parse(detailsJson) as Record<string, unknown> });
    }
    await insertEvents(trx, rows);
    for (const [accountId, head] of heads) await trx.updateTable('activity_heads').set(head).where('account_id', '=', accountId).execute();
    return entries;
  }

  async function claimRecorded(trx: SqlStore['db']): Promise<Pending[]> {
    const rows = await trx
      .deleteFrom('activity_pending')
      .where('id', 'in', (eb) => eb.selectFrom('activity_pending').select('id').orderBy('id').limit(PENDING_BATCH))
      .returning(['id', 'account_id', 'entry'])
      .execute();
    if (rows.length === 0) return [];
    return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => decodeRecorded(r.account_id, r.entry));
  }

  const anyRecorded = async () => (await db.selectFrom('activity_pending').select('id').limit(1).executeTakeFirst()) !== undefined;

  /** Chains every recorded entry still waiting, PENDING_BATCH per transaction. */
  async function settle(): Promise<void> {
    while (await anyRecorded()) await db.transaction().execute((trx) => writeBatch(trx, []));
  }
  /** Before a read: what cannot be chained now stays recorded, and the read shows the chain as it is. */
  const settleForRead = () => settle().catch(() => {});
  if (!settlers.has(db)) settlers.set(db, settleForRead);

  let settleTimer: NodeJS.Timeout | null = null;
  const settleSoon = () => {
    settleTimer ??= setTimeout(() => {
      settleTimer = null;
      // A failure (the database away) leaves the entries recorded: the next record, read
      // or accounts sweep chains them.
      settle().catch(() => {});
    }, SETTLE_AFTER_MS).unref();
  };
  /**
   * Appends and records share one queue, so a turn's batch keeps their call order: a batch
   * of records only is committed as waiting rows; one with an append chains everything,
   * records too, after the rows already waiting.
   */
  async function writeItems(trx: SqlStore['db'], items: Item[], claim: boolean): Promise<Array<ActivityEntry | undefined>> {
    if (claim && !items.some((i) => i.append)) {
      await insertRecorded(trx, items.map((i) => [i.pending.fields.accountId, encodeRecorded(i.pending)]));
      settleSoon();
      return items.map(() => undefined);
    }
    const entries = await writeBatch(trx, items.map((i) => i.pending), claim);
    return entries.map((e, i) => (items[i]!.append ? e : undefined));
  }

  async function commit(batch: Item[]): Promise<Array<ActivityEntry | undefined>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction().execute((trx) => writeItems(trx, batch, false));
      } catch (err) {
        // Only possible if something bypassed the head lock (e.g. two SQLite processes): retry on the new heads.
        if (isUniqueViolation(err) && attempt < 5) continue;
        throw err;
      }
    }
  }

  // The last intact whole-chain check per account (verify's `reuseWithinMs`), oldest out first.
  const checked = new Map<string, { seq: number; hash: string; wholeAt: number }>();

  // Batches join the store's one transaction per turn; alone (the fallback), with retries.
  const enqueue = sharedGroupCommit(db, (batch: Item[], trx) => writeItems(trx, batch, true), { maxBatch: MAX_BATCH, alone: commit });

  const pending = (e: NewActivityEvent): Pending => {
    const detailsJson = validateEvent(e);
    const fields = {
      accountId: e.accountId,
      type: e.type,
      at: (e.at ?? clock.now()).toISOString(),
      actor: { kind: e.actor.kind, id: clip(e.actor.id, 200) ?? '', name: clip(e.actor.name, 200) ?? '' },
      ip: clip(e.ip, 64),
      userAgent: clip(e.userAgent, 300),
      subject: e.subject ? { kind: clip(e.subject.kind, 64) ?? '', id: clip(e.subject.id, 300) ?? '', name: clip(e.subject.name, 300) } : null,
    };
    return { fields, detailsJson };
  };

  return {
    async append(e) {
      return (await enqueue({ pending: pending(e), append: true }))!;
    },

    async record(e) {
      await enqueue({ pending: pending(e), append: false });
    },

    settle,

    async list(accountId, q = {}): Promise<ActivityPage> {
      await settleForRead();
      const limit = Math.min(Math.max(q.limit ?? 20, 1), 100);
      let query = db.selectFrom('activity_events').selectAll().where('account_id', '=', accountId);
      if (q.types?.length) query = query.where('type', 'in', q.types);
      if (q.from) query = query.where('at', '>=', q.from);
      if (q.to) query = query.where('at', '<', q.to);
      if (q.subjectKind) query = query.where('subject_kind', '=', q.subjectKind);
      if (q.subjectId) query = query.where('subject_id', '=', q.subjectId);
      if (q.cursor) query = query.where('seq', '<', decodeCursor(q.cursor));
      const rows = await query.orderBy('seq', 'desc').limit(limit + 1).execute();
      const items = rows.slice(0, limit).map(toEntry);
      return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!.seq) : null };
    },

    async oldest(accountId): Promise<ActivityEntry | null> {
      await settleForRead();
      const r = await db.selectFrom('activity_events').selectAll().where('account_id', '=', accountId).orderBy('seq', 'asc').limit(1).executeTakeFirst();
      return r ? toEntry(r) : null;
    },

    async verify(accountId, options = {}): Promise<ChainVerification> {
      const now = clock.now().getTime();
      const mark = options.reuseWithinMs !== undefined ? checked.get(accountId) : undefined;
      const reuse = mark !== undefined && now - mark.wholeAt <= options.reuseWithinMs!;
      let prev = reuse ? mark.hash : genesisHash(key, accountId);
      let expected = reuse ? mark.seq + 1 : 1;
      let count = reuse ? mark.seq : 0;
      checked.delete(accountId);
      await settleForRead();
      // Pages of 1000, in chain order, so a long log never sits in memory at once.
      for (;;) {
        const rows = await db.selectFrom('activity_events').selectAll().where('account_id', '=', accountId).where('seq', '>=', expected).orderBy('seq').limit(1000).execute();
        for (const r of rows) {
          const e = toEntry(r);
          if (e.seq !== expected) return { intact: false, count, firstBroken: { seq: expected, reason: 'gap' } };
          if (e.prevHash !== prev) return { intact: false, count, firstBroken: { seq: e.seq, reason: 'prev_hash_mismatch' } };
          if (entryHash(key, { ...e, detailsJson: r.details }) !== e.hash) return { intact: false, count, firstBroken: { seq: e.seq, reason: 'hash_mismatch' } };
          prev = e.hash;
          expected++;
          count++;
        }
        if (rows.length < 1000) break;
      }
      const head = await db.selectFrom('activity_heads').select(['seq', 'hash']).where('account_id', '=', accountId).executeTakeFirst();
      // Entries deleted from the end show as a head ahead of the last entry.
      if (head && (Number(head.seq) !== count || head.hash !== prev)) return { intact: false, count, firstBroken: { seq: count + 1, reason: 'gap' } };
      if (checked.size >= 10_000) checked.delete(checked.keys().next().value!);
      checked.set(accountId, { seq: count, hash: prev, wholeAt: reuse ? mark.wholeAt : now });
      return { intact: true, count, head: prev };
    },

    async erase(accountId) {
      checked.delete(accountId);
      await settleForRead();
      return db.transaction().execute(async (trx) => {
        const head = await caps.forUpdate(trx.selectFrom('activity_heads').select(['seq', 'hash']).where('account_id', '=', accountId)).executeTakeFirst();
        await trx.deleteFrom('activity_events').where('account_id', '=', accountId).execute();
        await trx.deleteFrom('activity_pending').where('account_id', '=', accountId).execute();
        await trx.deleteFrom('activity_heads').where('account_id', '=', accountId).execute();
        return { count: head ? Number(head.seq) : 0, head: head?.hash ?? null };
      });
    },
  };
}
