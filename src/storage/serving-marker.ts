/**
 * "Is a locker serving from this database right now?" — asked by `openlocker restore`,
 * which must never replace a database under a running server (the server would go on
 * writing to the replaced file or rows, and what it acknowledged would be lost).
 *
 * - SQLite: `openlocker serve` keeps a marker file beside the database (`FILE.serving`,
 *   its pid and host) while it runs. A marker whose process is gone (kill -9) is stale and
 *   ignored; one from another host cannot be checked and is reported.
 * - PostgreSQL: the server's connections carry `application_name` "openlocker serve
 *   SCHEMA", so any instance on any host is seen in pg_stat_activity.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { DatabaseUrl } from '../config/index.ts';

export const SERVE_APPLICATION = 'openlocker serve';

/** The application_name of a serving locker's connections to `schema`. */
export function servingApplicationName(schema: string | undefined): string {
  return `${SERVE_APPLICATION} ${schema ?? 'public'}`.slice(0, 63);
}

function markerFile(dbFile: string): string {
  return `${dbFile}.serving`;
}

/** Marks a SQLite database as served by this process; returns the release. PostgreSQL needs nothing (application_name). */
export function markServing(url: DatabaseUrl): () => void {
  if (url.kind !== 'sqlite' || url.file === ':memory:') return () => {};
  const file = markerFile(url.file);
  fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }) + '\n');
  return () => {
    try {
      const now = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number };
      if (now.pid === process.pid) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A SQLite database's live marker, described (e.g. "process 1234 on this machine, since …"), or null. */
export function sqliteServingMarker(dbFile: string): string | null {
  let m: { pid?: unknown; host?: unknown; since?: unknown };
  try {
    m = JSON.parse(fs.readFileSync(markerFile(dbFile), 'utf8')) as typeof m;
  } catch {
    return null;
  }
  if (typeof m.pid !== 'number' || typeof m.host !== 'string') return null;
  const since = typeof m.since === 'string' ? `, since ${m.since}` : '';
  if (m.host !== os.hostname()) return `process ${m.pid} on ${m.host}${since} (if it has stopped, delete ${markerFile(dbFile)})`;
  return m.pid !== process.pid && alive(m.pid) ? `process ${m.pid} on this machine${since}` : null;
}
