/**
 * The ActivityLog contract on both dialects: appends chain linearly even when 50 race for
 * one account, listing filters and pages without crossing accounts, and verification finds
 * the first entry whose row was edited, deleted or re-sealed without the key.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import type { ActivityLog, NewActivityEvent } from '../../src/domain/activity/ports.ts';
import { sqlActivityLog } from '../../src/storage/sql/repositories/activity-log.ts';
import { describeEachDialect, openAnotherConnection } from '../support/sql.ts';

const KEY = crypto.randomBytes(32);

function event(accountId: string, type = 'signed_in', extra: Partial<NewActivityEvent> = {}): NewActivityEvent {
  return { accountId, type, actor: { kind: 'citizen', id: accountId, name: 'Asha' }, ip: '10.0.0.1', userAgent: 'test', ...extra };
}

describeEachDialect('ActivityLog (SQL)', (get, dialect) => {
  const clock = new ManualClock('2026-03-01T10:00:00.000Z');
  const log = (): ActivityLog => sqlActivityLog(get(), KEY, clock);

  it('chains entries: seq 1..n, each prevHash the previous hash, and verifies', async () => {
    const a = crypto.randomUUID();
    const e1 = await log().append(event(a, 'signed_up'));
    const e2 = await log().append(event(a, 'signed_in', { details: { b: 2, a: 1 } }));
    expect([e1.seq, e2.seq]).toEqual([1, 2]);
    expect(e2.prevHash).toBe(e1.hash);
    expect(e2.details).toEqual({ a: 1, b: 2 });
    expect(await log().verify(a)).toEqual({ intact: true, count: 2, head: e2.hash });
  });

  it('stays linear under 50 parallel appends to one account', async () => {
    const a = crypto.randomUUID();
    const entries = await Promise.all(Array.from({ length: 50 }, (_, i) => log().append(event(a, 'document_viewed', { details: { i } }))));
    expect(entries.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const bySeq = new Map(entries.map((e) => [e.seq, e]));
    for (let s = 2; s <= 50; s++) expect(bySeq.get(s)!.prevHash).toBe(bySeq.get(s - 1)!.hash);
    expect(await log().verify(a)).toMatchObject({ intact: true, count: 50 });
  });

  it('group-commits appends made together: each account chained in call order, over several batches; one bad event fails alone', async () => {
    const l = log();
    const accounts = Array.from({ length: 7 }, () => crypto.randomUUID());
    // An entry at seq 1 with no head: this account's chain cannot start (a fork made by hand),
    // so its append fails on the unique (account_id, seq) every time it is tried.
    const bad = crypto.randomUUID();
    await get()
      .db.insertInto('activity_events')
      .values({ account_id: bad, seq: 1, type: 'signed_in', at: clock.now().toISOString(), actor_kind: 'citizen', actor_id: bad, actor_name: 'x', ip: null, user_agent: null, subject_kind: null, subject_id: null, subject_name: null, details: '{}', prev_hash: 'x', hash: 'x' })
      .execute();
    const n = 600; // more than one batch
    const settled = await Promise.allSettled([
      ...Array.from({ length: n }, (_, i) => l.append(event(accounts[i % accounts.length]!, 'document_viewed', { details: { i } }))),
      l.append(event(bad, 'signed_in')),
    ]);
    expect(settled.slice(0, n).filter((r) => r.status !== 'fulfilled')).toEqual([]);
    expect(settled[n]!.status).toBe('rejected');
    for (const [k, a] of accounts.entries()) {
      const mine = settled.slice(0, n).filter((_, i) => i % accounts.length === k).map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<ActivityLog['append']>>>).value);
      expect(mine.map((e) => e.seq)).toEqual(mine.map((_, j) => j + 1));
      for (let j = 1; j < mine.length; j++) expect(mine[j]!.prevHash).toBe(mine[j - 1]!.hash);
      expect(await l.verify(a)).toEqual({ intact: true, count: mine.length, head: mine[mine.length - 1]!.hash });
    }
    expect((await l.list(bad)).items.map((e) => e.hash)).toEqual(['x']);
  });

  it('two logs batching the same accounts at once (on PostgreSQL, two connections) keep every chain linear and complete', async () => {
    const [l1, l2] = [log(), log()];
    const accounts = Array.from({ length: 5 }, () => crypto.randomUUID());
    const reversed = [...accounts].reverse();
    const all = await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => l1.append(event(accounts[i % 5]!, 'document_viewed', { details: { by: 1, i } }))),
      ...Array.from({ length: 100 }, (_, i) => l2.append(event(reversed[i % 5]!, 'document_viewed', { details: { by: 2, i } }))),
    ]);
    for (const a of accounts) {
      const mine = all.filter((e) => e.accountId === a).sort((x, y) => x.seq - y.seq);
      expect(mine.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      for (let j = 1; j < mine.length; j++) expect(mine[j]!.prevHash).toBe(mine[j - 1]!.hash);
      expect(await l1.verify(a)).toMatchObject({ intact: true, count: 40 });
    }
  });

  it('detects an edited row, a deleted row and a re-sealed row as the first broken entry', async () => {
    const db = get().db;
    for (const tamper of ['edit', 'delete', 'reseal'] as const) {
      const a = crypto.randomUUID();
      for (let i = 0; i < 5; i++) await log().append(event(a, 'signed_in', { details: { i } }));
      if (tamper === 'edit') await db.updateTable('activity_events').set({ ip: '6.6.6.6' }).where('account_id', '=', a).where('seq', '=', 3).execute();
      if (tamper === 'delete') await db.deleteFrom('activity_events').where('account_id', '=', a).where('seq', '=', 3).execute();
      if (tamper === 'reseal') {
        // Recompute the hash with a wrong key (an attacker without the master key).
        const other = sqlActivityLog(get(), crypto.randomBytes(32), clock);
        const fake = await other.append(event(`${a}-x`, 'signed_in'));
        await db.updateTable('activity_events').set({ type: 'signed_out', hash: fake.hash }).where('account_id', '=', a).where('seq', '=', 3).execute();
      }
      const v = await log().verify(a);
      expect(v.intact, tamper).toBe(false);
      if (!v.intact) expect(v.firstBroken.seq, tamper).toBe(3);
    }
  });

  it('detects entries cut from the end of the chain', async () => {
    const a = crypto.randomUUID();
    for (let i = 0; i < 3; i++) await log().append(event(a));
    await get().db.deleteFrom('activity_events').where('account_id', '=', a).where('seq', '=', 3).execute();
    expect(await log().verify(a)).toMatchObject({ intact: false, firstBroken: { seq: 3, reason: 'gap' } });
  });

  it('verify with reuseWithinMs checks only what was appended since its last whole check, and reads the whole log again once that is older', async () => {
    const one = log(); // the checkpoint belongs to this instance
    const a = crypto.randomUUID();
    const db = get().db;
    for (let i = 0; i < 4; i++) await one.append(event(a));
    expect(await one.verify(a)).toMatchObject({ intact: true, count: 4 });
    // An edit to an entry the last whole check covered: not read again within the window…
    await db.updateTable('activity_events').set({ ip: '6.6.6.6' }).where('account_id', '=', a).where('seq', '=', 2).execute();
    expect(await one.verify(a, { reuseWithinMs: 60_000 })).toMatchObject({ intact: true, count: 4 });
    // …the whole check (the default) finds it, and a broken chain leaves nothing to build on.
    expect(await one.verify(a)).toMatchObject({ intact: false, firstBroken: { seq: 2, reason: 'hash_mismatch' } });
    expect(await one.verify(a, { reuseWithinMs: 60_000 })).toMatchObject({ intact: false, firstBroken: { seq: 2 } });
    await db.updateTable('activity_events').set({ ip: '10.0.0.1' }).where('account_id', '=', a).where('seq', '=', 2).execute();
    expect(await one.verify(a)).toMatchObject({ intact: true, count: 4 });

    // New entries are checked on every view: an edit to one of them shows at once.
    for (let i = 0; i < 3; i++) await one.append(event(a));
    expect(await one.verify(a, { reuseWithinMs: 60_000 })).toMatchObject({ intact: true, count: 7 });
    await one.append(event(a));
    await db.updateTable('activity_events').set({ ip: '6.6.6.6' }).where('account_id', '=', a).where('seq', '=', 8).execute();
    expect(await one.verify(a, { reuseWithinMs: 60_000 })).toMatchObject({ intact: false, firstBroken: { seq: 8, reason: 'hash_mismatch' } });
    await db.updateTable('activity_events').set({ ip: '10.0.0.1' }).where('account_id', '=', a).where('seq', '=', 8).execute();

    // Past the window the whole log is read again.
    expect(await one.verify(a)).toMatchObject({ intact: true, count: 8 });
    await db.updateTable('activity_events').set({ ip: '6.6.6.6' }).where('account_id', '=', a).where('seq', '=', 1).execute();
    clock.advance(61_000);
    expect(await one.verify(a, { reuseWithinMs: 60_000 })).toMatchObject({ intact: false, firstBroken: { seq: 1, reason: 'hash_mismatch' } });
  });

  it('lists newest first with type, date and subject filters and cursor paging, never another account', async () => {
    const a = crypto.randomUUID();
    const b = crypto.randomUUID();
    clock.set('2026-03-02T00:00:00.000Z');
    for (let i = 0; i < 7; i++) {
      clock.advance(3600_000);
      await log().append(event(a, i % 2 ? 'document_viewed' : 'signed_in', { subject: i % 2 ? { kind: 'upload', id: `u${i}`, name: `file ${i}` } : null }));
    }
    await log().append(event(b, 'signed_in'));
    const p1 = await log().list(a, { limit: 3 });
    expect(p1.items.map((e) => e.seq)).toEqual([7, 6, 5]);
    const p2 = await log().list(a, { limit: 3, cursor: p1.nextCursor! });
    expect(p2.items.map((e) => e.seq)).toEqual([4, 3, 2]);
    const p3 = await log().list(a, { limit: 3, cursor: p2.nextCursor! });
    expect(p3.items.map((e) => e.seq)).toEqual([1]);
    expect(p3.nextCursor).toBeNull();
    expect((await log().list(a, { types: ['document_viewed'] })).items.map((e) => e.seq)).toEqual([6, 4, 2]);
    expect((await log().list(a, { from: '2026-03-02T03:00:00.000Z', to: '2026-03-02T05:00:00.000Z' })).items.map((e) => e.seq)).toEqual([4, 3]);
    expect((await log().list(a, { subjectKind: 'upload', subjectId: 'u3' })).items.map((e) => e.subject?.name)).toEqual(['file 3']);
    expect((await log().list(b)).items).toHaveLength(1);
    await expect(log().list(a, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'invalid_cursor' });
  });

  it('record: committed at once as a waiting row, chained in call order with appends, before any read', async () => {
    const l = log();
    const a = crypto.randomUUID();
    await l.record(event(a, 'partner_accessed', { details: { n: 1 } }));
    // Committed, not yet chained: a row another connection can see.
    const waiting = await get().db.selectFrom('activity_pending').select('entry').where('account_id', '=', a).execute();
    expect(waiting).toHaveLength(1);
    await Promise.all([l.record(event(a, 'partner_accessed', { details: { n: 2 } })), l.record(event(a, 'partner_accessed', { details: { n: 3 } }))]);
    // An append chains what was recorded before it first.
    const appended = await l.append(event(a, 'signed_in', { details: { n: 4 } }));
    expect(appended.seq).toBe(4);
    await l.record(event(a, 'partner_accessed', { details: { n: 5 } }));
    // A read settles first: every entry, in order, one intact chain.
    const page = await l.list(a);
    expect(page.items.map((e) => [e.seq, e.details.n])).toEqual([5, 4, 3, 2, 1].map((n) => [n, n]));
    expect(page.items[0]!.prevHash).toBe(appended.hash);
    expect(await l.verify(a)).toMatchObject({ intact: true, count: 5 });
    expect(await get().db.selectFrom('activity_pending').select('id').where('account_id', '=', a).execute()).toEqual([]);
    await expect(l.record(event(a, 'Partner Accessed'))).rejects.toMatchObject({ code: 'invalid_activity_type' });
    // Every field comes back as given, with or without a subject.
    const b = crypto.randomUUID();
    const withSubject = event(b, 'partner_accessed', { actor: { kind: 'partner', id: 'OLBANK', name: 'Bank of Example' }, ip: null, userAgent: 'bank/1.0', subject: { kind: 'consent', id: 'c-1', name: null }, details: { action: 'file', subject: 'in.gov.x-1' } });
    await l.record(withSubject);
    await l.record(event(b, 'partner_accessed', { subject: { kind: 'consent', id: 'c-2', name: 'Named' } }));
    const [second, first] = (await l.list(b)).items;
    expect(first).toMatchObject({ type: 'partner_accessed', actor: withSubject.actor, ip: null, userAgent: 'bank/1.0', subject: { kind: 'consent', id: 'c-1', name: null }, details: { action: 'file', subject: 'in.gov.x-1' } });
    expect(second).toMatchObject({ actor: { kind: 'citizen', id: b, name: 'Asha' }, ip: '10.0.0.1', userAgent: 'test', subject: { kind: 'consent', id: 'c-2', name: 'Named' }, details: {} });
    const direct = await l.append(event(b, 'signed_in'));
    expect((await l.list(b, { limit: 1 })).items[0]).toMatchObject({ seq: 3, subject: null, hash: direct.hash });
    expect(await l.verify(b)).toMatchObject({ intact: true, count: 3 });
  });

  it('entries one instance recorded and never chained (it stopped) are chained by another connection', async () => {
    const a = crypto.randomUUID();
    const other = await openAnotherConnection(get());
    try {
      // Rows as a process that stopped right after recording leaves them.
      const gone = sqlActivityLog(other, KEY, clock);
      await gone.record(event(a, 'partner_accessed', { details: { n: 1 } }));
      await gone.record(event(a, 'partner_accessed', { details: { n: 2 } }));
    } finally {
      await other.close();
    }
    const l = log();
    await l.settle();
    expect((await l.list(a)).items.map((e) => e.details.n)).toEqual([2, 1]);
    expect(await l.verify(a)).toMatchObject({ intact: true, count: 2 });
  });

  // On SQLite one process has one writing connection (a second would wait on the first's
  // open transaction with the event loop blocked): two logs on the store, as in the test above.
  it('two logs (on PostgreSQL, two connections) recording, appending and settling one account at once keep its chain linear and complete, each in call order', async () => {
    const a = crypto.randomUUID();
    const other = dialect === 'postgres' ? await openAnotherConnection(get()) : null;
    try {
      const [l1, l2] = [log(), sqlActivityLog(other ?? get(), KEY, clock)];
      await Promise.all([
        ...Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? l1.append(event(a, 'document_viewed', { details: { by: 1, i } })) : l1.record(event(a, 'partner_accessed', { details: { by: 1, i } })))),
        ...Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? l2.append(event(a, 'document_viewed', { details: { by: 2, i } })) : l2.record(event(a, 'partner_accessed', { details: { by: 2, i } })))),
        l1.settle(),
        l2.settle(),
      ]);
      await Promise.all([l1.settle(), l2.settle()]);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await l1.list(a, { limit: 100, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((e) => `${e.details.by}:${e.details.i}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(120);
      expect(new Set(seen).size).toBe(120);
      expect(await l1.verify(a)).toMatchObject({ intact: true, count: 120 });
      // Each connection's entries keep the order they were made in.
      for (const by of ['1', '2']) {
        const mine = seen.filter((x) => x.startsWith(`${by}:`)).reverse().map((x) => Number(x.split(':')[1]));
        expect(mine).toEqual([...mine].sort((x, y) => x - y));
      }
    } finally {
      await other?.close();
    }
  });

  it('refuses malformed types and oversized details', async () => {
    const a = crypto.randomUUID();
    await expect(log().append(event(a, 'Signed In'))).rejects.toMatchObject({ code: 'invalid_activity_type' });
    await expect(log().append(event(a, 'big', { details: { x: 'y'.repeat(3000) } }))).rejects.toMatchObject({ code: 'invalid_activity' });
  });

  it('erases an account and reports the count and final head', async () => {
    const a = crypto.randomUUID();
    await log().append(event(a));
    const last = await log().append(event(a));
    // Recorded and not yet chained: chained, then erased with the rest.
    await log().record(event(a, 'partner_accessed'));
    const erased = await log().erase(a);
    expect(erased.count).toBe(3);
    expect(erased.head).not.toBe(last.hash);
    expect((await log().list(a)).items).toEqual([]);
    const rows = await sql<{ n: number }>`select count(*) as n from activity_events where account_id = ${a}`.execute(get().db);
    expect(Number(rows.rows[0]!.n)).toBe(0);
    expect(await get().db.selectFrom('activity_pending').select('id').where('account_id', '=', a).execute()).toEqual([]);
  });
});
