import { sql } from 'kysely';
import { windowStart, type CounterHit, type CounterStore } from '../../../domain/limits/ports.ts';
import type { SqlStore } from '../database.ts';

/**
 * CounterStore on the SQL store. One upsert per hit: the row's count grows while the
 * window is the same and restarts at 1 in a new window. The upsert is a single statement,
 * so concurrent hits serialise on the row (PostgreSQL) or on the database (SQLite) and
 * never lose a count.
 */
export function sqlCounterStore({ db }: SqlStore): CounterStore {
  return {
    async hit(key, windowMs, nowMs): Promise<CounterHit> {
      const start = windowStart(nowMs, windowMs);
      const expires = start + windowMs;
      const row = await db
        .insertInto('counters')
        .values({ key, window_start: start, count: 1, expires_at: expires })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql`case when counters.window_start = ${start} then counters.count + 1 else 1 end`,
            window_start: start,
            expires_at: expires,
          }),
        )
        .returning(['count'])
        .executeTakeFirstOrThrow();
      return { count: Number(row.count), resetInMs: expires - nowMs };
    },
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
