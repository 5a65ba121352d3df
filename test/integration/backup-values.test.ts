/**
 * The logical database format is exact for any table a module may add, not only ours:
 * PostgreSQL → PostgreSQL keeps every type (bytea, numeric, timestamptz, jsonb, arrays,
 * enums, intervals, NaN/Infinity, bigints past 2^53, Unicode text) and identity sequences,
 * and loads a self-referencing table whose children come before their parents. SQLite →
 * PostgreSQL keeps integers past 2^53, bytes and reals.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../../src/storage/backup/format.ts';
import { exportPostgres, pgLocation, type PgLocation } from '../../src/storage/backup/postgres-export.ts';
import { loadIntoPostgres } from '../../src/storage/backup/postgres-import.ts';
import { jsonlSources, pgTextToSqlite, sqliteSnapshotSources } from '../../src/storage/backup/row-source.ts';
import { withDefaultUser } from '../../src/storage/sql/database.ts';
import { TEST_PG_URL } from '../support/services.ts';
import { dropSchema } from '../support/sql.ts';

const phase = silentProgress.phase('t', 0, 't');
let admin: pg.Client;
const schemas: string[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  admin = new pg.Client({ connectionString: withDefaultUser(TEST_PG_URL) });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  for (const s of schemas) await dropSchema(s);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A schema with a module's "own" tables, created the same way in source and target. */
async function schemaWithTables(): Promise<PgLocation> {
  const schema = `t_${crypto.randomBytes(5).toString('hex')}`;
  schemas.push(schema);
  await admin.query(`create schema ${schema}`);
  await admin.query(`create type ${schema}.doc_state as enum ('issued', 'revoked')`);
  await admin.query(`create table ${schema}.exotic (
    id bigint generated always as identity primary key,
    big bigint, n numeric(40, 12), f double precision, r real,
    ts timestamptz, d date, iv interval, j jsonb, js json, arr text[], nums int[],
    b bytea, flag boolean, u uuid, t text, state ${schema}.doc_state)`);
  await admin.query(`create table ${schema}.tree (id integer primary key, parent_id integer references ${schema}.tree (id), label text)`);
  return pgLocation(`${TEST_PG_URL}?schema=${schema}`, 'test');
}

async function rowsAsText(loc: PgLocation, table: string): Promise<string[]> {
  const r = await admin.query<{ row: string }>(`select row_to_json(x)::text as row from ${loc.schema}.${table} x order by id`);
  return r.rows.map((x) => x.row);
}

describe('PostgreSQL → PostgreSQL value fidelity', () => {
  it('every type, identity sequences, and a self-referencing table in any order', async () => {
    const src = await schemaWithTables();
    await admin.query(`insert into ${src.schema}.exotic (big, n, f, r, ts, d, iv, j, js, arr, nums, b, flag, u, t, state) values
      (9007199254740993, 12345678901234567890.123456789012, 'NaN', 'Infinity', '2026-01-15 10:00:00.123456+05:30', '2028-02-29', '1 year 2 mons 3 days 04:05:06.789',
       '{"a": [1, 2.5, null], "हिंदी": "पाठ"}', '{ "spaces" :  "kept" }', array['a', 'b,c', null, 'd"e'], array[1, null, -3],
       '\\x00ff10deadbeef'::bytea, true, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', E'नमस्ते 🙏\\nline "two" \\\\ back', 'revoked'),
      (-9223372036854775808, -0.000000000001, -0.0, '-Infinity', 'infinity', '0001-01-01', '-1 day', 'null', '[]', '{}', null, ''::bytea, false, null, '', 'issued'),
      (null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)`);
    // A chain longer than one load batch (1000 rows): 1 ← 2 ← 3 ← … ← 1500.
    await admin.query(`insert into ${src.schema}.tree select i, nullif(i - 1, 0), 'node ' || i from generate_series(1, 1500) as i`);
    // Rewriting the root moves its row after its descendants in the table's physical order.
    await admin.query(`update ${src.schema}.tree set label = 'root (renamed)' where id = 1`);
    await admin.query(`delete from ${src.schema}.exotic where id = 3`);
    await admin.query(`insert into ${src.schema}.exotic (t) values ('after a gap')`);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-values-'));
    dirs.push(dir);
    const exp = await exportPostgres(src, dir, phase);
    expect(exp.tables).toEqual([
      { name: 'exotic', rows: 3 },
      { name: 'tree', rows: 1500 },
    ]);
    const treeFile = fs.readFileSync(path.join(dir, 'database/tables/tree.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(treeFile.at(-1)!)).toEqual(['1', null, 'root (renamed)']);

    const dst = await schemaWithTables();
    const counts = await loadIntoPostgres(dst, { tables: ['tree', 'exotic'], open: jsonlSources(dir), sequences: exp.sequences, wipe: false, progress: phase });
    expect(Object.fromEntries(counts)).toEqual({ exotic: 3, tree: 1500 });
    expect(await rowsAsText(dst, 'exotic')).toEqual(await rowsAsText(src, 'exotic'));
    expect(await rowsAsText(dst, 'tree')).toEqual(await rowsAsText(src, 'tree'));
    // The identity sequence continues where the source's would.
    const next = async (loc: PgLocation) => (await admin.query<{ id: string }>(`insert into ${loc.schema}.exotic (t) values ('next') returning id`)).rows[0]!.id;
    expect(await next(dst)).toBe(await next(src));
  });
});

describe('SQLite → PostgreSQL and PostgreSQL → SQLite values', () => {
  it('integers past 2^53, bytes, reals and text survive SQLite → PostgreSQL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-values-'));
    dirs.push(dir);
    const file = path.join(dir, 'snap.sqlite');
    const db = new SQLite(file);
    db.exec('create table exotic (id integer primary key, big integer, f real, b blob, t text)');
    db.prepare('insert into exotic values (?, ?, ?, ?, ?)').run(1, 9007199254740993n, 0.1, Buffer.from([0, 255, 16]), 'नमस्ते');
    db.prepare('insert into exotic values (?, ?, ?, ?, ?)').run(2, -9223372036854775808n, -1.5e300, Buffer.alloc(0), null);
    db.close();
    const schema = `t_${crypto.randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    await admin.query(`create schema ${schema}; create table ${schema}.exotic (id integer primary key, big bigint, f double precision, b bytea, t text)`);
    const src = sqliteSnapshotSources(file);
    try {
      await loadIntoPostgres(pgLocation(`${TEST_PG_URL}?schema=${schema}`, 'test'), { tables: src.tables, open: src.open, wipe: false, progress: phase });
    } finally {
      src.close();
    }
    const rows = (await admin.query(`select id, big::text, f::text, encode(b, 'hex') as b, t from ${schema}.exotic order by id`)).rows;
    expect(rows).toEqual([
      { id: 1, big: '9007199254740993', f: '0.1', b: '00ff10', t: 'नमस्ते' },
      { id: 2, big: '-9223372036854775808', f: '-1.5e+300', b: '', t: null },
    ]);
  });

  it('PostgreSQL text values become SQLite values by column type', () => {
    expect(pgTextToSqlite('9007199254740993', 'bigint')).toBe(9007199254740993n);
    expect(pgTextToSqlite('42', 'integer')).toBe(42);
    expect(pgTextToSqlite('\\x00ff', 'bytea')).toEqual(Buffer.from([0, 255]));
    expect(pgTextToSqlite('t', 'boolean')).toBe(1);
    expect(pgTextToSqlite('0.1', 'double precision')).toBe(0.1);
    expect(pgTextToSqlite('2026-01-15T10:00:00.000Z', 'text')).toBe('2026-01-15T10:00:00.000Z');
    expect(pgTextToSqlite(null, 'bigint')).toBeNull();
  });
});
