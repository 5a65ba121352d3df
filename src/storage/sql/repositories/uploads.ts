/**
 * UploadRepo on the SQL store (the contract: domain/uploads/ports.ts). The upload row and
 * its blob reference are written in one transaction; the per-account quota check runs in
 * that transaction after locking the account's row (PostgreSQL) or under SQLite's single
 * writer, so concurrent uploads cannot overshoot the quota together.
 */
import { sql as raw, type Kysely, type Selectable } from 'kysely';
import type { Clock } from '../../../domain/clock.ts';
import type { Folder, NewUpload, Upload, UploadRepo } from '../../../domain/uploads/ports.ts';
import type { BlobStore } from '../../blob/types.ts';
import type { SqlStore } from '../database.ts';
import { prepared } from '../prepared.ts';
import { readCache } from '../read-cache.ts';
import type { Database } from '../schema.ts';
import { addBlobRefIn, removeBlobRefIn } from './blob-references.ts';

type UploadRow = Selectable<Database['uploads']>;
type FolderRow = Selectable<Database['upload_folders']>;

const toUpload = (r: UploadRow): Upload => ({
  id: r.id,
  accountId: r.account_id,
  folderId: r.folder_id,
  name: r.name,
  doctype: r.doctype,
  mime: r.mime,
  size: Number(r.size),
  sha256: r.sha256,
  blobKey: r.blob_key,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toFolder = (r: FolderRow): Folder => ({ id: r.id, accountId: r.account_id, parentId: r.parent_id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at });

export const UPLOAD_OWNER = 'upload';

export function sqlUploads(store: SqlStore, deps: { blobs: Pick<BlobStore, 'exists'>; clock: Clock }): UploadRepo {
  const { db, caps } = store;
  // Read on every open of a shared upload and every file request: compiled once
  // (storage/sql/prepared.ts) and, on SQLite, kept in a never-stale cache that any write to
  // uploads empties (storage/sql/read-cache.ts) — opening a link writes other tables only.
  const one = prepared((slot) => db.selectFrom('uploads').selectAll().where('account_id', '=', slot('accountId')).where('id', '=', slot('id')));
  const byId = readCache<string, Upload>(store.changes, ['uploads']);

  async function used(q: Kysely<Database>, accountId: string): Promise<number> {
    const r = await q.selectFrom('uploads').select(raw<number>`coalesce(sum(size), 0)`.as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  return {
    usedBytes: (accountId) => used(db, accountId),

    async insert(u: NewUpload, quotaBytes: number) {
      return db.transaction().execute(async (trx) => {
        if (caps.rowLocks) await caps.forUpdate(trx.selectFrom('accounts').select('id').where('id', '=', u.accountId)).execute();
        else await trx.updateTable('uploads').set({ id: raw`id` }).where('account_id', '=', u.accountId).where('id', '=', '').execute(); // takes SQLite's write lock first
        if ((await used(trx, u.accountId)) + u.size > quotaBytes) return false;
        await addBlobRefIn(trx, caps, { blobs: deps.blobs as never, clock: deps.clock }, { ownerKind: UPLOAD_OWNER, ownerId: u.id, blobKey: u.blobKey, size: u.size });
        await trx
          .insertInto('uploads')
          .values({
            id: u.id,
            account_id: u.accountId,
            folder_id: u.folderId,
            name: u.name,
            doctype: u.doctype,
            mime: u.mime,
            size: u.size,
            sha256: u.sha256,
            blob_key: u.blobKey,
            created_at: u.at,
            updated_at: u.at,
          })
          .execute();
        return true;
      });
    },

    get(accountId, id) {
      return byId.get(`${accountId}\u0000${id}`, async () => {
        const r = (await db.executeQuery(one({ accountId, id }))).rows[0];
        return r ? toUpload(r) : null;
      });
    },

    async list(accountId, folderId) {
      let q = db.selectFrom('uploads').selectAll().where('account_id', '=', accountId);
      if (folderId !== undefined) q = folderId === null ? q.where('folder_id', 'is', null) : q.where('folder_id', '=', folderId);
      return (await q.orderBy('created_at', 'desc').orderBy('id').execute()).map(toUpload);
    },

    async findBySha(accountId, sha256) {
      return (await db.selectFrom('uploads').selectAll().where('account_id', '=', accountId).where('sha256', '=', sha256).orderBy('created_at').execute()).map(toUpload);
    },

    async update(accountId, id, patch, at) {
      const set: Partial<Database['uploads']> = { updated_at: at };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.doctype !== undefined) set.doctype = patch.doctype;
      if (patch.folderId !== undefined) set.folder_id = patch.folderId;
      await db.updateTable('uploads').set(set).where('account_id', '=', accountId).where('id', '=', id).execute();
      const r = await db.selectFrom('uploads').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
      return r ? toUpload(r) : null;
    },

    async delete(accountId, id) {
      return db.transaction().execute(async (trx) => {
        const r = await trx.selectFrom('uploads').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
        if (!r) return null;
        const del = await trx.deleteFrom('uploads').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
        if (Number(del.numDeletedRows) === 0) return null;
        await removeBlobRefIn(trx, caps, deps.clock, { ownerKind: UPLOAD_OWNER, ownerId: id, blobKey: r.blob_key });
        return toUpload(r);
      });
    },

    async count(accountId) {
      const r = await db.selectFrom('uploads').select(db.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    async createFolder(f) {
      await db.insertInto('upload_folders').values({ id: f.id, account_id: f.accountId, parent_id: f.parentId, name: f.name, created_at: f.createdAt, updated_at: f.createdAt }).execute();
    },

    async getFolder(accountId, id) {
      const r = await db.selectFrom('upload_folders').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
      return r ? toFolder(r) : null;
    },

    async listFolders(accountId, parentId) {
      let q = db.selectFrom('upload_folders').selectAll().where('account_id', '=', accountId);
      if (parentId !== undefined) q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
      return (await q.orderBy('name').execute()).map(toFolder);
    },

    async updateFolder(accountId, id, patch, at) {
      const set: Partial<Database['upload_folders']> = { updated_at: at };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.parentId !== undefined) set.parent_id = patch.parentId;
      await db.updateTable('upload_folders').set(set).where('account_id', '=', accountId).where('id', '=', id).execute();
      const r = await db.selectFrom('upload_folders').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
      return r ? toFolder(r) : null;
    },

    async deleteFolder(accountId, id) {
      return db.transaction().execute(async (trx) => {
        const f = await caps.forUpdate(trx.selectFrom('upload_folders').select('id').where('account_id', '=', accountId).where('id', '=', id)).executeTakeFirst();
        if (!f) return 'missing' as const;
        const child = await trx.selectFrom('upload_folders').select('id').where('account_id', '=', accountId).where('parent_id', '=', id).limit(1).executeTakeFirst();
        const file = await trx.selectFrom('uploads').select('id').where('account_id', '=', accountId).where('folder_id', '=', id).limit(1).executeTakeFirst();
        if (child || file) return 'not_empty' as const;
        await trx.deleteFrom('upload_folders').where('account_id', '=', accountId).where('id', '=', id).execute();
        return 'deleted' as const;
      });
    },

    async eraseAccount(accountId) {
      let n = 0;
      for (;;) {
        const batch = await db.selectFrom('uploads').select('id').where('account_id', '=', accountId).limit(100).execute();
        if (batch.length === 0) break;
        for (const { id } of batch) if (await this.delete(accountId, id)) n++;
      }
      await db.deleteFrom('upload_folders').where('account_id', '=', accountId).execute();
      return n;
    },
  };
}

/** The doc type catalogue: every doc type some issuer in the registry offers (code → first name seen). */
/**
 * The catalogue, kept a minute; `version` (the registry's local change count) drops it at
 * once when this process registers or changes an issuer.
 */
export function sqlDoctypeCatalogue(store: SqlStore, ttlMs = 60_000, version: () => number = () => 0) {
  let cached: { at: number; version: number; list: Array<{ code: string; name: string }> } | null = null;
  return {
    async list() {
      if (cached && Date.now() - cached.at < ttlMs && cached.version === version()) return cached.list;
      const v = version();
      const rows = await store.db.selectFrom('issuer_doctypes').select(['code', 'name']).orderBy('name').execute();
      const byCode = new Map<string, string>();
      for (const r of rows) if (!byCode.has(r.code)) byCode.set(r.code, r.name);
      cached = { at: Date.now(), version: v, list: [...byCode].map(([code, name]) => ({ code, name })) };
      return cached.list;
    },
  };
}
