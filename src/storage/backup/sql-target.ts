/** What the restore target's database holds: which tables have rows, which migrations ran. */
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import type { DatabaseUrl } from '../../config/index.ts';
import { pgLocation, pgTables, qi, rawTextClient } from './postgres-export.ts';
import { MIGRATION_LOCK, MIGRATION_TABLE } from './row-source.ts';
import { userTables } from './sqlite-snapshot.ts';
import { servingApplicationName, sqliteServingMarker } from '../serving-marker.ts';

export interface TargetDbState {
  /** Tables (other than the migration bookkeeping) holding at least one row. */
  nonEmpty: string[];
  /** Migrations already applied in the target, in order. */
  migrations: string[];
  /** A locker serving from this database now, described; null when none. */
  serving: string | null;
}

export async function inspectTargetDb(url: DatabaseUrl): Promise<TargetDbState> {
  if (url.kind === 'sqlite') {
    if (url.file === ':memory:') return { nonEmpty: [], migrations: [], serving: null };
    const serving = sqliteServingMarker(url.file);
    if (!fs.existsSync(url.file)) return { nonEmpty: [], migrations: [], serving };
    const db = new SQLite(url.file, { fileMustExist: true, timeout: 5000 });
    try {
      const tables = userTables(db);
      const nonEmpty = tables.filter((t) => t !== MIGRATION_TABLE && t !== MIGRATION_LOCK && db.prepare(`select 1 from "${t.replace(/"/g, '""')}" limit 1`).get() !== undefined);
      const migrations = tables.includes(MIGRATION_TABLE) ? (db.prepare(`select name from ${MIGRATION_TABLE} order by name`).all() as Array<{ name: string }>).map((r) => r.name) : [];
      return { nonEmpty, migrations, serving };
    } finally {
      db.close();
    }
  }
  const loc = pgLocation(url.url, url.display);
  const client = await rawTextClient(loc);
  try {
    const tables = (await pgTables(client, loc.schema)).map((t) => t.name);
    const nonEmpty: string[] = [];
    for (const t of tables) {
      if (t === MIGRATION_TABLE || t === MIGRATION_LOCK) continue;
      const r = await client.query(`select 1 from ${qi(loc.schema)}.${qi(t)} limit 1`);
      if (r.rows.length) nonEmpty.push(t);
    }
    const migrations = tables.includes(MIGRATION_TABLE) ? (await client.query<{ name: string }>(`select name from ${qi(loc.schema)}.${MIGRATION_TABLE} order by name`)).rows.map((r) => r.name) : [];
    const live = await client.query<{ n: string; hosts: string | null }>(
      "select count(*)::text as n, string_agg(distinct coalesce(host(client_addr), 'local'), ', ') as hosts from pg_stat_activity where datname = current_database() and application_name = $1",
      [servingApplicationName(loc.schema === 'public' ? undefined : loc.schema)],
    );
    const n = Number(live.rows[0]?.n ?? 0);
    return { nonEmpty, migrations, serving: n > 0 ? `${n} connection(s) of a serving locker (from ${live.rows[0]?.hosts ?? 'unknown'})` : null };
  } finally {
    await client.end().catch(() => {});
  }
}
