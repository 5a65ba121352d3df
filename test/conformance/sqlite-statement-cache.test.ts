/** The SQLite store caches prepared statements: same SQL, same statement; bounded; still correct after a schema change. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/storage/sql/database.ts';

describe('SQLite statement cache', () => {
  it('reuses statements by SQL text, evicts the least recently used, and survives schema changes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-stmt-'));
    const raw = new SQLite(path.join(dir, 'x.db'));
    try {
      const db = withStatementCache(raw, 2);
      db.exec('create table t (a integer)');
      const s1 = db.prepare('select * from t');
      expect(db.prepare('select * from t')).toBe(s1);
      db.prepare('select 1');
      db.prepare('select * from t'); // touch: now most recent
      db.prepare('select 2'); // evicts `select 1`
      expect(db.prepare('select * from t')).toBe(s1);
      expect(db.prepare('select 1')).not.toBe(undefined);
      db.prepare('insert into t values (1)').run();
      db.exec('alter table t add column b text');
      db.prepare('insert into t (a, b) values (2, ?)').run('x');
      expect(db.prepare('select * from t order by a').all()).toEqual([{ a: 1, b: null }, { a: 2, b: 'x' }]);
    } finally {
      raw.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
