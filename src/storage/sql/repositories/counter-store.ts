import { sql } from 'kysely';
import { windowStart, type CounterHit, type CounterStore } from '../../../domain/limits/ports.ts';
import type { SqlStore } from '../database.ts';
import { sharedGroupCommit } from '../group-commit.ts';

/**
 * CounterStore on the SQL store. One upsert per hit: the row's count grows while the
 * window is the same and restarts at 1 in a new window. The upsert is a single statement,
 * so concurrent hits serialise on the row (PostgreSQL) or on the database (SQLite) and
 * never lose a count. Hits are group-committed (../group-commit.ts): those made while a
 * batch is written share one transaction — a rate-limited route under load pays one commit
 * per batch, not one per request — upserted in key order (then call order), so two
 * processes' batches take their row locks in the same order and cannot deadlock.
 */
export function sqlCounterStore({ db }: SqlStore): CounterStore {
  type Hit = { key: string; windowMs: number; nowMs: number };
  const upsert = async (q: SqlStore['db'], h: Hit): Promise<CounterHit> => {
    const start = windowStart(h.nowMs, h.windowMs);
    const expires = start + h.windowMs;
    const row = await q
      .insertInto('counters')
      .values({ key: h.key, window_start: start, count: 1, expires_at: expires })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          count: sql`case when counters.window_start = ${start} then counters.count + 1 else 1 end`,
          window_start: start,
          expires_at: expires,
        }),
      )
      .returning(['count'])
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), resetInMs: expires - h.nowMs };
  };
  const hit = sharedGroupCommit(db, async (batch: Hit[], q) => {
    // Array#sort is stable: equal keys keep their call order.
    const order = batch.map((h, i) => ({ h, i })).sort((a, b) => (a.h.key < b.h.key ? -1 : a.h.key > b.h.key ? 1 : 0));
    const out: CounterHit[] = new Array(batch.length);
    for (const { h, i } of order) out[i] = await upsert(q, h);
    return out;
  });
  return {
    hit: (key, windowMs, nowMs) => hit({ key, windowMs, nowMs }),
    async peek(key, windowMs, nowMs) {
      const row = await db
        .selectFrom('counters')
        .select('count')
        .where('key', '=', key)
        .where('window_start', '=', windowStart(nowMs, windowMs))
        .executeTakeFirst();
      return row ? Number(row.count) : 0;
    },
    async reset(key) {
      await db.deleteFrom('counters').where('key', '=', key).execute();
    },
    async sweep(nowMs) {
      const r = await db.deleteFrom('counters').where('expires_at', '<=', nowMs).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
