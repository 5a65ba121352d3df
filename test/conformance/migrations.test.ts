/** Migrations run on both dialects, are idempotent, and leave the same tables behind. */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../src/storage/sql/database.ts';
import { migrationsFor } from '../../src/storage/sql/migrations/index.ts';
import { describeEachDialect } from '../support/sql.ts';

describeEachDialect('migrations', (get) => {
  it('reach the latest version and running them again changes nothing', async () => {
    const again = await migrateToLatest(get());
    expect(again.results).toEqual([]);
    const names = Object.keys(migrationsFor(get().caps));
    const applied = await get()
      .db.withSchema(get().schema ?? (get().caps.name === 'postgres' ? 'public' : 'main')).selectFrom('kysely_migration' as never)
      .select(sql<string>`name`.as('name'))
      .execute();
    expect(applied.map((r) => r.name)).toEqual(names);
  });

  it('migration names sort in the order they are listed', () => {
    const names = Object.keys(migrationsFor(get().caps));
    expect([...names].sort()).toEqual(names);
  });
});
