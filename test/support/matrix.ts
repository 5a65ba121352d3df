/**
 * Every SQL dialect × every blob backend (SQLite/PostgreSQL × filesystem/S3), for suites
 * whose subject spans both stores (blob references and GC, backup and restore).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { BLOB_BACKENDS, openTestBlobStore, type BlobBackend, type TestBlobStore } from './blob.ts';
import { DIALECTS, openTestSqlStore, type Dialect, type TestSqlStore } from './sql.ts';

export interface Combo {
  dialect: Dialect;
  blob: BlobBackend;
}

export const COMBOS: Combo[] = DIALECTS.flatMap((dialect) => BLOB_BACKENDS.map((blob) => ({ dialect, blob })));

export interface Stores {
  sql: TestSqlStore;
  blob: TestBlobStore;
}

export function describeEachSqlAndBlob(name: string, body: (get: () => Stores, combo: Combo) => void, combos: Combo[] = COMBOS): void {
  for (const combo of combos) {
    describe(`${name} [${combo.dialect}+${combo.blob}]`, () => {
      let stores: Stores | undefined;
      beforeAll(async () => {
        stores = { sql: await openTestSqlStore(combo.dialect), blob: await openTestBlobStore(combo.blob) };
      });
      afterAll(async () => {
        await stores?.sql.dispose();
        await stores?.blob.dispose();
      });
      body(() => {
        if (!stores) throw new Error('stores not open yet');
        return stores;
      }, combo);
    });
  }
}
