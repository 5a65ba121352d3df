/**
 * Uploading a document: sniff → stream through encryption into the blob store under a
 * byte limit → record it. The limit is the smaller of the per-file maximum and what is
 * left of the citizen's quota, enforced *while streaming*: the blob store aborts the write
 * the moment one byte too many arrives, so an oversized upload is cut off early and leaves
 * nothing behind. Only once the blob is durable is the row written (with its blob
 * reference, in one transaction), so a crash at any point never lists a partial upload.
 */
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { BlobGoneError } from '../blobs/ports.ts';
import type { Actor } from '../activity/ports.ts';
import { AppError } from '../errors.ts';
import { sanitizeName } from './names.ts';
import { UPLOAD_ACTIVITY, type Upload, type UploadDeps } from './ports.ts';
import { SniffStream } from './sniff.ts';
import { checkDoctype, checkFolder } from './rules.ts';

export interface UploadInput {
  accountId: string;
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
  file: Readable;
  /** The client's file name (used when `name` is not given). */
  filename?: string | undefined;
  name?: string | undefined;
  doctype?: string | undefined;
  folderId?: string | null | undefined;
}

export interface UploadResult {
  upload: Upload;
  /** Earlier uploads of the same content by this citizen ("you already have this as …"). */
  duplicates: Upload[];
}

export function fileTooLarge(max: number): AppError {
  return new AppError('too_large', 'file_too_large', `The file is larger than ${formatMb(max)}. Upload a smaller file (scan at a lower resolution, or compress the PDF).`, { max_bytes: max });
}

export function quotaExceeded(quota: number, used: number): AppError {
  return new AppError('too_large', 'quota_exceeded', `Your locker is full: this file does not fit in the ${formatMb(quota)} of storage you have (${formatMb(used)} used). Delete documents you no longer need and try again.`, { quota_bytes: quota, used_bytes: used });
}

const formatMb = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 ? 1 : 0)} GB` : `${Math.round((n / 1024 ** 2) * 10) / 10} MB`);

export async function uploadDocument(deps: UploadDeps, input: UploadInput): Promise<UploadResult> {
  const { accountId } = input;
  const doctype = await checkDoctype(deps, input.doctype);
  const folderId = input.folderId ? (await checkFolder(deps, accountId, input.folderId)).id : null;
  const used = await deps.uploads.usedBytes(accountId);
  const left = Math.max(0, deps.policy.quotaBytes - used);
  const quotaBound = left < deps.policy.maxBytes;
  const limit = Math.min(deps.policy.maxBytes, left);

  const sniff = new SniffStream();
  let put: Awaited<ReturnType<UploadDeps['blobs']['put']>>;
  try {
    // pipeline() destroys the source on failure, which stops reading the request.
    const body = input.file.pipe(sniff);
    input.file.on('error', (err) => sniff.destroy(err));
    put = await deps.blobs.put(body, { maxBytes: limit });
    if (!sniff.mime) throw new AppError('invalid', 'empty_file', 'The file is empty.');
  } catch (err) {
    input.file.resume();
    if ((err as Error).name === 'BlobTooLargeError') throw quotaBound ? quotaExceeded(deps.policy.quotaBytes, used) : fileTooLarge(deps.policy.maxBytes);
    throw err;
  }

  const id = crypto.randomUUID();
  const now = deps.clock.now().toISOString();
  const name = input.name ? sanitizeName(input.name) : sanitizeName(input.filename, 'document', { isPath: true });
  const duplicates = await deps.uploads.findBySha(accountId, put.sha256);
  const row = { id, accountId, folderId, name, doctype, mime: sniff.mime, size: put.size, sha256: put.sha256, blobKey: put.key, at: now };
  let ok: boolean;
  try {
    ok = await deps.uploads.insert(row, deps.policy.quotaBytes);
  } catch (err) {
    if (!(err instanceof BlobGoneError)) throw err;
    // Collected between put and reference (see domain/blobs/ports.ts): store it again once.
    throw new AppError('conflict', 'blob_gone', err.message);
  }
  if (!ok) {
    // A concurrent upload used the space first. Reference and release the blob so the collector takes it after its grace period.
    const owner = { ownerKind: 'upload-refused', ownerId: id };
    await deps.blobRefs.addBlobRef({ ...owner, blobKey: put.key, size: put.size }).catch(() => {});
    await deps.blobRefs.removeBlobRef({ ...owner, blobKey: put.key }).catch(() => {});
    throw quotaExceeded(deps.policy.quotaBytes, await deps.uploads.usedBytes(accountId));
  }
  const upload: Upload = { ...row, createdAt: now, updatedAt: now };
  await deps.activity.append({
    accountId,
    type: UPLOAD_ACTIVITY.uploaded,
    actor: input.actor,
    ip: input.ip,
    userAgent: input.userAgent,
    subject: { kind: 'upload', id, name },
    details: { size: put.size, mime: sniff.mime, ...(duplicates.length ? { duplicate_of: duplicates[0]!.id } : {}) },
  });
  return { upload, duplicates };
}
