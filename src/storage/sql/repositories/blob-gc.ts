/**
 * The blob collector: one sweep of `BlobReferences.collectGarbage` (contract in
 * domain/blobs/ports.ts, locking in blob-references.ts).
 *
 *  1. Lists the blob store and records blobs it has never seen as untracked, unreferenced
 *     since now (so `--include-untracked` can remove crash leftovers a grace period later).
 *  2. If a hold is active (a backup is copying blobs), deletes nothing.
 *  3. Otherwise, for each blob unreferenced since before `now - grace`, in its own
 *     transaction: re-checks the condition while taking the row lock, deletes the row (the
 *     foreign key from blob_refs refuses if any reference exists), re-checks that no hold
 *     appeared, deletes the object, commits. A failure anywhere rolls the row back; an object
 *     already deleted by then is simply recorded as missing again and cleaned next time.
 *  4. Removes temporary writes abandoned by crashes (RawObjectStore.sweepTemp).
 */
import { sql } from 'kysely';
import type { GcOptions, GcReport } from '../../../domain/blobs/ports.ts';
import type { SqlStore } from '../database.ts';
import type { BlobReferencesDeps } from './blob-references.ts';

const BATCH = 500;
const DEFAULT_TEMP_MAX_AGE_MS = 6 * 3600_000;

export async function collectGarbage(store: SqlStore, deps: BlobReferencesDeps, now: Date, options: GcOptions): Promise<GcReport> {
  const { db } = store;
  const nowMs = now.getTime();
  const graceMs = options.graceMs ?? deps.graceMs;
  const cutoff = nowMs - graceMs;
  const dryRun = Boolean(options.dryRun);
  const report: GcReport = { dryRun, storedBlobs: 0, newlyUntracked: 0, inGracePeriod: 0, deleted: 0, deletedBytes: 0, alreadyMissing: 0, heldBy: [], tempRemoved: 0 };

  // 1. Record stored blobs nobody has referenced yet.
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const known = new Set((await db.selectFrom('blob_objects').select('blob_key').where('blob_key', 'in', batch).execute()).map((r) => r.blob_key));
    const fresh = batch.filter((k) => !known.has(k));
    report.newlyUntracked += fresh.length;
    if (!dryRun && fresh.length > 0) {
      await db
        .insertInto('blob_objects')
        .values(fresh.map((blob_key) => ({ blob_key, size: null, ref_count: 0, tracked: 0, unreferenced_since: nowMs })))
        .onConflict((oc) => oc.column('blob_key').doNothing())
        .execute();
    }
    batch = [];
  };
  for await (const key of deps.blobs.keys()) {
    report.storedBlobs++;
    batch.push(key);
    if (batch.length >= BATCH) await flush();
  }
  await flush();

  const inGrace = await db
    .selectFrom('blob_objects')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ref_count', '=', 0)
    .where('unreferenced_since', '>', cutoff)
    .$if(!options.includeUntracked, (q) => q.where('tracked', '=', 1))
    .executeTakeFirstOrThrow();
  report.inGracePeriod = Number(inGrace.n);

  // 2. A backup in progress pauses deletion.
  report.heldBy = await activeHolds(store, nowMs);

  // 3. Delete what has been unreferenced for the whole grace period (a dry run counts it).
  if (report.heldBy.length === 0 || dryRun) {
    let after = '';
    sweep: for (;;) {
      const candidates = await db
        .selectFrom('blob_objects')
        .select(['blob_key', 'size'])
        .where('ref_count', '=', 0)
        .where('unreferenced_since', '<=', cutoff)
        .$if(!options.includeUntracked, (q) => q.where('tracked', '=', 1))
        .where('blob_key', '>', after)
        .orderBy('blob_key')
        .limit(BATCH)
        .execute();
      if (candidates.length === 0) break;
      after = candidates.at(-1)!.blob_key;
      for (const c of candidates) {
        const outcome = dryRun ? 'deleted' : await deleteOne(store, deps, c.blob_key, cutoff, Boolean(options.includeUntracked), nowMs);
        if (outcome === 'held') {
          report.heldBy = await activeHolds(store, nowMs);
          break sweep;
        }
        if (outcome === 'deleted') {
          report.deleted++;
          report.deletedBytes += Number(c.size ?? 0);
        } else if (outcome === 'missing') report.alreadyMissing++;
      }
    }
  }

  // 4. Abandoned temporary writes.
  if (!dryRun && deps.raw) report.tempRemoved = await deps.raw.sweepTemp(options.tempMaxAgeMs ?? DEFAULT_TEMP_MAX_AGE_MS);
  return report;
}

async function activeHolds(store: SqlStore, nowMs: number): Promise<string[]> {
  const rows = await store.db.selectFrom('blob_gc_holds').select('reason').where('expires_at', '>', nowMs).orderBy('created_at').execute();
  return rows.map((r) => r.reason);
}

type Outcome = 'deleted' | 'missing' | 'skipped' | 'held';

async function deleteOne(store: SqlStore, deps: BlobReferencesDeps, key: string, cutoff: number, includeUntracked: boolean, nowMs: number): Promise<Outcome> {
  try {
    return await store.db.transaction().execute(async (trx) => {
      // Re-check and lock in one statement: a reference added since the candidate query makes this match nothing.
      const locked = await trx
        .updateTable('blob_objects')
        .set({ ref_count: sql`ref_count` })
        .where('blob_key', '=', key)
        .where('ref_count', '=', 0)
        .where('unreferenced_since', '<=', cutoff)
        .$if(!includeUntracked, (q) => q.where('tracked', '=', 1))
        .executeTakeFirst();
      if (Number(locked.numUpdatedRows) === 0) return 'skipped' as const;
      const hold = await trx.selectFrom('blob_gc_holds').select('id').where('expires_at', '>', nowMs).limit(1).executeTakeFirst();
      if (hold) return 'held' as const;
      // Row first: the foreign key from blob_refs makes this fail if any reference exists.
      await trx.deleteFrom('blob_objects').where('blob_key', '=', key).execute();
      const existed = await deps.blobs.delete(key);
      return existed ? ('deleted' as const) : ('missing' as const);
    });
  } catch (err) {
    // A foreign-key refusal means a reference exists that ref_count missed: keep the blob.
    if (isForeignKeyViolation(err)) return 'skipped';
    throw err;
  }
}

function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || /FOREIGN KEY constraint failed/i.test(e?.message ?? '');
}
