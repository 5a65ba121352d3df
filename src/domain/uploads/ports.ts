/**
 * Uploaded documents and folders: what the uploads module stores and how. One SQL
 * implementation (storage/sql/repositories/uploads.ts) for SQLite and PostgreSQL, run
 * through the same tests on both.
 *
 * Ownership is part of every method: each takes the account id and answers only for that
 * account's rows, so "not yours" and "not there" are the same `null` / `false`.
 */
import type { Clock } from '../clock.ts';
import type { ActivityLog } from '../activity/ports.ts';
import type { BlobReferences } from '../blobs/ports.ts';
import type { Readable } from 'node:stream';

export interface Upload {
  id: string;
  accountId: string;
  folderId: string | null;
  name: string;
  doctype: string | null;
  mime: string;
  size: number;
  sha256: string;
  blobKey: string;
  createdAt: string;
  updatedAt: string;
}

export interface Folder {
  id: string;
  accountId: string;
  parentId: string | null;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewUpload extends Omit<Upload, 'createdAt' | 'updatedAt'> {
  at: string;
}

export interface UploadRepo {
  /** Plaintext bytes of all the account's uploads (the quota's "used"). */
  usedBytes(accountId: string): Promise<number>;
  /**
   * Records an upload whose blob is already durable, together with its blob reference, in
   * one transaction — so a listed upload always names a stored blob (a crash before the
   * commit leaves only an unreferenced blob for the collector, never a partial row).
   * Serialised per account (row lock on PostgreSQL, the single writer on SQLite): the total
   * after the insert is checked against `quotaBytes` inside the transaction, so concurrent
   * uploads cannot together overshoot it. Returns false (nothing written) when over quota.
   * Throws `BlobGoneError` if the blob was collected meanwhile (put it again and retry).
   */
  insert(upload: NewUpload, quotaBytes: number): Promise<boolean>;
  get(accountId: string, id: string): Promise<Upload | null>;
  /** Direct children of `folderId` (null = root) or, with `folderId` undefined, every upload; newest first. */
  list(accountId: string, folderId?: string | null): Promise<Upload[]>;
  /** Uploads of the account with this content. */
  findBySha(accountId: string, sha256: string): Promise<Upload[]>;
  update(accountId: string, id: string, patch: { name?: string; doctype?: string | null; folderId?: string | null }, at: string): Promise<Upload | null>;
  /** Deletes the row and its blob reference in one transaction; the removed upload, or null. */
  delete(accountId: string, id: string): Promise<Upload | null>;
  count(accountId: string): Promise<number>;

  createFolder(folder: Omit<Folder, 'updatedAt'>): Promise<void>;
  getFolder(accountId: string, id: string): Promise<Folder | null>;
  listFolders(accountId: string, parentId?: string | null): Promise<Folder[]>;
  updateFolder(accountId: string, id: string, patch: { name?: string; parentId?: string | null }, at: string): Promise<Folder | null>;
  /** Deletes an empty folder. `not_empty` when it holds uploads or folders; `missing` when not the account's. */
  deleteFolder(accountId: string, id: string): Promise<'deleted' | 'missing' | 'not_empty'>;
}

/** Doc types citizens may assign: the issuer registry's catalogue (code → name), plus OTHER. */
export interface DoctypeCatalogue {
  list(): Promise<Array<{ code: string; name: string }>>;
}

/** The part of the blob store uploads use (storage/blob/types.ts implements it). */
export interface UploadBlobs {
  /** Streams in, encrypting; resolves once durable. Rejects with an error named `BlobTooLargeError` past `maxBytes` (nothing stored). */
  put(body: Readable, options?: { maxBytes?: number }): Promise<{ key: string; size: number; sha256: string; created: boolean }>;
  get(key: string): Promise<Readable>;
}

export interface UploadPolicy {
  maxBytes: number;
  quotaBytes: number;
}

export interface UploadDeps {
  uploads: UploadRepo;
  blobs: UploadBlobs;
  blobRefs: BlobReferences;
  activity: ActivityLog;
  clock: Clock;
  catalogue: DoctypeCatalogue;
  policy: UploadPolicy;
}

export const UPLOAD_ACTIVITY = {
  uploaded: 'document_uploaded',
  renamed: 'document_renamed',
  updated: 'document_updated',
  deleted: 'document_deleted',
  viewed: 'document_viewed',
  downloaded: 'document_downloaded',
  folderCreated: 'folder_created',
  folderRenamed: 'folder_renamed',
  folderDeleted: 'folder_deleted',
} as const;
