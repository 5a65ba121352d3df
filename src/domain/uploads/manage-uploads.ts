/**
 * Reading, changing and deleting one's uploads and folders. Authorisation is ownership,
 * checked by the repository on every call (each takes the account id): another citizen's
 * id answers exactly like one that does not exist.
 */
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Actor } from '../activity/ports.ts';
import { AppError, notFound } from '../errors.ts';
import { UPLOAD_ACTIVITY, type Folder, type Upload, type UploadDeps } from './ports.ts';
import { checkDoctype, checkFolder, checkName, notYours } from './rules.ts';

export interface Who {
  accountId: string;
  actor: Actor;
  ip: string | null;
  userAgent: string | null;
}

const log = (deps: Pick<UploadDeps, 'activity'>, who: Who, type: string, subject: { kind: string; id: string; name: string }, details: Record<string, unknown> = {}) =>
  deps.activity.append({ accountId: who.accountId, type, actor: who.actor, ip: who.ip, userAgent: who.userAgent, subject, details });

export async function getUpload(deps: Pick<UploadDeps, 'uploads'>, accountId: string, id: string): Promise<Upload> {
  const u = typeof id === 'string' && id.length <= 64 ? await deps.uploads.get(accountId, id) : null;
  if (!u) throw notYours();
  return u;
}

export interface UploadPatch {
  name?: string | undefined;
  doctype?: string | null | undefined;
  /** Move to this folder (null: the root). */
  folder?: string | null | undefined;
}

export async function updateUpload(deps: UploadDeps, who: Who, id: string, patch: UploadPatch): Promise<Upload> {
  const before = await getUpload(deps, who.accountId, id);
  const change: { name?: string; doctype?: string | null; folderId?: string | null } = {};
  if (patch.name !== undefined) change.name = checkName(patch.name, 'document');
  if (patch.doctype !== undefined) change.doctype = await checkDoctype(deps, patch.doctype);
  if (patch.folder !== undefined) change.folderId = patch.folder === null || patch.folder === '' ? null : (await checkFolder(deps, who.accountId, patch.folder)).id;
  const after = await deps.uploads.update(who.accountId, id, change, deps.clock.now().toISOString());
  if (!after) throw notYours();
  const subject = { kind: 'upload', id, name: after.name };
  if (change.name !== undefined && change.name !== before.name) await log(deps, who, UPLOAD_ACTIVITY.renamed, subject, { from: before.name });
  const other: Record<string, unknown> = {};
  if (change.doctype !== undefined && change.doctype !== before.doctype) other.doctype = change.doctype;
  if (change.folderId !== undefined && change.folderId !== before.folderId) other.folder = change.folderId;
  if (Object.keys(other).length) await log(deps, who, UPLOAD_ACTIVITY.updated, subject, other);
  return after;
}

/** Deletes the upload; its blob goes once nothing else refers to it (blob GC, after the grace period). */
export async function deleteUpload(deps: UploadDeps, who: Who, id: string): Promise<Upload> {
  await getUpload(deps, who.accountId, id);
  const gone = await deps.uploads.delete(who.accountId, id);
  if (!gone) throw notYours();
  await log(deps, who, UPLOAD_ACTIVITY.deleted, { kind: 'upload', id, name: gone.name }, { size: gone.size });
  return gone;
}

/** Opens the file for viewing or download, and logs which. */
export async function openUpload(deps: UploadDeps, who: Who, id: string, how: 'view' | 'download'): Promise<{ upload: Upload; stream: Readable }> {
  const upload = await getUpload(deps, who.accountId, id);
  const stream = await deps.blobs.get(upload.blobKey);
  await log(deps, who, how === 'view' ? UPLOAD_ACTIVITY.viewed : UPLOAD_ACTIVITY.downloaded, { kind: 'upload', id, name: upload.name });
  return { upload, stream };
}

export async function createFolder(deps: UploadDeps, who: Who, input: { name: unknown; parent?: string | null | undefined }): Promise<Folder> {
  const name = checkName(input.name, 'folder');
  const parentId = input.parent ? (await checkFolder(deps, who.accountId, input.parent)).id : null;
  const now = deps.clock.now().toISOString();
  const folder = { id: crypto.randomUUID(), accountId: who.accountId, parentId, name, createdAt: now };
  await deps.uploads.createFolder(folder);
  await log(deps, who, UPLOAD_ACTIVITY.folderCreated, { kind: 'folder', id: folder.id, name });
  return { ...folder, updatedAt: now };
}

export async function updateFolder(deps: UploadDeps, who: Who, id: string, input: { name?: unknown; parent?: string | null | undefined }): Promise<Folder> {
  const before = await checkFolder(deps, who.accountId, id);
  const change: { name?: string; parentId?: string | null } = {};
  if (input.name !== undefined) change.name = checkName(input.name, 'folder');
  if (input.parent !== undefined) {
    const parentId = input.parent === null || input.parent === '' ? null : (await checkFolder(deps, who.accountId, input.parent)).id;
    // A folder cannot move into itself or below itself.
    for (let p = parentId; p; p = (await deps.uploads.getFolder(who.accountId, p))?.parentId ?? null) {
      if (p === id) throw new AppError('conflict', 'folder_cycle', 'A folder cannot be moved into itself or into one of its own folders.');
    }
    change.parentId = parentId;
  }
  const after = await deps.uploads.updateFolder(who.accountId, id, change, deps.clock.now().toISOString());
  if (!after) throw notFound('The folder', 'folder_not_found');
  if (after.name !== before.name) await log(deps, who, UPLOAD_ACTIVITY.folderRenamed, { kind: 'folder', id, name: after.name }, { from: before.name });
  return after;
}

export async function deleteFolder(deps: UploadDeps, who: Who, id: string): Promise<void> {
  const folder = await checkFolder(deps, who.accountId, id);
  const r = await deps.uploads.deleteFolder(who.accountId, id);
  if (r === 'missing') throw notFound('The folder', 'folder_not_found');
  if (r === 'not_empty') throw new AppError('conflict', 'folder_not_empty', 'The folder is not empty. Move or delete what is in it first.');
  await log(deps, who, UPLOAD_ACTIVITY.folderDeleted, { kind: 'folder', id, name: folder.name });
}
