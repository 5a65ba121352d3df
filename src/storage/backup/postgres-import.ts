/**
 * Loads a backup's tables into PostgreSQL (from a PostgreSQL export, or from an SQLite
 * snapshot for a cross-kind restore), in ONE transaction: either every row is there or
 * none is. The target schema was first migrated to exactly the backup's migrations, so the
 * tables and columns must match; values are cast by the *target* column's type from their
 * text form (`(r->>i)::type`), which for a PostgreSQL source is the type's own output, so
 * nothing is rounded or reinterpreted. Tables load parents-first (foreign keys); a table
 * that references itself loads in a single statement, where the check runs at its end.
 * Sequences get the backup's exact values (PostgreSQL source) or follow the loaded ids.
 */
import pg from 'pg';
import { BackupError, type PhaseProgress, type SequenceValue } from './format.ts';
import { pgTables, qi, type PgLocation } from './postgres-export.ts';
import { cellToPgText, checkColumns, MIGRATION_LOCK, MIGRATION_TABLE, type OpenRowSource } from './row-source.ts';

const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

export interface PgLoadOptions {
  /** Backup tables in any order. */
  tables: string[];
  open: OpenRowSource;
  /** Exact values from a PostgreSQL source; absent for an SQLite source. */
  sequences?: SequenceValue[];
  /** TRUNCATE every target table first (restore --force). */
  wipe: boolean;
  progress: PhaseProgress;
}

export async function loadIntoPostgres(loc: PgLocation, opts: PgLoadOptions): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: loc.connectionString, options: `-c search_path=${loc.schema}`, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  await client.connect();
  const counts = new Map<string, number>();
  try {
    await client.query('begin');
    const target = new Map((await pgTables(client, loc.schema)).map((t) => [t.name, t]));
    const fks = (
      await client.query<{ child: string; parent: string }>(
        `select cl.relname as child, pcl.relname as parent from pg_constraint c
           join pg_class cl on cl.oid = c.conrelid join pg_class pcl on pcl.oid = c.confrelid
           join pg_namespace n on n.oid = c.connamespace
          where c.contype = 'f' and n.nspname = $1`,
        [loc.schema],
      )
    ).rows;
    if (opts.wipe) {
      const all = [...target.keys()].filter((t) => t !== MIGRATION_TABLE && t !== MIGRATION_LOCK);
      if (all.length) await client.query(`truncate ${all.map((t) => `${qi(loc.schema)}.${qi(t)}`).join(', ')} restart identity cascade`);
    }
    const tables = opts.tables.filter((t) => t !== MIGRATION_LOCK);
    for (const name of parentsFirst(tables, fks)) {
      const info = target.get(name);
      if (!info) throw new BackupError(`The backup has a table "${name}" that the target database does not have after migrating: restore with the OpenLocker version that made the backup.`);
      const source = await opts.open(name);
      const order = checkColumns(name, source.columns, info.columns.map((c) => c.name));
      const types = order.map((i) => info.columns.find((c) => c.name === source.columns[i])!.type);
      const cols = order.map((i) => qi(source.columns[i]!));
      const insert = `insert into ${qi(loc.schema)}.${qi(name)} (${cols.join(', ')}) overriding system value select ${types
        .map((t, j) => `(r->>${j})::${t}`)
        .join(', ')} from json_array_elements($1::json) as r`;
      if (name === MIGRATION_TABLE) await client.query(`delete from ${qi(loc.schema)}.${qi(name)}`);
      const selfReferencing = fks.some((f) => f.child === name && f.parent === name);
      let batch: string[] = [];
      let batchBytes = 0;
      let n = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await client.query(insert, [`[${batch.join(',')}]`]);
        batch = [];
        batchBytes = 0;
      };
      for await (const row of source.rows) {
        const json = JSON.stringify(order.map((i) => cellToPgText(row[i]!, source.encoding)));
        batch.push(json);
        batchBytes += json.length;
        n++;
        if (!selfReferencing && (batch.length >= BATCH_ROWS || batchBytes >= BATCH_BYTES)) await flush();
      }
      await flush();
      counts.set(name, n);
      opts.progress.tick(1);
    }
    await setSequences(client, loc.schema, opts.sequences);
    await client.query('commit');
    return counts;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}

async function setSequences(client: pg.Client, schema: string, exact: SequenceValue[] | undefined): Promise<void> {
  if (exact) {
    const present = new Set((await client.query<{ relname: string }>(`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'S'`, [schema])).rows.map((r) => r.relname));
    for (const s of exact) {
      if (present.has(s.name)) await client.query('select setval($1::regclass, $2::bigint, $3::boolean)', [`${qi(schema)}.${qi(s.name)}`, s.lastValue, s.isCalled]);
    }
    return;
  }
  // From SQLite: every sequence owned by a column continues after the largest loaded value.
  const owned = await client.query<{ seq: string; tbl: string; col: string }>(
    `select s.relname as seq, t.relname as tbl, a.attname as col from pg_class s
       join pg_namespace n on n.oid = s.relnamespace
       join pg_depend d on d.objid = s.oid and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
       join pg_class t on t.oid = d.refobjid
       join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where s.relkind = 'S' and n.nspname = $1`,
    [schema],
  );
  for (const o of owned.rows) {
    await client.query(
      `select setval($1::regclass, coalesce((select max(${qi(o.col)}) from ${qi(schema)}.${qi(o.tbl)}), 1), (select max(${qi(o.col)}) is not null from ${qi(schema)}.${qi(o.tbl)}))`,
      [`${qi(schema)}.${qi(o.seq)}`],
    );
  }
}

/** Orders tables so a referenced table loads before those referring to it (cycles keep their given order). */
export function parentsFirst(tables: string[], fks: Array<{ child: string; parent: string }>): string[] {
  const set = new Set(tables);
  const out: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: string) => {
    if (state.get(t)) return;
    state.set(t, 'visiting');
    for (const f of fks) if (f.child === t && f.parent !== t && set.has(f.parent) && state.get(f.parent) !== 'visiting') visit(f.parent);
    state.set(t, 'done');
    out.push(t);
  };
  for (const t of [...tables].sort()) visit(t);
  return out;
}
