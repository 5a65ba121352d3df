/**
 * The share store's hot statements (a link opened: looked up by token hash, the view
 * counted under its guards, the open queued) are compiled once (storage/sql/prepared.ts);
 * here they run on both dialects, each guard with its own share, and the placeholder
 * mapping is checked against both compilers.
 */
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import type { NewShare } from '../../src/domain/sharing/ports.ts';
import { prepared } from '../../src/storage/sql/prepared.ts';
import { sqlShares } from '../../src/storage/sql/repositories/shares.ts';
import { describeEachDialect } from '../support/sql.ts';

const T = (minutes: number) => new Date(Date.UTC(2031, 0, 1, 0, minutes)).toISOString();

function share(over: Partial<NewShare> = {}): NewShare {
  const id = crypto.randomUUID();
  return {
    id,
    accountId: crypto.randomUUID(),
    tokenHash: crypto.hash('sha256', id, 'hex'),
    source: 'uploaded',
    ref: crypto.randomUUID(),
    docName: 'Marksheet.pdf',
    sharerName: 'Asha Verma',
    recipientEmail: 'bank@example.in',
    accessCodeHash: null,
    maxViews: null,
    createdAt: T(0),
    expiresAt: T(60),
    ...over,
  };
}

describeEachDialect('share store (prepared statements)', (get, dialect) => {
  it('maps named slots to their places, repeated or not, around fixed values', () => {
    const { db } = get();
    const q = prepared((slot) => db.selectFrom('shares').select('id').where('expires_at', '>', slot('now')).where('views', '<', 3).where('last_opened_at', '<', slot('now')).where('id', '=', slot('id')));
    const c = q({ now: 'N', id: 'I' });
    expect(c.parameters).toEqual(['N', 3, 'N', 'I']);
    expect(c.sql).toContain(dialect === 'postgres' ? '$4' : '?');
    // The same statement each time: only the values change.
    expect(q({ now: 'M', id: 'J' }).sql).toBe(c.sql);
    expect(q({ now: 'M', id: 'J' }).parameters).toEqual(['M', 3, 'M', 'J']);
  });

  it('finds a share by token hash, and counts views only while the link is live', async () => {
    const repo = sqlShares(get());
    const limited = share({ maxViews: 2, accessCodeHash: 'ab'.repeat(32) });
    const revoked = share();
    const expired = share({ expiresAt: T(5) });
    for (const s of [limited, revoked, expired]) await repo.insert(s);
    await repo.revoke(revoked.accountId, revoked.id, T(1));

    expect(await repo.byTokenHash(limited.tokenHash)).toMatchObject({ id: limited.id, accountId: limited.accountId, views: 0, maxViews: 2, hasAccessCode: true, accessCodeHash: 'ab'.repeat(32) });
    expect(await repo.byTokenHash('0'.repeat(64))).toBeNull();

    expect(await repo.consumeShareUse(limited.id, T(2))).toMatchObject({ views: 1, lastOpenedAt: T(2) });
    expect(await repo.consumeShareUse(limited.id, T(3))).toMatchObject({ views: 2, lastOpenedAt: T(3) });
    expect(await repo.consumeShareUse(limited.id, T(4)), 'past its view limit').toBeNull();
    expect(await repo.consumeShareUse(revoked.id, T(2)), 'revoked').toBeNull();
    expect(await repo.consumeShareUse(expired.id, T(5)), 'expired (at its expiry)').toBeNull();
    expect(await repo.consumeShareUse(crypto.randomUUID(), T(2)), 'unknown').toBeNull();
    expect((await repo.get(limited.accountId, limited.id))!.views).toBe(2);

    // Each counted view queued exactly one open for the owner's notice.
    const claimed = (await repo.claimOpens(T(10), T(10), 1000)).find((b) => b.accountId === limited.accountId);
    expect(claimed?.opens.map((o) => o.at).sort()).toEqual([T(2), T(3)]);
    expect((await repo.claimOpens(T(10), T(10), 1000)).find((b) => b.accountId === revoked.accountId)).toBeUndefined();
  });

  it('opens a link by its token hash in one step: counts a live link without a code, leaves any other as stored', async () => {
    const repo = sqlShares(get());
    const plain = share({ maxViews: 2 });
    const coded = share({ accessCodeHash: 'cd'.repeat(32) });
    const revoked = share();
    const expired = share({ expiresAt: T(5) });
    for (const s of [plain, coded, revoked, expired]) await repo.insert(s);
    await repo.revoke(revoked.accountId, revoked.id, T(1));

    expect(await repo.openByTokenHash(plain.tokenHash, T(2))).toMatchObject({ counted: { id: plain.id, views: 1, lastOpenedAt: T(2), hasAccessCode: false } });
    expect(await repo.openByTokenHash(plain.tokenHash, T(3))).toMatchObject({ counted: { views: 2, lastOpenedAt: T(3) } });
    // Past its limit: nothing counted; the stored row (read after the refused count) shows why.
    expect(await repo.openByTokenHash(plain.tokenHash, T(4))).toEqual({ stored: expect.objectContaining({ id: plain.id, views: 2, maxViews: 2, accessCodeHash: null }) });
    // A coded link is never counted here, however live: its code is checked first.
    expect(await repo.openByTokenHash(coded.tokenHash, T(2))).toEqual({ stored: expect.objectContaining({ id: coded.id, views: 0, hasAccessCode: true, accessCodeHash: 'cd'.repeat(32) }) });
    expect(await repo.openByTokenHash(revoked.tokenHash, T(2))).toEqual({ stored: expect.objectContaining({ id: revoked.id, views: 0, revokedAt: T(1) }) });
    expect(await repo.openByTokenHash(expired.tokenHash, T(5))).toEqual({ stored: expect.objectContaining({ id: expired.id, views: 0 }) });
    expect(await repo.openByTokenHash('0'.repeat(64), T(2))).toEqual({ stored: null });

    for (const s of [coded, revoked, expired]) expect((await repo.get(s.accountId, s.id))!.views).toBe(0);
    // Exactly the two counted views were queued for the owner's notice.
    const claimed = await repo.claimOpens(T(10), T(10), 1000);
    expect(claimed.find((b) => b.accountId === plain.accountId)?.opens.map((o) => o.at).sort()).toEqual([T(2), T(3)]);
    for (const s of [coded, revoked, expired]) expect(claimed.find((b) => b.accountId === s.accountId)).toBeUndefined();
  });

  it('opens a limited link by token at most its limit under 30 concurrent opens, mixed with opens by id', async () => {
    const repo = sqlShares(get());
    const s = share({ maxViews: 7 });
    await repo.insert(s);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? repo.openByTokenHash(s.tokenHash, T(10 + (i % 5))).then((r) => ('counted' in r ? r.counted : null)) : repo.consumeShareUse(s.id, T(10 + (i % 5))))));
    expect(results.filter(Boolean)).toHaveLength(7);
    expect((await repo.get(s.accountId, s.id))!.views).toBe(7);
  });

  it('counts a limited link at most its limit under 30 concurrent opens', async () => {
    const repo = sqlShares(get());
    const s = share({ maxViews: 7 });
    await repo.insert(s);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => repo.consumeShareUse(s.id, T(10 + (i % 5)))));
    expect(results.filter(Boolean)).toHaveLength(7);
    expect((await repo.get(s.accountId, s.id))!.views).toBe(7);
  });
});
