/**
 * The consent module's storage on SQLite and PostgreSQL: oidc-provider's adapter (upsert,
 * find, expiry, consume — single use under concurrency — destroy, revokeByGrantId, the
 * Client model from partners), consent revocation races, and the notification batching
 * (at most one message per citizen and partner per hour, with an injected clock).
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.ts';
import type { Consent } from '../../src/domain/consent/model.ts';
import { notifyPartnerAccesses } from '../../src/domain/consent/notify-partner-accesses.ts';
import { defaultConsentPolicy } from '../../src/domain/consent/deps.ts';
import { kyselyAdapterFactory } from '../../src/oauth/adapter.ts';
import { sqlTokenStore } from '../../src/oauth/token-store.ts';
import { recordPartnerAccess } from '../../src/domain/consent/record-partner-access.ts';
import { sqlActivityLog } from '../../src/storage/sql/repositories/activity-log.ts';
import { sqlConsents, sqlNoticeQueue } from '../../src/storage/sql/repositories/consents.ts';
import { describeEachDialect, nextRequest, openAnotherConnection } from '../support/sql.ts';

function consent(o: Partial<Consent> = {}): Consent {
  return {
    id: crypto.randomUUID(),
    accountId: crypto.randomUUID(),
    partnerId: 'OLPARTNER',
    grantId: crypto.randomUUID(),
    flow: 'authorization_code',
    purpose: 'KYC',
    scopes: ['userdetails'],
    documents: [],
    grantedAt: new Date().toISOString(),
    validTill: new Date(Date.now() + 86400_000).toISOString(),
    revokedAt: null,
    revokedBy: null,
    revokedReason: null,
    referenceKey: crypto.randomBytes(16).toString('hex'),
    receipt: 'x.y.z',
    ip: null,
    userAgent: null,
    ...o,
  };
}

describeEachDialect('oauth store adapter', (get) => {
  const setup = (now = () => Date.now()) => {
    const destroyed: string[] = [];
    const Adapter = kyselyAdapterFactory(get(), { clientMetadata: async (id) => (id === 'OLKNOWN' ? { client_id: id } : undefined), onGrantDestroyed: async (g) => void destroyed.push(g), now });
    return { Adapter, destroyed };
  };

  it('stores, finds by id/uid/userCode, expires, and reads clients from partners', async () => {
    let now = Date.now();
    const { Adapter } = setup(() => now);
    const a = new Adapter('Interaction');
    const id = crypto.randomUUID();
    await a.upsert(id, { uid: `u-${id}`, accountId: 'acc', grantId: 'g1' }, 60);
    expect(await a.find(id)).toMatchObject({ uid: `u-${id}` });
    expect(await a.findByUid(`u-${id}`)).toMatchObject({ accountId: 'acc' });
    await a.upsert(id, { uid: `u-${id}`, accountId: 'acc2' }, 60);
    expect(await a.find(id)).toMatchObject({ accountId: 'acc2' });
    const d = new Adapter('DeviceCode');
    await d.upsert('dc1', { userCode: 'ABCD-EFGH' }, 60);
    expect(await d.findByUserCode('ABCD-EFGH')).toMatchObject({ userCode: 'ABCD-EFGH' });
    now += 61_000;
    expect(await a.find(id)).toBeUndefined();
    expect(await new Adapter('Client').find('OLKNOWN')).toEqual({ client_id: 'OLKNOWN' });
    expect(await new Adapter('Client').find('OLOTHER')).toBeUndefined();
    expect(await new Adapter('Session').find('never')).toBeUndefined();
  });

  it('consume: exactly one of many concurrent consumers wins; the losers revoke the grant', async () => {
    const { Adapter, destroyed } = setup();
    const codes = new Adapter('AuthorizationCode');
    const tokens = new Adapter('AccessToken');
    const grantId = crypto.randomUUID();
    await codes.upsert('code1', { grantId, accountId: 'a' }, 60);
    await tokens.upsert('at1', { grantId, accountId: 'a', clientId: 'c', scope: 'openid' }, 60);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => codes.consume('code1')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.error === 'invalid_grant')).toBe(true);
    expect(destroyed).toContain(grantId);
    expect(await tokens.find('at1')).toBeUndefined();
    expect(await codes.find('code1')).toBeUndefined();
    await codes.upsert('code2', { grantId: crypto.randomUUID() }, 60);
    await codes.consume('code2');
    expect((await codes.find('code2'))?.consumed).toBeGreaterThan(0);
  });

  it('destroy and revokeByGrantId; the token store finds live access tokens and revokes grants', async () => {
    const { Adapter, destroyed } = setup();
    const store = sqlTokenStore(get(), () => Date.now());
    const at = new Adapter('AccessToken');
    const rt = new Adapter('RefreshToken');
    const g = crypto.randomUUID();
    const value = crypto.randomBytes(32).toString('base64url');
    await at.upsert(value, { grantId: g, accountId: 'acc', clientId: 'OLC', scope: 'openid userdetails' }, 3600);
    await rt.upsert('rt1', { grantId: g, accountId: 'acc', clientId: 'OLC' }, 3600);
    expect(await store.findAccessToken(value)).toMatchObject({ accountId: 'acc', clientId: 'OLC', grantId: g, scopes: ['openid', 'userdetails'] });
    expect(await store.findAccessToken('short')).toBeNull();
    await rt.revokeByGrantId(g);
    expect(await rt.find('rt1')).toBeUndefined();
    expect(await store.findAccessToken(value)).not.toBeNull();
    await store.revokeGrant(g);
    expect(await store.findAccessToken(value)).toBeNull();
    await at.upsert('old', { grantId: g, accountId: 'acc', clientId: 'OLC' }, 1);
    await at.upsert('live', { grantId: g, accountId: 'acc', clientId: 'OLC' }, 3600);
    expect(await store.sweepExpired(Date.now() + 5000)).toBeGreaterThanOrEqual(1);
    expect(await get().db.selectFrom('oauth_store').select('id').where('id', 'in', ['old', 'live']).execute()).toEqual([{ id: 'live' }]);
    await new Adapter('Grant').upsert(g, { accountId: 'acc' }, 60);
    await new Adapter('Grant').destroy(g);
    expect(destroyed).toEqual([g]);
  });
});

describeEachDialect('consents and notices', (get) => {
  it('revoke: one winner among concurrent revocations; never another account’s consent', async () => {
    const repo = sqlConsents(get());
    const c = consent();
    await repo.create(c);
    expect(await repo.revoke(c.id, 'citizen', 'x', new Date(), crypto.randomUUID())).toBeNull();
    const results = await Promise.all(Array.from({ length: 6 }, () => repo.revoke(c.id, 'citizen', 'x', new Date(), c.accountId)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await repo.revokeByGrant(c.grantId!, 'system', 'y', new Date())).toBeNull();
    expect((await repo.get(c.id))?.revokedBy).toBe('citizen');
    await repo.eraseAccount(c.accountId);
    expect(await repo.get(c.id)).toBeNull();
  });

  it('batches notifications: at most one SMS per citizen and partner per hour, summarising every access', async () => {
    const store = get();
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const consents = sqlConsents(store);
    const notices = sqlNoticeQueue(store);
    const accountId = crypto.randomUUID();
    const sent: Array<{ to: string; message: string }> = [];
    const deps = {
      notices,
      consents,
      partners: { get: async (id: string) => ({ id, name: 'Bank of Example' }) } as never,
      accounts: { findById: async (id: string) => (id === accountId ? { id, mobile: '+919000000099', status: 'active', email: null, emailVerified: false } : null) } as never,
      sms: { send: async (to: string, message: string) => void sent.push({ to, message }) } as never,
      email: { send: async () => ({}) } as never,
      clock,
      policy: defaultConsentPolicy({ production: false, publicUrl: 'http://locker.test' }),
    };
    const c = consent({ accountId });
    await consents.create(c);
    const activity = sqlActivityLog(store, crypto.randomBytes(32), clock);
    const access = (action: string) => recordPartnerAccess({ activity, notices, clock }, { consent: c, partner: { id: c.partnerId, name: 'Bank of Example' } }, { action, ip: '10.0.0.1' });
    await access('token_issued');
    await access('user_details');
    expect(await notifyPartnerAccesses(deps)).toEqual({ sent: 1, failed: 0 });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toMatch(/Bank of Example received access to your locker; read your profile/);
    // More accesses within the hour: held back, then summarised together.
    clock.advance(10 * 60_000);
    await access('user_details');
    await access('user_details');
    expect(await notifyPartnerAccesses(deps)).toEqual({ sent: 0, failed: 0 });
    clock.advance(49 * 60_000);
    expect((await notifyPartnerAccesses(deps)).sent).toBe(0);
    clock.advance(60_000);
    expect((await notifyPartnerAccesses(deps)).sent).toBe(1);
    expect(sent[1]!.message, sent[1]!.message).toMatch(/read your profile \(name, date of birth, gender\) \(2 times\)/);
    expect(sent[1]!.message).not.toMatch(/received access/);
    // Two sweepers at once: one message.
    clock.advance(61 * 60_000);
    await access('file');
    const both = await Promise.all([notifyPartnerAccesses(deps), notifyPartnerAccesses(deps)]);
    expect(both.reduce((n, r) => n + r.sent, 0)).toBe(1);
    // A failed send is retried by the next sweep.
    clock.advance(61 * 60_000);
    await access('xml');
    const failing = { ...deps, sms: { send: async () => Promise.reject(new Error('down')) } as never };
    expect(await notifyPartnerAccesses(failing)).toEqual({ sent: 0, failed: 1 });
    expect((await notifyPartnerAccesses(deps)).sent).toBe(1);
    expect(sent.at(-1)!.message).toMatch(/downloaded a document’s data/);
  });

  it('a bump after the batch was cleared — here or through another connection (the notifier in another process) — starts a new one', async () => {
    const store = get();
    const notices = sqlNoticeQueue(store);
    const [accountId, partnerId] = [crypto.randomUUID(), 'OLBUMP'];
    const pendingNow = async () => Number((await store.db.selectFrom('partner_notices').select('pending').where('account_id', '=', accountId).where('partner_id', '=', partnerId).executeTakeFirst())?.pending ?? 0);
    const t = new Date('2026-03-01T10:00:00.000Z');
    await notices.bump(accountId, partnerId, t);
    await notices.bump(accountId, partnerId, t);
    expect(await pendingNow()).toBe(1);
    // Cleared by this process's notifier…
    expect((await notices.claimDue(new Date('2026-03-01T11:00:00.000Z'), 3_600_000, 1000)).some((n) => n.accountId === accountId)).toBe(true);
    expect(await pendingNow()).toBe(0);
    await notices.bump(accountId, partnerId, t);
    expect(await pendingNow()).toBe(1);
    // …or by another process's.
    const other = await openAnotherConnection(store);
    try {
      await other.db.updateTable('partner_notices').set({ pending: 0, first_pending_at: null }).where('account_id', '=', accountId).execute();
    } finally {
      await other.close();
    }
    await nextRequest(store);
    await notices.bump(accountId, partnerId, t);
    expect(await pendingNow()).toBe(1);
  });

  it('records accesses made together once each, in the activity log: every access listed under its consent, newest first; one pending notice batch per citizen and partner from its first access', async () => {
    const store = get();
    const consents = sqlConsents(store);
    const notices = sqlNoticeQueue(store);
    const clock = new ManualClock('2026-03-01T10:00:00.000Z');
    const activity = sqlActivityLog(store, crypto.randomBytes(32), clock);
    const cs = [consent(), consent(), consent({ partnerId: 'OLOTHER' })];
    for (const c of cs) await consents.create(c);
    const n = 300; // more than one batch
    await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const c = cs[i % cs.length]!;
        return recordPartnerAccess({ activity, notices, clock }, { consent: c, partner: { id: c.partnerId, name: 'Bank' } }, { action: i === 0 ? 'token_issued' : 'issued_list', subject: `s${i}`, ip: '10.0.0.9' });
      }),
    );
    for (const [k, c] of cs.entries()) {
      const mine = Array.from({ length: n }, (_, i) => i).filter((i) => i % cs.length === k);
      const listed = await consents.listAccesses(c.accountId, c.id, 1000);
      // Newest first: the reverse of the order the accesses were made in.
      expect(listed.map((a) => a.subject)).toEqual(mine.map((i) => `s${i}`).reverse());
      expect(listed.every((a) => a.consentId === c.id && a.accountId === c.accountId && a.partnerId === c.partnerId && a.ip === '10.0.0.9')).toBe(true);
      expect(listed.at(-1)!.action).toBe(k === 0 ? 'token_issued' : 'issued_list');
      expect(await consents.listAccesses(c.accountId, c.id, 2)).toEqual(listed.slice(0, 2));
      expect(await consents.accessesSince(c.accountId, c.partnerId, '2026-03-01T10:00:00.000Z')).toHaveLength(mine.length);
      expect(await consents.accessesSince(c.accountId, c.partnerId, '2026-03-01T10:00:00.001Z')).toEqual([]);
      const row = await store.db.selectFrom('partner_notices').selectAll().where('account_id', '=', c.accountId).where('partner_id', '=', c.partnerId).executeTakeFirstOrThrow();
      expect(Number(row.pending)).toBe(1); // a flag: the message is built from the access records
      expect(row.first_pending_at).toBe('2026-03-01T10:00:00.000Z');
    }
    // Another account's consent id, or events that are not accesses, are not listed.
    expect(await consents.listAccesses(crypto.randomUUID(), cs[0]!.id)).toEqual([]);
    await activity.append({ accountId: cs[0]!.accountId, type: 'consent_revoked', actor: { kind: 'citizen', id: cs[0]!.accountId, name: 'Citizen' }, ip: null, userAgent: null, subject: { kind: 'consent', id: cs[0]!.id, name: 'Bank' } });
    expect(await consents.listAccesses(cs[0]!.accountId, cs[0]!.id, 1000)).toHaveLength(n / cs.length);
  });

});
