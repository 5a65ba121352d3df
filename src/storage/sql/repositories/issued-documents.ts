/**
 * Issued documents and pending pulls in SQL (SQLite and PostgreSQL alike). The primary key
 * (account_id, uri) makes a save idempotent; listing walks the (account_id, created_at)
 * index, so a citizen's list costs the same with ten thousand or ten million rows in the
 * table. Pending pulls are claimed with a guarded UPDATE, never a read-then-write.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { IssuedDocument, IssuedDocumentStore, NewIssuedDocument, PendingPull } from '../../../domain/issued/ports.ts';
import type { SqlStore } from '../database.ts';
import { prepared } from '../prepared.ts';
import { readCache } from '../read-cache.ts';
import type { Database } from '../schema.ts';

type DocRow = Selectable<Database['issued_documents']>;
type PullRow = Selectable<Database['issued_pulls']>;

const toDoc = (r: DocRow): IssuedDocument => ({
  accountId: r.account_id,
  uri: r.uri,
  issuerId: r.issuer_id,
  doctype: r.doctype,
  name: r.name,
  issuedOn: r.issued_on,
  source: r.source as IssuedDocument['source'],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toPull = (r: PullRow): PendingPull => ({
  id: r.id,
  accountId: r.account_id,
  issuerId: r.issuer_id,
  doctype: r.doctype,
  name: r.name,
  params: JSON.parse(r.params) as Record<string, string>,
  uri: r.uri,
  attempts: Number(r.attempts),
  nextRetryAt: Number(r.next_retry_at),
  lastError: r.last_error,
  createdAt: r.created_at,
});

const row = (d: NewIssuedDocument, at: string) => ({
  account_id: d.accountId,
  uri: d.uri,
  issuer_id: d.issuerId,
  doctype: d.doctype,
  name: d.name,
  issued_on: d.issuedOn,
  source: d.source,
  created_at: at,
  updated_at: at,
});

type Db = Kysely<Database> | Transaction<Database>;

/** Bumps the Issued-list version of each account (one statement per 500), inside the caller's transaction. */
async function bumpVersions(q: Db, accountIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(accountIds)];
  for (let i = 0; i < ids.length; i += 500) {
    await q
      .insertInto('issued_versions')
      .values(ids.slice(i, i + 500).map((account_id) => ({ account_id, version: 1 })))
      .onConflict((oc) => oc.column('account_id').doUpdateSet((eb) => ({ version: eb('issued_versions.version', '+', 1) })))
      .execute();
  }
}

export function sqlIssuedDocuments(store: SqlStore): IssuedDocumentStore {
  const { db } = store;
  const versionOf = prepared((slot) => db.selectFrom('issued_versions').select('version').where('account_id', '=', slot('accountId')));
  // Read on every GET of the Issued list (before its rendered body, see http/routes/issued/list-cache.ts):
  // through a never-stale cache on SQLite, emptied by any change of a version.
  const versions = readCache<string, number>(store.changes, ['issued_versions']);
  const readVersion = async (accountId: string): Promise<number | null> => {
    const r = (await db.executeQuery(versionOf({ accountId }))).rows[0];
    return r ? Number(r.version) : null;
  };
  const upsertWith = (q: Db, rows: ReturnType<typeof row>[]) =>
    q
      .insertInto('issued_documents')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['account_id', 'uri']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          issued_on: eb.ref('excluded.issued_on'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();

  return {
    async save(doc, now) {
      return db.transaction().execute(async (tx) => {
        const existed = await tx.selectFrom('issued_documents').select('uri').where('account_id', '=', doc.accountId).where('uri', '=', doc.uri).executeTakeFirst();
        await upsertWith(tx, [row(doc, now.toISOString())]);
        await bumpVersions(tx, [doc.accountId]);
        return { created: !existed };
      });
    },

    async saveMany(docs, now) {
      if (docs.length === 0) return { written: 0, conflicts: [] };
      const at = now.toISOString();
      const owners = await db
        .selectFrom('issued_documents')
        .select(['uri', 'account_id'])
        .where('uri', 'in', [...new Set(docs.map((d) => d.uri))])
        .execute();
      const taken = new Map<string, Set<string>>();
      for (const o of owners) taken.set(o.uri, (taken.get(o.uri) ?? new Set()).add(o.account_id));
      const conflicts: string[] = [];
      const rows: ReturnType<typeof row>[] = [];
      const seen = new Set<string>();
      for (const d of docs) {
        const held = taken.get(d.uri);
        if (held && !held.has(d.accountId)) {
          conflicts.push(d.uri);
          continue;
        }
        // One statement may not upsert the same key twice (PostgreSQL refuses): last one wins.
        const key = `${d.accountId}\u0000${d.uri}`;
        if (seen.has(key)) {
          const i = rows.findIndex((r) => r.account_id === d.accountId && r.uri === d.uri);
          rows[i] = row(d, at);
          continue;
        }
        seen.add(key);
        rows.push(row(d, at));
      }
      // 100-row statements in one transaction: SQLite prepares (and caches) the statement
      // once, and a crash leaves the batch all there or not at all.
      if (rows.length) {
        await db.transaction().execute(async (tx) => {
          for (let i = 0; i < rows.length; i += 100) await upsertWith(tx, rows.slice(i, i + 100));
          await bumpVersions(tx, rows.map((r) => r.account_id));
        });
      }
      return { written: rows.length, conflicts };
    },

    async get(accountId, uri) {
      const r = await db.selectFrom('issued_documents').selectAll().where('account_id', '=', accountId).where('uri', '=', uri).executeTakeFirst();
      return r ? toDoc(r) : null;
    },

    async list(accountId, options = {}) {
      let q = db.selectFrom('issued_documents').selectAll().where('account_id', '=', accountId);
      if (options.doctypes?.length) q = q.where('doctype', 'in', options.doctypes);
      const rows = await q
        .orderBy('created_at', 'desc')
        .orderBy('uri', 'desc')
        .limit(options.limit ?? 1000)
        .execute();
      return rows.map(toDoc);
    },

    async countByIssuer(accountId) {
      const rows = await db
        .selectFrom('issued_documents')
        .select(['issuer_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('account_id', '=', accountId)
        .groupBy('issuer_id')
        .execute();
      return rows.map((r) => ({ issuerId: r.issuer_id, count: Number(r.n) })).sort((a, b) => b.count - a.count || a.issuerId.localeCompare(b.issuerId));
    },

    async remove(accountId, uri) {
      return db.transaction().execute(async (tx) => {
        const r = await tx.deleteFrom('issued_documents').where('account_id', '=', accountId).where('uri', '=', uri).executeTakeFirst();
        const removed = Number(r.numDeletedRows) > 0;
        if (removed) await bumpVersions(tx, [accountId]);
        return removed;
      });
    },

    async removeUri(uri) {
      return db.transaction().execute(async (tx) => {
        const owners = (await tx.deleteFrom('issued_documents').where('uri', '=', uri).returning('account_id').execute()).map((o) => o.account_id);
        await bumpVersions(tx, owners);
        return owners;
      });
    },

    async ownerOf(uri) {
      const r = await db.selectFrom('issued_documents').select('account_id').where('uri', '=', uri).executeTakeFirst();
      return r?.account_id ?? null;
    },

    async holders(ids, mobiles) {
      const [a, b] = await Promise.all([
        ids.length ? db.selectFrom('accounts').select('id').where('id', 'in', ids).where('status', '=', 'active').execute() : Promise.resolve([]),
        mobiles.length ? db.selectFrom('accounts').select(['id', 'mobile']).where('mobile', 'in', mobiles).where('status', '=', 'active').execute() : Promise.resolve([]),
      ]);
      return { ids: new Set(a.map((r) => r.id)), byMobile: new Map(b.map((r) => [r.mobile, r.id])) };
    },

    async eraseAccount(accountId) {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('issued_documents').where('account_id', '=', accountId).execute();
        await tx.deleteFrom('issued_pulls').where('account_id', '=', accountId).execute();
        await bumpVersions(tx, [accountId]);
      });
    },

    async addPending(p) {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('issued_pulls')
          .values({
            id: p.id,
            account_id: p.accountId,
            issuer_id: p.issuerId,
            doctype: p.doctype,
            name: p.name,
            params: JSON.stringify(p.params),
            uri: p.uri,
            attempts: p.attempts,
            next_retry_at: p.nextRetryAt,
            last_error: p.lastError,
            created_at: p.createdAt,
          })
          .execute();
        await bumpVersions(tx, [p.accountId]);
      });
    },

    async listPending(accountId) {
      const rows = await db.selectFrom('issued_pulls').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(100).execute();
      return rows.map(toPull);
    },

    async getPending(accountId, id) {
      const r = await db.selectFrom('issued_pulls').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
      return r ? toPull(r) : null;
    },

    async claimDuePending(nowMs, leaseMs, limit) {
      const due = await db.selectFrom('issued_pulls').selectAll().where('next_retry_at', '<=', nowMs).orderBy('next_retry_at').limit(limit).execute();
      const claimed: PendingPull[] = [];
      for (const r of due) {
        const res = await db
          .updateTable('issued_pulls')
          .set({ next_retry_at: nowMs + leaseMs })
          .where('id', '=', r.id)
          .where('next_retry_at', '=', r.next_retry_at)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 1) claimed.push(toPull(r));
      }
      return claimed;
    },

    async reschedulePending(id, attempts, nextRetryAt, lastError) {
      await db.updateTable('issued_pulls').set({ attempts, next_retry_at: nextRetryAt, last_error: lastError }).where('id', '=', id).execute();
    },

    async removePending(id) {
      await db.transaction().execute(async (tx) => {
        const gone = await tx.deleteFrom('issued_pulls').where('id', '=', id).returning('account_id').execute();
        await bumpVersions(tx, gone.map((g) => g.account_id));
      });
    },

    async listVersion(accountId) {
      return (await versions.get(accountId, () => readVersion(accountId))) ?? 0;
    },
  };
}
