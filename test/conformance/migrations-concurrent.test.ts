/**
 * Migrating a PostgreSQL schema while other schemas in the same database are being dropped
 * (other lockers, other test runs on a shared server). Kysely's migrator introspects every
 * schema; without the retry in database.ts this fails with `schema "…" does not exist`
 * naming a schema that is not even ours.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest, openSqlStore, withDefaultUser } from '../../src/storage/sql/database.ts';
import { migrationsFor } from '../../src/storage/sql/migrations/index.ts';
import { TEST_PG_URL } from '../support/services.ts';
import { dropSchema } from '../support/sql.ts';

let admin: pg.Client;
beforeAll(async () => {
  admin = new pg.Client({ connectionString: withDefaultUser(TEST_PG_URL) });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
});

it('succeeds while other schemas are dropped concurrently', async () => {
  for (let round = 0; round < 3; round++) {
    const junk = Array.from({ length: 30 }, () => `t_junk_${crypto.randomBytes(5).toString('hex')}`);
    for (const j of junk) await admin.query(`create schema ${j}; create table ${j}.x (a int)`);
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const store = await openSqlStore({ kind: 'postgres', url: TEST_PG_URL, display: TEST_PG_URL }, { schema });
    try {
      const dropping = (async () => {
        for (const j of junk) await admin.query(`drop schema ${j} cascade`);
      })();
      const result = await migrateToLatest(store);
      await dropping;
      expect(result.results?.map((r) => r.migrationName)).toEqual(Object.keys(migrationsFor(store.caps)));
    } finally {
      await store.close();
      await dropSchema(schema);
      for (const j of junk) await admin.query(`drop schema if exists ${j} cascade`);
    }
  }
});
