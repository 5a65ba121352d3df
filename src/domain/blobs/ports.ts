/**
 * Blob references and garbage collection. Blobs are content-addressed and shared: two
 * citizens uploading the same file get one blob. So nobody deletes a blob directly; owners
 * (an upload, a cached render…) add and remove *references*, and the collector deletes a
 * blob only after no reference has pointed at it for a grace period.
 *
 * The race this design exists for: A removes the last reference to content X while B has
 * just `put` the same X (`created: false`, because X was still stored) and is about to
 * add its own reference. Deleting X as soon as A lets go would leave B referring to nothing.
 * Here, A's removal only starts X's grace period (BLOB_GC_GRACE_SECONDS, a day by default);
 * B's `addBlobRef` a moment later ends it, and X stays.
 *
 * The guarantee that holds whatever the timing — even for a writer slower than the grace
 * period — is that **a committed reference always names a stored blob**: the collector
 * deletes a blob under the same lock that `addBlobRef` takes, and `addBlobRef` checks the
 * blob is still stored before it commits the first reference. If B loses (X sat unreferenced
 * for the whole grace period and was being deleted at that instant), `addBlobRef` throws
 * `BlobGoneError` and commits nothing: B puts X again (which stores it anew) and retries.
 * Nothing acknowledged is ever lost.
 *
 * Every module that keeps a blob references it here. Blobs never referenced ("untracked")
 * are not collected by default, so a module that stores blobs some other way is never
 * surprised; `openlocker blobs gc --include-untracked` removes them (crash leftovers) once
 * they have been seen unreferenced for the grace period.
 */
import { AppError } from '../errors.ts';

export interface BlobOwner {
  /** What kind of record refers to the blob, e.g. `upload`, `issued-render`. ≤ 64 chars. */
  ownerKind: string;
  /** That record's id. ≤ 200 chars. */
  ownerId: string;
}

export interface BlobRefInput extends BlobOwner {
  /** Content address returned by `BlobStore.put`. */
  blobKey: string;
  /** Plaintext size (quota accounting). */
  size: number;
}

export interface BlobRef extends BlobRefInput {
  createdAt: string;
}

export interface GcOptions {
  /** Report what would be deleted without deleting or recording anything. */
  dryRun?: boolean;
  /** Also delete blobs that were never referenced, once seen unreferenced for the grace period. */
  includeUntracked?: boolean;
  /** Overrides the configured grace period. */
  graceMs?: number;
  /** Temporary (uncommitted) writes older than this are removed; default 6 hours. */
  tempMaxAgeMs?: number;
}

export interface GcReport {
  dryRun: boolean;
  /** Keys listed from the blob store. */
  storedBlobs: number;
  /** Stored blobs never referenced, seen for the first time in this sweep. */
  newlyUntracked: number;
  /** Unreferenced blobs whose grace period has not ended yet. */
  inGracePeriod: number;
  /** Blobs deleted (or, in a dry run, that would be). */
  deleted: number;
  /** Their plaintext bytes, where known. */
  deletedBytes: number;
  /** Records of unreferenced blobs that were already missing from the store, cleaned up. */
  alreadyMissing: number;
  /** True when a hold (a backup in progress) stopped deletion. */
  heldBy: string[];
  /** Abandoned temporary writes removed. */
  tempRemoved: number;
}

export interface GcHold {
  readonly id: string;
  /** Extends the hold by its time to live from now. A holder renews well before it expires. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

export interface BlobReferences {
  /**
   * Records that `ownerKind/ownerId` refers to `blobKey`. Idempotent: adding an existing
   * reference returns `created: false` and changes nothing. Atomic with respect to
   * `removeBlobRef` and `collectGarbage` on the same key (they serialise on the blob's row).
   * Throws `BlobGoneError` (nothing committed) if the blob is no longer stored — see the race
   * contract above: put the content again and retry.
   */
  addBlobRef(ref: BlobRefInput): Promise<{ created: boolean }>;
  /**
   * Removes one reference; `removed: false` if it did not exist. When it was the last one,
   * `lastReference: true` and the blob's grace period starts now (the blob itself stays
   * until the collector runs after the grace period, and only if nobody referred to it again).
   */
  removeBlobRef(ref: BlobOwner & { blobKey: string }): Promise<{ removed: boolean; lastReference: boolean }>;
  /** Removes every reference held by one owner (deleting an upload); returns how many. */
  removeBlobRefsOf(owner: BlobOwner): Promise<number>;
  /** The references one owner holds, oldest first. */
  refsOf(owner: BlobOwner): Promise<BlobRef[]>;
  /** How many references name `blobKey`. */
  countRefs(blobKey: string): Promise<number>;
  /**
   * One sweep: records newly seen untracked blobs, deletes each blob that has been
   * unreferenced for longer than the grace period (as of `now`) unless a hold is active or a
   * reference arrived meanwhile, and removes abandoned temporary writes. Safe to run from
   * several processes at once: each deletion is decided and done under the blob's row lock.
   */
  collectGarbage(now: Date, options?: GcOptions): Promise<GcReport>;
  /**
   * Pauses deletion (not sweeping) for `ttlMs` from now, e.g. while a backup copies blobs that
   * its database snapshot refers to. Expired holds are ignored, so a crashed holder cannot
   * stop collection for longer than its time to live.
   */
  holdCollection(reason: string, ttlMs: number): Promise<GcHold>;
}

/** The blob was deleted by the collector before this reference could be committed. Retry after putting the content again. */
export class BlobGoneError extends AppError {
  constructor(readonly blobKey: string) {
    super('conflict', 'blob_gone', 'The stored file was removed while it was being saved. Please upload it again.');
    this.name = 'BlobGoneError';
  }
}
