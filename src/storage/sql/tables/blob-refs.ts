/** Blob reference counting (see storage/sql/repositories/blob-references.ts). */
export interface BlobRefTables {
  /**
   * One row per blob the collector knows about. `ref_count` is the number of `blob_refs`
   * rows naming it (kept in the same transactions). `unreferenced_since` (epoch ms) is when
   * it last became unreferenced, or was first seen without references; null while referenced.
   * `tracked` is 1 once any reference was added: only tracked blobs are collected by default,
   * so blobs other modules keep without references are never deleted behind their back.
   */
  blob_objects: {
    blob_key: string;
    size: number | null;
    ref_count: number;
    tracked: number;
    unreferenced_since: number | null;
  };
  /** Who refers to a blob: (owner kind, owner id) → blob key, e.g. ('upload', upload id). */
  blob_refs: {
    owner_kind: string;
    owner_id: string;
    blob_key: string;
    size: number;
    created_at: string;
  };
  /**
   * Pauses deletion while a backup copies blobs: the collector deletes nothing while a hold
   * has not expired (`expires_at`, epoch ms; holders renew it).
   */
  blob_gc_holds: {
    id: string;
    reason: string;
    created_at: number;
    expires_at: number;
  };
}
