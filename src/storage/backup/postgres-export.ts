/**
 * Logical export of a PostgreSQL schema, generic over every table in it (other modules add
 * tables; nothing here names them): one REPEATABLE READ READ ONLY transaction, so every
 * table, sequence and the migration list come from the same snapshot, while the locker keeps
 * writing. Values travel in PostgreSQL's own text form (the type's output function), which
 * its input function reads back exactly — bytea as \x hex, timestamps with their zone,
 * numerics in full, arrays, JSON — so a restore into PostgreSQL is row-identical.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { withDefaultUser } from '../sql/database.ts';
import type { ExcludedRow } from './sqlite-snapshot.ts';
import { BackupError, tableFile, type PhaseProgress, type SequenceValue, type TableSummary } from './format.ts';

export interface PgLocation {
  connectionString: string;
  schema: string;
  display: string;
}

/** DATABASE_URL (with our optional `?schema=NAME`) → where to connect and which schema. */
export function pgLocation(url: string, display: string, schemaOverride?: string): PgLocation {
  const u = new URL(url);
  const schema = schemaOverride ?? u.searchParams.get('schema') ?? 'public';
  u.searchParams.delete('schema');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new BackupError(`The schema name "${schema}" may contain only lower-case letters, digits and _.`);
  return { connectionString: withDefaultUser(u.toString()), schema, display };
}

/** A client that returns every value as PostgreSQL's text form (no JS conversion). */
export async function rawTextClient(loc: PgLocation): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: loc.connectionString,
    types: { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig,
    options: `-c search_path=${loc.schema}`,
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export const qi = (id: string) => `"${id.replace(/"/g, '""')}"`;

export interface PgColumn {
  name: string;
  type: string;
}

export interface PgTableInfo {
  name: string;
  columns: PgColumn[];
}

/** Tables of `schema` (partitions are read through their parent), columns in order, generated columns left out. */
export async function pgTables(client: pg.Client | pg.PoolClient, schema: string): Promise<PgTableInfo[]> {
  const tables = await client.query<{ oid: string; relname: string }>(
    `select c.oid::text as oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition order by c.relname`,
    [schema],
  );
  const out: PgTableInfo[] = [];
  for (const t of tables.rows) {
    const cols = await client.query<{ attname: string; type: string }>(
      `select a.attname, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
        where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '' order by a.attnum`,
      [t.oid],
    );
    out.push({ name: t.relname, columns: cols.rows.map((c) => ({ name: c.attname, type: c.type })) });
  }
  return out;
}

export async function pgSequences(client: pg.Client | pg.PoolClient, schema: string): Promise<SequenceValue[]> {
  const seqs = await client.query<{ relname: string }>(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'S' order by c.relname`,
    [schema],
  );
  const out: SequenceValue[] = [];
  for (const s of seqs.rows) {
    const v = await client.query<{ last_value: string; is_called: string }>(`select last_value, is_called from ${qi(schema)}.${qi(s.relname)}`);
    out.push({ name: s.relname, lastValue: String(v.rows[0]!.last_value), isCalled: String(v.rows[0]!.is_called) === 't' || String(v.rows[0]!.is_called) === 'true' });
  }
  return out;
}

export interface PgExport {
  tables: TableSummary[];
  sequences: SequenceValue[];
  migrations: string[];
  referencedBlobs: string[];
}

export async function exportPostgres(loc: PgLocation, destDir: string, progress: PhaseProgress, exclude?: ExcludedRow): Promise<PgExport> {
  const client = await rawTextClient(loc);
  try {
    await client.query('begin isolation level repeatable read read only');
    const tables = await pgTables(client, loc.schema);
    if (tables.length === 0) throw new BackupError(`The database ${loc.display} has no tables in schema "${loc.schema}": nothing to back up (check DATABASE_URL).`);
    progress.setTotal(tables.length);
    const summaries: TableSummary[] = [];
    for (const t of tables) {
      const skip = exclude?.table === t.name && t.columns.some((c) => c.name === exclude.column) ? exclude : undefined;
      summaries.push({ name: t.name, rows: await exportTable(client, loc.schema, t, path.join(destDir, tableFile(t.name)), skip) });
      progress.tick(1);
    }
    const sequences = await pgSequences(client, loc.schema);
    const names = new Set(tables.map((t) => t.name));
    const migrations = names.has('kysely_migration') ? (await client.query<{ name: string }>('select name from kysely_migration order by name')).rows.map((r) => r.name) : [];
    const referencedBlobs = names.has('blob_refs') ? (await client.query<{ blob_key: string }>('select distinct blob_key from blob_refs')).rows.map((r) => r.blob_key) : [];
    await client.query('commit');
    return { tables: summaries, sequences, migrations, referencedBlobs };
  } finally {
    await client.end().catch(() => {});
  }
}

async function exportTable(client: pg.Client, schema: string, t: PgTableInfo, file: string, exclude?: ExcludedRow): Promise<number> {
  await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  let rows = 0;
  try {
    await write(JSON.stringify({ table: t.name, columns: t.columns }) + '\n');
    if (t.columns.length > 0) {
      const cursor = `c_${rows}_${Date.now()}`;
      const where = exclude ? ` where ${qi(exclude.column)} is distinct from $1` : '';
      await client.query(`declare ${cursor} no scroll cursor for select ${t.columns.map((c) => qi(c.name)).join(', ')} from ${qi(schema)}.${qi(t.name)}${where}`, exclude ? [exclude.value] : []);
      for (;;) {
        const batch = await client.query<unknown[]>({ text: `fetch 1000 from ${cursor}`, rowMode: 'array' });
        if (batch.rows.length === 0) break;
        for (const row of batch.rows) await write(JSON.stringify(row) + '\n');
        rows += batch.rows.length;
      }
      await client.query(`close ${cursor}`);
    } else {
      rows = Number((await client.query<{ n: string }>(`select count(*) as n from ${qi(schema)}.${qi(t.name)}`)).rows[0]!.n);
    }
    out.end();
    await once(out, 'finish');
  } catch (err) {
    out.destroy();
    throw err;
  }
  const fd = await fsp.open(file, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
  return rows;
}

export interface JsonlTable {
  table: string;
  columns: PgColumn[];
  rows: AsyncIterable<Array<string | null>>;
}

/** Reads a table file written by `exportPostgres`. */
export async function readJsonlTable(file: string): Promise<JsonlTable> {
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new BackupError(`${path.basename(file)} is empty: the backup is damaged.`);
  const header = JSON.parse(first.value) as { table: string; columns: PgColumn[] };
  if (typeof header.table !== 'string' || !Array.isArray(header.columns)) throw new BackupError(`${path.basename(file)} has no valid header.`);
  const width = header.columns.length;
  return {
    table: header.table,
    columns: header.columns,
    rows: (async function* () {
      for (;;) {
        const next = await lines.next();
        if (next.done) return;
        const row = JSON.parse(next.value) as Array<string | null>;
        if (!Array.isArray(row) || (width > 0 && row.length !== width)) throw new BackupError(`${path.basename(file)} has a malformed row.`);
        yield row;
      }
    })(),
  };
}
