/**
 * BlobReferences on the SQL store (the port and its race contract: domain/blobs/ports.ts).
 *
 * Locking: every operation on a blob key first locks that key's `blob_objects` row — a
 * `SELECT … FOR UPDATE` or an `UPDATE` on PostgreSQL, and on SQLite a first statement that
 * writes, which takes the database write lock (so a deferred transaction never has to upgrade
 * a read snapshot, which would fail with SQLITE_BUSY across processes). The row lock is
 * always taken before any `blob_refs` row, so two operations cannot deadlock. The collector
 * (blob-gc.ts) deletes a blob inside a transaction holding the same lock, and removes the
 * `blob_objects` row *before* the object, so the foreign key from `blob_refs` refuses the
 * deletion if a reference exists whatever `ref_count` says.
 *
 * `addBlobRefIn` / `removeBlobRefIn` take a transaction, for repositories that must create
 * their record and its reference atomically (an upload row and the reference to its blob).
 */
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../../domain/clock.ts';
import { BlobGoneError, type BlobOwner, type BlobRef, type BlobRefInput, type BlobReferences, type GcHold } from '../../../domain/blobs/ports.ts';
import { invalid } from '../../../domain/errors.ts';
import type { BlobStore, RawObjectStore } from '../../blob/types.ts';
import type { SqlStore } from '../database.ts';
import type { DialectCapabilities } from '../dialects/capabilities.ts';
import type { Database } from '../schema.ts';
import { collectGarbage } from './blob-gc.ts';

export interface BlobReferencesDeps {
  blobs: Pick<BlobStore, 'exists' | 'delete' | 'keys'>;
  /** For sweeping abandoned temporary writes. */
  raw?: Pick<RawObjectStore, 'sweepTemp'>;
  clock: Clock;
  /** BLOB_GC_GRACE_SECONDS in ms. */
  graceMs: number;
}

const OWNER_KIND = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const BLOB_KEY = /^[0-9a-f]{64}$/;

function checkOwner(o: BlobOwner): void {
  if (typeof o.ownerKind !== 'string' || !OWNER_KIND.test(o.ownerKind)) throw invalid('invalid_blob_ref', 'ownerKind must be 1-64 of a-z 0-9 _ . - (starting with a letter or digit).');
  if (typeof o.ownerId !== 'string' || o.ownerId.length < 1 || o.ownerId.length > 200) throw invalid('invalid_blob_ref', 'ownerId must be 1-200 characters.');
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || !BLOB_KEY.test(key)) throw invalid('invalid_blob_ref', 'blobKey must be a blob content address (64 hex digits).');
}

/** Locks the key's row (PostgreSQL row lock; SQLite write lock). Returns the row, if any. */
async function lockBlobRow(trx: Kysely<Database>, caps: DialectCapabilities, key: string) {
  if (caps.rowLocks) {
    return caps.forUpdate(trx.selectFrom('blob_objects').select(['ref_count']).where('blob_key', '=', key)).executeTakeFirst();
  }
  // SQLite: a write first, so this transaction holds the write lock from here on.
  const r = await trx.updateTable('blob_objects').set({ ref_count: sql`ref_count` }).where('blob_key', '=', key).returning(['ref_count']).executeTakeFirst();
  return r;
}

/** `addBlobRef` inside the caller's transaction (see the port for the contract). */
export async function addBlobRefIn(trx: Kysely<Database>, caps: DialectCapabilities, deps: Pick<BlobReferencesDeps, 'blobs' | 'clock'>, ref: BlobRefInput): Promise<{ created: boolean }> {
  checkOwner(ref);
  checkKey(ref.blobKey);
  if (!Number.isSafeInteger(ref.size) || ref.size < 0) throw invalid('invalid_blob_ref', 'size must be a non-negative whole number of bytes.');
  const now = deps.clock.now();
  let row: { ref_count: number } | undefined;
  // PostgreSQL: the collector may delete the row between our insert-if-missing (which takes
  // no lock on an existing row) and the lock; then insert it afresh and lock again.
  for (let attempt = 0; !row; attempt++) {
    if (attempt === 5) throw new Error(`could not lock the blob_objects row of ${ref.blobKey.slice(0, 12)}…`);
    await trx
      .insertInto('blob_objects')
      .values({ blob_key: ref.blobKey, size: ref.size, ref_count: 0, tracked: 1, unreferenced_since: now.getTime() })
      .onConflict((oc) => oc.column('blob_key').doNothing())
      .execute();
    row = await lockBlobRow(trx, caps, ref.blobKey);
  }
  const inserted = await trx
    .insertInto('blob_refs')
    .values({ owner_kind: ref.ownerKind, owner_id: ref.ownerId, blob_key: ref.blobKey, size: ref.size, created_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['owner_kind', 'owner_id', 'blob_key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { created: false };
  // The first reference: the blob must still be stored. While we hold the lock the
  // collector cannot delete it, and once ref_count > 0 it never will.
  if (Number(row.ref_count) === 0 && !(await deps.blobs.exists(ref.blobKey))) throw new BlobGoneError(ref.blobKey);
  await trx
    .updateTable('blob_objects')
    .set({ ref_count: sql`ref_count + 1`, tracked: 1, unreferenced_since: null, size: sql`coalesce(size, ${ref.size})` })
    .where('blob_key', '=', ref.blobKey)
    .execute();
  return { created: true };
}

/** `removeBlobRef` inside the caller's transaction. */
export async function removeBlobRefIn(trx: Kysely<Database>, caps: DialectCapabilities, clock: Clock, ref: BlobOwner & { blobKey: string }): Promise<{ removed: boolean; lastReference: boolean }> {
  checkOwner(ref);
  checkKey(ref.blobKey);
  const row = await lockBlobRow(trx, caps, ref.blobKey);
  if (!row) return { removed: false, lastReference: false };
  const deleted = await trx
    .deleteFrom('blob_refs')
    .where('owner_kind', '=', ref.ownerKind)
    .where('owner_id', '=', ref.ownerId)
    .where('blob_key', '=', ref.blobKey)
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) return { removed: false, lastReference: false };
  const after = await trx
    .updateTable('blob_objects')
    .set({
      ref_count: sql`ref_count - 1`,
      unreferenced_since: sql`case when ref_count - 1 = 0 then ${clock.now().getTime()} else unreferenced_since end`,
    })
    .where('blob_key', '=', ref.blobKey)
    .returning(['ref_count'])
    .executeTakeFirstOrThrow();
  return { removed: true, lastReference: Number(after.ref_count) === 0 };
}

export function sqlBlobReferences(store: SqlStore, deps: BlobReferencesDeps): BlobReferences {
  const { db, caps } = store;

  return {
    addBlobRef: (ref) => db.transaction().execute((trx) => addBlobRefIn(trx, caps, deps, ref)),

    removeBlobRef: (ref) => db.transaction().execute((trx) => removeBlobRefIn(trx, caps, deps.clock, ref)),

    async removeBlobRefsOf(owner) {
      checkOwner(owner);
      const keys = await db.selectFrom('blob_refs').select('blob_key').where('owner_kind', '=', owner.ownerKind).where('owner_id', '=', owner.ownerId).orderBy('blob_key').execute();
      if (keys.length === 0) return 0;
      // One transaction, keys in a fixed order: all or none, and no deadlock with another caller.
      return db.transaction().execute(async (trx) => {
        let n = 0;
        for (const { blob_key } of keys) if ((await removeBlobRefIn(trx, caps, deps.clock, { ...owner, blobKey: blob_key })).removed) n++;
        return n;
      });
    },

    async refsOf(owner) {
      checkOwner(owner);
      const rows = await db.selectFrom('blob_refs').selectAll().where('owner_kind', '=', owner.ownerKind).where('owner_id', '=', owner.ownerId).orderBy('created_at').orderBy('blob_key').execute();
      return rows.map((r): BlobRef => ({ ownerKind: r.owner_kind, ownerId: r.owner_id, blobKey: r.blob_key, size: Number(r.size), createdAt: r.created_at }));
    },

    async countRefs(blobKey) {
      checkKey(blobKey);
      const r = await db.selectFrom('blob_refs').select((eb) => eb.fn.countAll<number>().as('n')).where('blob_key', '=', blobKey).executeTakeFirstOrThrow();
      return Number(r.n);
    },

    collectGarbage: (now, options = {}) => collectGarbage(store, deps, now, options),

    async holdCollection(reason, ttlMs) {
      const id = crypto.randomUUID();
      const at = deps.clock.now().getTime();
      await db.insertInto('blob_gc_holds').values({ id, reason: reason.slice(0, 200), created_at: at, expires_at: at + ttlMs }).execute();
      const hold: GcHold = {
        id,
        async renew() {
          await db.updateTable('blob_gc_holds').set({ expires_at: deps.clock.now().getTime() + ttlMs }).where('id', '=', id).execute();
        },
        async release() {
          await db.deleteFrom('blob_gc_holds').where('id', '=', id).execute();
        },
      };
      return hold;
    },
  };
}
