/**
 * BlobReferences + the collector, on every dialect × blob backend: references are counted
 * exactly under concurrency, a blob survives its grace period and goes after it, the race
 * "A drops the last reference while B has just put the same content" never loses B's blob,
 * a committed reference never names a missing blob whatever the timing, holds pause
 * deletion, untracked blobs are left alone unless asked, and abandoned temp writes go.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { BlobGoneError, type BlobReferences } from '../../src/domain/blobs/ports.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { sqlBlobReferences } from '../../src/storage/sql/repositories/blob-references.ts';
import { streamToBuffer } from '../support/bytes.ts';
import { describeEachSqlAndBlob, type Stores } from '../support/matrix.ts';

const DAY = 86_400_000;
const GRACE = DAY;

function repo(s: Stores, clock: ManualClock): BlobReferences {
  return sqlBlobReferences(s.sql, { blobs: s.blob.blobs, raw: s.blob.raw, clock, graceMs: GRACE });
}

const put = async (s: Stores, data: Buffer) => s.blob.blobs.put(Readable.from([data]));
const owner = (id: string) => ({ ownerKind: 'upload', ownerId: id });
const uid = () => crypto.randomBytes(6).toString('hex');

/** Every committed reference names a blob that is stored (the invariant the design guarantees). */
async function danglingRefs(s: Stores): Promise<string[]> {
  const keys = await s.sql.db.selectFrom('blob_refs').select('blob_key').distinct().execute();
  const missing: string[] = [];
  for (const { blob_key } of keys) if (!(await s.blob.blobs.exists(blob_key))) missing.push(blob_key);
  return missing;
}

describeEachSqlAndBlob('BlobReferences', (get) => {
  it('adds and removes references idempotently and reports the last one', async () => {
    const s = get();
    const refs = repo(s, new ManualClock());
    const { key, size } = await put(s, crypto.randomBytes(3000));
    const a = owner(uid());
    const b = owner(uid());
    expect(await refs.addBlobRef({ ...a, blobKey: key, size })).toEqual({ created: true });
    expect(await refs.addBlobRef({ ...a, blobKey: key, size })).toEqual({ created: false });
    expect(await refs.addBlobRef({ ...b, blobKey: key, size })).toEqual({ created: true });
    expect(await refs.countRefs(key)).toBe(2);
    expect(await refs.refsOf(a)).toEqual([expect.objectContaining({ ...a, blobKey: key, size })]);
    expect(await refs.removeBlobRef({ ...a, blobKey: key })).toEqual({ removed: true, lastReference: false });
    expect(await refs.removeBlobRef({ ...a, blobKey: key })).toEqual({ removed: false, lastReference: false });
    expect(await refs.removeBlobRef({ ...b, blobKey: key })).toEqual({ removed: true, lastReference: true });
    expect(await refs.countRefs(key)).toBe(0);
    expect(await refs.removeBlobRef({ ...owner(uid()), blobKey: 'f'.repeat(64) })).toEqual({ removed: false, lastReference: false });
  });

  it('refuses malformed references with invalid_blob_ref', async () => {
    const refs = repo(get(), new ManualClock());
    const key = 'a'.repeat(64);
    for (const bad of [
      { ownerKind: 'Upload', ownerId: 'x', blobKey: key, size: 1 },
      { ownerKind: 'upload', ownerId: '', blobKey: key, size: 1 },
      { ownerKind: 'upload', ownerId: 'x', blobKey: '../etc/passwd', size: 1 },
      { ownerKind: 'upload', ownerId: 'x', blobKey: key, size: -1 },
      { ownerKind: 'upload', ownerId: 'x', blobKey: key, size: 1.5 },
    ]) {
      await expect(refs.addBlobRef(bad)).rejects.toMatchObject({ code: 'invalid_blob_ref', kind: 'invalid' });
    }
  });

  it('counts exactly under concurrent adds and removes; exactly one remover sees the last reference', async () => {
    const s = get();
    const refs = repo(s, new ManualClock());
    const { key, size } = await put(s, crypto.randomBytes(1000));
    const owners = Array.from({ length: 16 }, () => owner(uid()));
    const added = await Promise.all(owners.map((o) => refs.addBlobRef({ ...o, blobKey: key, size })));
    expect(added.every((r) => r.created)).toBe(true);
    expect(await refs.countRefs(key)).toBe(16);
    const row = await s.sql.db.selectFrom('blob_objects').selectAll().where('blob_key', '=', key).executeTakeFirstOrThrow();
    expect(Number(row.ref_count)).toBe(16);
    const removed = await Promise.all(owners.map((o) => refs.removeBlobRef({ ...o, blobKey: key })));
    expect(removed.filter((r) => r.lastReference)).toHaveLength(1);
    const after = await s.sql.db.selectFrom('blob_objects').selectAll().where('blob_key', '=', key).executeTakeFirstOrThrow();
    expect(Number(after.ref_count)).toBe(0);
    expect(after.unreferenced_since).not.toBeNull();
  });

  it('removeBlobRefsOf drops every reference of one owner', async () => {
    const s = get();
    const refs = repo(s, new ManualClock());
    const o = owner(uid());
    const blobs = await Promise.all([put(s, crypto.randomBytes(10)), put(s, crypto.randomBytes(20))]);
    for (const b of blobs) await refs.addBlobRef({ ...o, blobKey: b.key, size: b.size });
    expect(await refs.removeBlobRefsOf(o)).toBe(2);
    expect(await refs.refsOf(o)).toEqual([]);
    expect(await refs.removeBlobRefsOf(o)).toBe(0);
  });
});

describeEachSqlAndBlob('blob garbage collection', (get) => {
  it('keeps an unreferenced blob for the grace period, then deletes it', async () => {
    const s = get();
    const clock = new ManualClock('2026-03-01T00:00:00Z');
    const refs = repo(s, clock);
    const { key, size } = await put(s, crypto.randomBytes(5000));
    const o = owner(uid());
    await refs.addBlobRef({ ...o, blobKey: key, size });
    await refs.removeBlobRef({ ...o, blobKey: key });
    const released = clock.now().getTime();

    const early = await refs.collectGarbage(new Date(released + GRACE - 1));
    expect(await s.blob.blobs.exists(key)).toBe(true);
    expect(early.inGracePeriod).toBeGreaterThanOrEqual(1);

    const dry = await refs.collectGarbage(new Date(released + GRACE), { dryRun: true });
    expect(dry.deleted).toBeGreaterThanOrEqual(1);
    expect(await s.blob.blobs.exists(key)).toBe(true);

    const due = await refs.collectGarbage(new Date(released + GRACE));
    expect(due.deleted).toBeGreaterThanOrEqual(1);
    expect(due.deletedBytes).toBeGreaterThanOrEqual(size);
    expect(await s.blob.blobs.exists(key)).toBe(false);
    expect(await s.sql.db.selectFrom('blob_objects').select('blob_key').where('blob_key', '=', key).executeTakeFirst()).toBeUndefined();
  });

  it('a new reference within the grace period keeps the blob for good', async () => {
    const s = get();
    const clock = new ManualClock('2026-03-02T00:00:00Z');
    const refs = repo(s, clock);
    const { key, size } = await put(s, crypto.randomBytes(700));
    const a = owner(uid());
    await refs.addBlobRef({ ...a, blobKey: key, size });
    await refs.removeBlobRef({ ...a, blobKey: key });
    clock.advance(GRACE - 1000);
    await refs.addBlobRef({ ...owner(uid()), blobKey: key, size });
    await refs.collectGarbage(new Date(clock.now().getTime() + 30 * DAY));
    expect(await s.blob.blobs.exists(key)).toBe(true);
  });

  it('race: A drops the last reference while B puts the same content and references it — B never loses its blob', async () => {
    const s = get();
    const clock = new ManualClock('2026-03-03T00:00:00Z');
    const refs = repo(s, clock);
    for (let round = 0; round < 12; round++) {
      const data = crypto.randomBytes(2000 + round);
      const first = await put(s, data);
      const a = owner(`a-${uid()}`);
      const b = owner(`b-${uid()}`);
      await refs.addBlobRef({ ...a, blobKey: first.key, size: first.size });
      clock.advance(GRACE / 2);
      const jitter = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 4)));
      const [, bResult] = await Promise.all([
        (async () => {
          await jitter();
          await refs.removeBlobRef({ ...a, blobKey: first.key });
        })(),
        (async () => {
          await jitter();
          const again = await put(s, data);
          expect(again.key).toBe(first.key);
          await jitter();
          return refs.addBlobRef({ ...b, blobKey: again.key, size: again.size });
        })(),
        // Collectors running at the same moment (and a little later) must not take it.
        (async () => {
          await jitter();
          await refs.collectGarbage(clock.now());
          await refs.collectGarbage(new Date(clock.now().getTime() + GRACE / 4));
        })(),
      ]);
      expect(bResult.created).toBe(true);
      expect(await refs.countRefs(first.key)).toBe(1);
      expect((await streamToBuffer(await s.blob.blobs.get(first.key))).equals(data)).toBe(true);
    }
    expect(await danglingRefs(s)).toEqual([]);
  });

  it('whatever the timing, a committed reference never names a missing blob (collector always past the grace period)', async () => {
    const s = get();
    const clock = new ManualClock('2026-03-04T00:00:00Z');
    const refs = repo(s, clock);
    const contents = Array.from({ length: 4 }, () => crypto.randomBytes(1500));
    let gone = 0;
    let committed = 0;
    for (let round = 0; round < 8; round++) {
      const ops = contents.flatMap((data, i) => [
        (async () => {
          const p = await put(s, data);
          try {
            await refs.addBlobRef({ ...owner(`w-${round}-${i}`), blobKey: p.key, size: p.size });
            committed++;
          } catch (err) {
            if (!(err instanceof BlobGoneError)) throw err;
            gone++;
          }
        })(),
        (async () => {
          const rows = await s.sql.db.selectFrom('blob_refs').select(['owner_kind', 'owner_id', 'blob_key']).where('owner_id', 'like', `w-${round - 1}-%`).execute();
          for (const r of rows) await refs.removeBlobRef({ ownerKind: r.owner_kind, ownerId: r.owner_id, blobKey: r.blob_key });
        })(),
      ]);
      // Collectors far past every grace period: they delete whatever is unreferenced right now.
      ops.push(refs.collectGarbage(new Date(clock.now().getTime() + 10 * GRACE)).then(() => undefined));
      ops.push(refs.collectGarbage(new Date(clock.now().getTime() + 10 * GRACE)).then(() => undefined));
      await Promise.all(ops);
      expect(await danglingRefs(s)).toEqual([]);
    }
    expect(committed + gone).toBe(8 * contents.length);
    expect(committed).toBeGreaterThan(0);
  });

  it('the writer that loses (blob deleted between its put and its reference) gets BlobGoneError, commits nothing, and succeeds after putting again', async () => {
    const s = get();
    const clock = new ManualClock('2026-03-05T00:00:00Z');
    const refs = repo(s, clock);
    const data = crypto.randomBytes(900);
    const p = await put(s, data);
    const a = owner(uid());
    await refs.addBlobRef({ ...a, blobKey: p.key, size: p.size });
    await refs.removeBlobRef({ ...a, blobKey: p.key });
    // B's put finds the content still stored…
    const b = owner(uid());
    const again = await put(s, data);
    expect(again.created).toBe(false);
    // …and the collector, a whole grace period later, deletes it before B's reference.
    await refs.collectGarbage(new Date(clock.now().getTime() + GRACE + 1));
    expect(await s.blob.blobs.exists(p.key)).toBe(false);
    await expect(refs.addBlobRef({ ...b, blobKey: again.key, size: again.size })).rejects.toBeInstanceOf(BlobGoneError);
    expect(await refs.countRefs(p.key)).toBe(0);
    const third = await put(s, data);
    expect(third.created).toBe(true);
    expect(await refs.addBlobRef({ ...b, blobKey: third.key, size: third.size })).toEqual({ created: true });
    expect((await streamToBuffer(await s.blob.blobs.get(third.key))).equals(data)).toBe(true);
  });

  it('an active hold (a backup copying blobs) pauses deletion; an expired or released one does not', async () => {
    const s = get();
    const clock = new ManualClock('2026-03-06T00:00:00Z');
    const refs = repo(s, clock);
    const p = await put(s, crypto.randomBytes(800));
    const a = owner(uid());
    await refs.addBlobRef({ ...a, blobKey: p.key, size: p.size });
    await refs.removeBlobRef({ ...a, blobKey: p.key });
    const t0 = clock.now().getTime();
    clock.set(new Date(t0 + GRACE));
    const hold = await refs.holdCollection('backup test', 10 * 60_000);
    const held = await refs.collectGarbage(new Date(t0 + GRACE + 1));
    expect(held.heldBy).toContain('backup test');
    expect(await s.blob.blobs.exists(p.key)).toBe(true);
    // Renewed holds keep holding; once past their time to live they are ignored.
    clock.set(new Date(t0 + GRACE + 5 * 60_000));
    await hold.renew();
    expect((await refs.collectGarbage(new Date(t0 + GRACE + 14 * 60_000))).heldBy).toContain('backup test');
    expect(await s.blob.blobs.exists(p.key)).toBe(true);
    const expired = await refs.collectGarbage(new Date(t0 + GRACE + 16 * 60_000));
    expect(expired.heldBy).toEqual([]);
    expect(await s.blob.blobs.exists(p.key)).toBe(false);
    await hold.release();
    expect(await s.sql.db.selectFrom('blob_gc_holds').select('id').where('id', '=', hold.id).executeTakeFirst()).toBeUndefined();
  });

  it('never deletes untracked blobs (never referenced) by default; --include-untracked removes them a grace period after first seen', async () => {
    const s = get();
    const clock = new ManualClock('2026-03-07T00:00:00Z');
    const refs = repo(s, clock);
    const p = await put(s, crypto.randomBytes(600));
    const t0 = clock.now().getTime();
    const first = await refs.collectGarbage(new Date(t0));
    expect(first.newlyUntracked).toBeGreaterThanOrEqual(1);
    await refs.collectGarbage(new Date(t0 + 100 * GRACE));
    expect(await s.blob.blobs.exists(p.key)).toBe(true);
    await refs.collectGarbage(new Date(t0 + GRACE - 1), { includeUntracked: true });
    expect(await s.blob.blobs.exists(p.key)).toBe(true);
    const swept = await refs.collectGarbage(new Date(t0 + GRACE), { includeUntracked: true });
    expect(swept.deleted).toBeGreaterThanOrEqual(1);
    expect(await s.blob.blobs.exists(p.key)).toBe(false);
  });

  it('an untracked blob that gets referenced becomes tracked and is kept', async () => {
    const s = get();
    const clock = new ManualClock('2026-03-08T00:00:00Z');
    const refs = repo(s, clock);
    const p = await put(s, crypto.randomBytes(650));
    await refs.collectGarbage(clock.now());
    await refs.addBlobRef({ ...owner(uid()), blobKey: p.key, size: p.size });
    await refs.collectGarbage(new Date(clock.now().getTime() + 5 * GRACE), { includeUntracked: true });
    expect(await s.blob.blobs.exists(p.key)).toBe(true);
  });

  it('sweeps abandoned temporary writes', async () => {
    const s = get();
    const refs = repo(s, new ManualClock());
    const writer = await s.blob.raw.createWriter();
    await new Promise<void>((resolve, reject) => writer.stream.end(crypto.randomBytes(1000), () => resolve()).once('error', reject));
    for (let i = 0; i < 50 && (await s.blob.tempCount()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await s.blob.tempCount()).toBeGreaterThan(0);
    const r = await refs.collectGarbage(new Date(), { tempMaxAgeMs: 0 });
    expect(r.tempRemoved).toBeGreaterThan(0);
    expect(await s.blob.tempCount()).toBe(0);
  });

  it('two collectors at once delete each blob once and never fail', async () => {
    const s = get();
    const clock = new ManualClock('2026-03-09T00:00:00Z');
    const refs = repo(s, clock);
    const keys: string[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await put(s, crypto.randomBytes(300 + i));
      const o = owner(uid());
      await refs.addBlobRef({ ...o, blobKey: p.key, size: p.size });
      await refs.removeBlobRef({ ...o, blobKey: p.key });
      keys.push(p.key);
    }
    const when = new Date(clock.now().getTime() + GRACE + 1);
    const [r1, r2] = await Promise.all([refs.collectGarbage(when), refs.collectGarbage(when)]);
    for (const k of keys) expect(await s.blob.blobs.exists(k)).toBe(false);
    expect(r1.deleted + r2.deleted + r1.alreadyMissing + r2.alreadyMissing).toBeGreaterThanOrEqual(keys.length);
  });
});
