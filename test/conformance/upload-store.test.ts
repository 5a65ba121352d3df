/**
 * The upload store's look-up by id, read on every open of a shared upload, goes through the
 * never-stale read cache on SQLite (storage/sql/read-cache.ts): a rename or a delete — here,
 * or through another connection as the CLI or a second server would make it — is seen by the
 * next read; the cached value is shared, so it is frozen. On PostgreSQL every read queries.
 */
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock.ts';
import { sqlUploads } from '../../src/storage/sql/repositories/uploads.ts';
import { describeEachDialect, nextRequest, openAnotherConnection } from '../support/sql.ts';

describeEachDialect('upload store (cached look-up)', (get, dialect) => {
  const repo = () => sqlUploads(get(), { blobs: { exists: async () => true }, clock: systemClock });

  async function newUpload() {
    const u = { id: crypto.randomUUID(), accountId: crypto.randomUUID(), folderId: null, name: 'Marksheet.pdf', doctype: null, mime: 'application/pdf', size: 10, sha256: 'ab'.repeat(32), blobKey: crypto.randomBytes(32).toString('hex'), at: new Date().toISOString() };
    expect(await repo().insert(u, 1 << 30)).toBe(true);
    return u;
  }

  it('sees a rename and a delete made here at once, and only answers for the owner', async () => {
    const r = repo();
    const u = await newUpload();
    expect(await r.get(u.accountId, u.id)).toMatchObject({ id: u.id, name: 'Marksheet.pdf' });
    expect(await r.get(crypto.randomUUID(), u.id)).toBeNull();
    await r.update(u.accountId, u.id, { name: 'Renamed.pdf' }, new Date().toISOString());
    expect(await r.get(u.accountId, u.id)).toMatchObject({ name: 'Renamed.pdf' });
    await r.delete(u.accountId, u.id);
    expect(await r.get(u.accountId, u.id)).toBeNull();
  });

  it('sees a write made through another connection to the same database by the next request', async () => {
    const r = repo();
    const u = await newUpload();
    const first = await r.get(u.accountId, u.id);
    expect(first?.name).toBe('Marksheet.pdf');
    if (dialect === 'sqlite') {
      expect(() => {
        (first as { name: string }).name = 'changed';
      }).toThrow(TypeError);
    }
    const other = await openAnotherConnection(get() as never);
    try {
      await other.db.updateTable('uploads').set({ name: 'Elsewhere.pdf' }).where('id', '=', u.id).execute();
      await nextRequest(get());
      expect((await r.get(u.accountId, u.id))?.name).toBe('Elsewhere.pdf');
      await other.db.deleteFrom('uploads').where('id', '=', u.id).execute();
      await nextRequest(get());
      expect(await r.get(u.accountId, u.id)).toBeNull();
    } finally {
      await other.close();
    }
  });
});
