/**
 * The issuer registry on SQL (SQLite and PostgreSQL alike). Contract: domain/issuers/ports.ts.
 */
import { searchAlternatives } from '../../../domain/issuers/search-terms.ts';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Category, Doctype, Issuer, IssuerStatus, IssuerSummary } from '../../../domain/issuers/model.ts';
import type { CategoryCount, IssuerRecord, IssuerRegistry, SealedKey, SeedResult } from '../../../domain/issuers/ports.ts';
import type { SqlStore } from '../database.ts';
import type { Database } from '../schema.ts';
import type { IssuerTables } from '../tables/issuers.ts';

type IssuerRow = Selectable<IssuerTables['issuers']>;
type DoctypeRow = Selectable<IssuerTables['issuer_doctypes']>;
type Db = Kysely<Database> | Transaction<Database>;

const VERSION_KEY = 'issuer_directory_version';
/** Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 100;

function endpointReady(r: IssuerRecord, keySet: boolean): number {
  if (!keySet) return 0;
  return r.doctypes.some((d) => (d.pullUriUrl ?? r.pullUriUrl) && (d.pullDocUrl ?? r.pullDocUrl)) ? 1 : 0;
}

function searchText(r: IssuerRecord): string {
  return [r.name, r.id, r.state ?? '', ...r.doctypes.flatMap((d) => [d.name, d.code])].join(' ').toLowerCase();
}

function issuerColumns(r: IssuerRecord, keySet: boolean) {
  return {
    name: r.name,
    category: r.category,
    scope: r.scope,
    state: r.state,
    description: r.description,
    status: r.status,
    source: r.source,
    org_id: r.orgId,
    pull_uri_url: r.pullUriUrl,
    pull_doc_url: r.pullDocUrl,
    hmac_encoding: r.hmacEncoding,
    timeout_ms: r.timeoutMs,
    endpoint_ready: endpointReady(r, keySet),
    doctype_count: r.doctypes.length,
    sort_name: r.name.toLowerCase(),
    search_text: searchText(r),
  };
}

function doctypeRows(r: IssuerRecord): DoctypeRow[] {
  return r.doctypes.map((d, position) => ({
    issuer_id: r.id,
    code: d.code,
    position,
    name: d.name,
    formats: JSON.stringify(d.formats),
    parameters: JSON.stringify(d.parameters),
    profile_fields: JSON.stringify(d.profileFields),
    pull_uri_url: d.pullUriUrl,
    pull_doc_url: d.pullDocUrl,
  }));
}

function toSummary(r: Pick<IssuerRow, 'id' | 'name' | 'category' | 'scope' | 'state' | 'status' | 'source' | 'endpoint_ready' | 'doctype_count'>): IssuerSummary {
  return {
    id: r.id,
    name: r.name,
    category: r.category as Category,
    scope: r.scope as IssuerSummary['scope'],
    state: r.state,
    status: r.status as IssuerStatus,
    source: r.source as IssuerSummary['source'],
    connected: r.status === 'active' && Number(r.endpoint_ready) === 1,
    doctypeCount: Number(r.doctype_count),
  };
}

function toIssuer(r: IssuerRow): Issuer {
  return {
    ...toSummary(r),
    description: r.description,
    orgId: r.org_id,
    pullUriUrl: r.pull_uri_url,
    pullDocUrl: r.pull_doc_url,
    hmacKeySet: r.hmac_key_sealed !== null,
    hmacKeyHint: r.hmac_key_hint,
    hmacEncoding: r.hmac_encoding as Issuer['hmacEncoding'],
    timeoutMs: r.timeout_ms === null ? null : Number(r.timeout_ms),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toDoctype(r: DoctypeRow): Doctype {
  return {
    code: r.code,
    name: r.name,
    formats: JSON.parse(r.formats),
    parameters: JSON.parse(r.parameters),
    profileFields: JSON.parse(r.profile_fields),
    pullUriUrl: r.pull_uri_url,
    pullDocUrl: r.pull_doc_url,
  };
}

/** Escapes LIKE wildcards so a search for "50%" means the characters. */
const likeContains = (word: string) => `%${word.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

async function insertDoctypes(db: Db, rows: DoctypeRow[], ignoreExisting = false): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const q = db.insertInto('issuer_doctypes').values(rows.slice(i, i + BATCH));
    await (ignoreExisting ? q.onConflict((oc) => oc.columns(['issuer_id', 'code']).doNothing()) : q).execute();
  }
}

/** Changes made by this process, per database (see IssuerRegistry.localChanges). */
const changeCounts = new WeakMap<object, { n: number }>();

export function sqlIssuerRegistry(store: SqlStore): IssuerRegistry {
  const { db } = store;
  let changes = changeCounts.get(db);
  if (!changes) changeCounts.set(db, (changes = { n: 0 }));
  const counter = changes;
  /** Counts a change whether or not it completed: a failed one may still have committed. */
  const changing = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } finally {
      counter.n++;
    }
  };

  return {
    localChanges: () => counter.n,

    save(record, key, at) {
      const now = at.toISOString();
      return changing(() => db.transaction().execute(async (trx) => {
        const keyCols = key === undefined ? {} : { hmac_key_sealed: key?.sealed ?? null, hmac_key_hint: key?.hint ?? null };
        // Insert-or-nothing first: exactly one of two concurrent creators sees its row
        // returned; the loser (and every update) then takes the row lock by updating.
        const inserted = await trx
          .insertInto('issuers')
          .values({ id: record.id, ...issuerColumns(record, Boolean(key)), hmac_key_sealed: key?.sealed ?? null, hmac_key_hint: key?.hint ?? null, created_at: now, updated_at: now })
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) {
          let keySet = key !== undefined && key !== null;
          if (key === undefined) {
            const row = await store.caps.forUpdate(trx.selectFrom('issuers').select('hmac_key_sealed').where('id', '=', record.id)).executeTakeFirst();
            keySet = Boolean(row?.hmac_key_sealed);
          }
          await trx.updateTable('issuers').set({ ...issuerColumns(record, keySet), ...keyCols, updated_at: now }).where('id', '=', record.id).execute();
          await trx.deleteFrom('issuer_doctypes').where('issuer_id', '=', record.id).execute();
        }
        await insertDoctypes(trx, doctypeRows(record));
        return { created: Boolean(inserted) };
      }));
    },

    async get(id) {
      const row = await db.selectFrom('issuers').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toIssuer(row) : null;
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('issuers').selectAll().where('id', 'in', ids).execute();
      return rows.map(toIssuer);
    },

    async doctypes(id) {
      const rows = await db.selectFrom('issuer_doctypes').selectAll().where('issuer_id', '=', id).orderBy('position').execute();
      return rows.map(toDoctype);
    },

    async doctype(id, code) {
      const row = await db.selectFrom('issuer_doctypes').selectAll().where('issuer_id', '=', id).where('code', '=', code).executeTakeFirst();
      return row ? toDoctype(row) : null;
    },

    async doctypeNames(codes) {
      const out = new Map<string, string>();
      if (codes.length === 0) return out;
      const rows = await db
        .selectFrom('issuer_doctypes')
        .innerJoin('issuers', 'issuers.id', 'issuer_doctypes.issuer_id')
        .select(['issuer_doctypes.code', 'issuer_doctypes.name', 'issuers.endpoint_ready'])
        .where('issuer_doctypes.code', 'in', codes.slice(0, 100))
        .where('issuers.status', '=', 'active')
        .execute();
      for (const code of codes) {
        const mine = rows.filter((r) => r.code === code);
        const connected = mine.filter((r) => Number(r.endpoint_ready) === 1);
        const pool = connected.length ? connected : mine;
        const counts = new Map<string, number>();
        for (const r of pool) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
        const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
        if (best) out.set(code, best[0]);
      }
      return out;
    },

    async list(filter) {
      let q = db.selectFrom('issuers');
      if (!filter.includeDisabled) q = q.where('status', '=', 'active');
      if (filter.category) q = q.where('category', '=', filter.category);
      if (filter.connectedOnly) q = q.where('endpoint_ready', '=', 1).where('status', '=', 'active');
      // Every word must match; a word matches through any of its alternatives (search-terms.ts).
      for (const alternatives of searchAlternatives(filter.q)) {
        q = q.where((eb) => eb.or(alternatives.map((w) => sql<boolean>`${sql.ref('search_text')} like ${likeContains(w)} escape '\\'`)));
      }
      const [rows, count] = await Promise.all([
        q
          .select(['id', 'name', 'category', 'scope', 'state', 'status', 'source', 'endpoint_ready', 'doctype_count'])
          .orderBy('endpoint_ready', 'desc')
          .orderBy('sort_name')
          .orderBy('id')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toSummary), total: Number(count.n) };
    },

    async categoryCounts(options = {}) {
      let q = db
        .selectFrom('issuers')
        .select((eb) => ['category', eb.fn.countAll<number>().as('issuers'), eb.fn.sum<number>(sql`case when status = 'active' and endpoint_ready = 1 then 1 else 0 end`).as('connected')])
        .groupBy('category');
      if (!options.includeDisabled) q = q.where('status', '=', 'active');
      const rows = await q.execute();
      return rows.map((r): CategoryCount => ({ category: r.category as Category, issuers: Number(r.issuers), connected: Number(r.connected ?? 0) }));
    },

    setStatus: (id, status, at) =>
      changing(async () => {
        const res = await db.updateTable('issuers').set({ status, updated_at: at.toISOString() }).where('id', '=', id).executeTakeFirst();
        return Number(res.numUpdatedRows) > 0;
      }),

    async sealedKey(id) {
      const row = await db.selectFrom('issuers').select('hmac_key_sealed').where('id', '=', id).executeTakeFirst();
      return row?.hmac_key_sealed ?? null;
    },

    seedDirectory(records, version, at): Promise<SeedResult> {
      const now = at.toISOString();
      return changing(() => db.transaction().execute(async (trx) => {
        const owner = new Map<string, string>();
        for (let i = 0; i < records.length; i += 500) {
          const ids = records.slice(i, i + 500).map((r) => r.id);
          for (const row of await trx.selectFrom('issuers').select(['id', 'source']).where('id', 'in', ids).execute()) owner.set(row.id, row.source);
        }
        const fresh = records.filter((r) => !owner.has(r.id));
        const refresh = records.filter((r) => owner.get(r.id) === 'directory');
        for (let i = 0; i < fresh.length; i += BATCH) {
          const rows = fresh.slice(i, i + BATCH).map((r) => ({ id: r.id, ...issuerColumns(r, false), hmac_key_sealed: null, hmac_key_hint: null, created_at: now, updated_at: now }));
          // Another instance starting at the same moment may insert the same ids first:
          // theirs wins, ours does nothing (no start-up failure).
          await trx.insertInto('issuers').values(rows).onConflict((oc) => oc.column('id').doNothing()).execute();
        }
        for (const r of refresh) {
          // An operator may have disabled a directory entry: keep that status.
          const { status: _keep, ...cols } = issuerColumns(r, false);
          await trx.updateTable('issuers').set({ ...cols, updated_at: now }).where('id', '=', r.id).where('source', '=', 'directory').execute();
        }
        for (let i = 0; i < refresh.length; i += 500) {
          await trx.deleteFrom('issuer_doctypes').where('issuer_id', 'in', refresh.slice(i, i + 500).map((r) => r.id)).execute();
        }
        await insertDoctypes(trx, [...fresh, ...refresh].flatMap(doctypeRows), true);
        await trx
          .insertInto('instance_meta')
          .values({ key: VERSION_KEY, value: version, updated_at: now })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: version, updated_at: now }))
          .execute();
        return { inserted: fresh.length, updated: refresh.length, skipped: records.length - fresh.length - refresh.length };
      }));
    },

    async directoryVersion() {
      const row = await db.selectFrom('instance_meta').select('value').where('key', '=', VERSION_KEY).executeTakeFirst();
      return row?.value ?? null;
    },
  };
}
