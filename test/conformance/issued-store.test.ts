/**
 * The issued-documents store on SQLite and PostgreSQL: one row per (account, URI) however
 * often or concurrently it is saved, accounts never see each other's rows, bulk saves
 * refuse URIs another account holds, pending pulls are claimed by exactly one sweeper,
 * Aadhaar links are unique per number, and listing uses the account index (no scan).
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect, nextRequest, openAnotherConnection } from '../support/sql.ts';
import { sqlIssuedDocuments } from '../../src/storage/sql/repositories/issued-documents.ts';
import { sqlAadhaarLinks, sqlPushClients } from '../../src/storage/sql/repositories/aadhaar-links.ts';
import type { NewIssuedDocument } from '../../src/domain/issued/ports.ts';

const acct = () => crypto.randomUUID();
const doc = (accountId: string, uri: string, extra: Partial<NewIssuedDocument> = {}): NewIssuedDocument => ({ accountId, uri, issuerId: 'in.gov.cbse', doctype: 'HSCER', name: 'Class XII Marksheet', issuedOn: '2024-05-13', source: 'pull', ...extra });

describeEachDialect('issued documents store', (get) => {
  it('the list version moves with every change the list shows, in the same transaction, and never repeats', async () => {
    const s = sqlIssuedDocuments(get());
    const a = acct();
    const b = acct();
    const seen: number[] = [await s.listVersion(a)];
    const moved = async (what: string, fn: () => Promise<unknown>, account = a) => {
      const before = await s.listVersion(account);
      await fn();
      const after = await s.listVersion(account);
      expect(after, what).not.toBe(before);
      if (account === a) {
        expect(seen, `${what}: a version is never reused`).not.toContain(after);
        seen.push(after);
      }
    };
    expect(seen[0]).toBe(0);
    await moved('save', () => s.save(doc(a, 'in.gov.cbse-HSCER-V1'), new Date()));
    await moved('save again (refresh)', () => s.save(doc(a, 'in.gov.cbse-HSCER-V1', { name: 'Renamed' }), new Date()));
    await moved('saveMany', () => s.saveMany([doc(a, 'in.gov.cbse-HSCER-V2'), doc(b, 'in.gov.cbse-HSCER-V3')], new Date()));
    expect(await s.listVersion(b), 'saveMany bumps every account it wrote').toBeGreaterThan(0);
    await moved('remove', () => s.remove(a, 'in.gov.cbse-HSCER-V2'));
    const id = crypto.randomUUID();
    await moved('addPending', () => s.addPending({ id, accountId: a, issuerId: 'in.gov.cbse', doctype: 'HSCER', name: 'Class XII Marksheet', params: { rollno: '1' }, uri: null, attempts: 0, nextRetryAt: 0, lastError: null, createdAt: new Date().toISOString() }));
    // Retries do not change what the list shows: no new version.
    const v = await s.listVersion(a);
    await s.reschedulePending(id, 1, 10, 'still pending');
    await s.claimDuePending(20, 1000, 10);
    expect(await s.listVersion(a)).toBe(v);
    await moved('removePending', () => s.removePending(id));
    await moved('removeUri (an issuer deletes)', () => s.removeUri('in.gov.cbse-HSCER-V1'));
    await moved('removeUri, the other holder', () => s.removeUri('in.gov.cbse-HSCER-V3'), b);
    await moved('eraseAccount', () => s.eraseAccount(a));
    await moved('save after erasure', () => s.save(doc(a, 'in.gov.cbse-HSCER-V4'), new Date()));
    // A write that fails leaves the version alone (it is in the write's transaction).
    const held = await s.listVersion(a);
    await expect(s.saveMany([doc(a, 'in.gov.cbse-HSCER-V5', { name: null as unknown as string })], new Date())).rejects.toThrow();
    expect(await s.listVersion(a)).toBe(held);
    expect(await s.list(a)).toHaveLength(1);
  });

  // The version is cached on SQLite (storage/sql/read-cache.ts): `openlocker push import` on the
  // same file while the server runs must show in the next GET of the list.
  it('the list version moves with a change made through another connection (the CLI, another server)', async () => {
    const s = sqlIssuedDocuments(get());
    const a = acct();
    await s.save(doc(a, 'in.gov.cbse-HSCER-X1'), new Date());
    const v = await s.listVersion(a);
    expect(await s.listVersion(a)).toBe(v);
    const other = await openAnotherConnection(get() as never);
    try {
      await sqlIssuedDocuments(other).saveMany([doc(a, 'in.gov.cbse-HSCER-X2')], new Date());
    } finally {
      await other.close();
    }
    await nextRequest(get());
    expect(await s.listVersion(a)).not.toBe(v);
    expect((await s.list(a)).map((d) => d.uri).sort()).toEqual(['in.gov.cbse-HSCER-X1', 'in.gov.cbse-HSCER-X2']);
  });

  it('saves once per (account, uri); a second save refreshes the row and keeps createdAt', async () => {
    const s = sqlIssuedDocuments(get());
    const a = acct();
    expect(await s.save(doc(a, 'in.gov.cbse-HSCER-1'), new Date('2024-01-01T00:00:00Z'))).toEqual({ created: true });
    expect(await s.save(doc(a, 'in.gov.cbse-HSCER-1', { name: 'Renamed', source: 'push' }), new Date('2024-02-01T00:00:00Z'))).toEqual({ created: false });
    const got = await s.get(a, 'in.gov.cbse-HSCER-1');
    expect(got).toMatchObject({ name: 'Renamed', source: 'push', createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-02-01T00:00:00.000Z' });
    await Promise.all(Array.from({ length: 8 }, () => s.save(doc(a, 'in.gov.cbse-HSCER-2'), new Date())));
    expect(await s.list(a)).toHaveLength(2);
  });

  it('another account’s URI is invisible: get, list, remove', async () => {
    const s = sqlIssuedDocuments(get());
    const a = acct();
    const b = acct();
    await s.save(doc(a, 'in.gov.cbse-HSCER-A1'), new Date());
    expect(await s.get(b, 'in.gov.cbse-HSCER-A1')).toBeNull();
    expect(await s.list(b)).toEqual([]);
    expect(await s.remove(b, 'in.gov.cbse-HSCER-A1')).toBe(false);
    expect(await s.get(a, 'in.gov.cbse-HSCER-A1')).not.toBeNull();
  });

  it('lists newest first, filters by doc type, counts by issuer', async () => {
    const s = sqlIssuedDocuments(get());
    const a = acct();
    await s.save(doc(a, 'in.gov.cbse-HSCER-L1'), new Date('2024-01-01T00:00:00Z'));
    await s.save(doc(a, 'in.gov.transport-DRVLC-L2', { issuerId: 'in.gov.transport', doctype: 'DRVLC' }), new Date('2024-01-02T00:00:00Z'));
    await s.save(doc(a, 'in.gov.cbse-SSCER-L3', { doctype: 'SSCER' }), new Date('2024-01-03T00:00:00Z'));
    expect((await s.list(a)).map((d) => d.uri)).toEqual(['in.gov.cbse-SSCER-L3', 'in.gov.transport-DRVLC-L2', 'in.gov.cbse-HSCER-L1']);
    expect((await s.list(a, { doctypes: ['DRVLC'] })).map((d) => d.uri)).toEqual(['in.gov.transport-DRVLC-L2']);
    expect((await s.list(a, { limit: 1 })).map((d) => d.uri)).toEqual(['in.gov.cbse-SSCER-L3']);
    expect(await s.countByIssuer(a)).toEqual([
      { issuerId: 'in.gov.cbse', count: 2 },
      { issuerId: 'in.gov.transport', count: 1 },
    ]);
  });

  it('saveMany upserts a batch, refuses URIs held by another account, and takes the last of duplicates', async () => {
    const s = sqlIssuedDocuments(get());
    const a = acct();
    const b = acct();
    await s.save(doc(b, 'in.gov.cbse-HSCER-B1'), new Date());
    const r = await s.saveMany([doc(a, 'in.gov.cbse-HSCER-M1'), doc(a, 'in.gov.cbse-HSCER-B1'), doc(a, 'in.gov.cbse-HSCER-M2', { name: 'first' }), doc(a, 'in.gov.cbse-HSCER-M2', { name: 'second' })], new Date());
    expect(r).toEqual({ written: 2, conflicts: ['in.gov.cbse-HSCER-B1'] });
    expect((await s.get(a, 'in.gov.cbse-HSCER-M2'))!.name).toBe('second');
    expect(await s.ownerOf('in.gov.cbse-HSCER-B1')).toBe(b);
    expect(await s.removeUri('in.gov.cbse-HSCER-B1')).toEqual([b]);
    expect(await s.ownerOf('in.gov.cbse-HSCER-B1')).toBeNull();
  });

  it('a due pending pull is claimed by exactly one of several concurrent sweepers', async () => {
    const s = sqlIssuedDocuments(get());
    const a = acct();
    const id = crypto.randomUUID();
    await s.addPending({ id, accountId: a, issuerId: 'in.gov.cbse', doctype: 'HSCER', name: 'Class XII Marksheet', params: { rollno: '1', year: '2024' }, uri: null, attempts: 0, nextRetryAt: 1000, lastError: null, createdAt: new Date().toISOString() });
    const claims = await Promise.all(Array.from({ length: 6 }, () => s.claimDuePending(2000, 60_000, 100)));
    const mine = claims.flat().filter((p) => p.id === id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.params).toEqual({ rollno: '1', year: '2024' });
    expect((await s.claimDuePending(2000, 60_000, 100)).filter((p) => p.id === id)).toEqual([]);
    expect((await s.listPending(a)).map((p) => p.id)).toEqual([id]);
    await s.eraseAccount(a);
    expect(await s.listPending(a)).toEqual([]);
  });

  it('one Aadhaar links one account; the number itself is never a column', async () => {
    const links = sqlAadhaarLinks(get());
    const a = acct();
    const b = acct();
    const hash = crypto.randomBytes(32).toString('hex');
    const link = { uidHash: hash, uidLast4: '0016', name: 'Asha Verma', dob: '2006-03-14', gender: 'F' as const, photo: null, address: { careOf: 'D/O Ramesh Verma', line: '12 Gandhi Marg', district: 'Lucknow', state: 'Uttar Pradesh', pin: '226001' }, eaadhaarUri: 'in.gov.uidai-ADHAR-x', linkedAt: new Date().toISOString() };
    await links.save({ accountId: a, ...link });
    await links.save({ accountId: a, ...link, name: 'Asha Verma' });
    await expect(links.save({ accountId: b, ...link })).rejects.toMatchObject({ code: 'aadhaar_linked_elsewhere' });
    expect(await links.get(a)).toMatchObject({ uidLast4: '0016', name: 'Asha Verma', address: link.address });
    // A link made before addresses were kept reads back without one.
    await links.save({ accountId: a, ...link, address: null });
    expect((await links.get(a))!.address).toBeNull();
    expect(await links.get(b)).toBeNull();
  });

  it('a push credential replaces the issuer’s previous one', async () => {
    const clients = sqlPushClients(get());
    const issuer = `in.gov.test${crypto.randomBytes(3).toString('hex')}`;
    await clients.set({ clientId: `C1${issuer}`, issuerId: issuer, secretSealed: 'v1.x', createdAt: new Date().toISOString() });
    await clients.set({ clientId: `C2${issuer}`, issuerId: issuer, secretSealed: 'v1.y', createdAt: new Date().toISOString() });
    expect(await clients.get(`C1${issuer}`)).toBeNull();
    expect((await clients.forIssuer(issuer))!.clientId).toBe(`C2${issuer}`);
  });

  it('listing a citizen’s documents uses the (account_id, created_at) index, not a scan', async () => {
    const store = get();
    const a = acct();
    if (store.caps.name === 'sqlite') {
      const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT * FROM issued_documents WHERE account_id = ${a} ORDER BY created_at DESC, uri DESC LIMIT 100`.execute(store.db);
      const text = plan.rows.map((r) => r.detail).join(' | ');
      expect(text).toMatch(/USING (COVERING )?INDEX issued_documents_account_created/);
      expect(text).not.toMatch(/TEMP B-TREE/);
    } else {
      // One connection: SET LOCAL and EXPLAIN in one transaction (the table is tiny, so the
      // planner would rightly prefer a scan; the point is that the index serves the order).
      const plan = await store.db.transaction().execute(async (tx) => {
        await sql`SET LOCAL enable_seqscan = off`.execute(tx);
        return sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT * FROM issued_documents WHERE account_id = ${a} ORDER BY created_at DESC, uri DESC LIMIT 100`.execute(tx);
      });
      const text = plan.rows.map((r) => r['QUERY PLAN']).join(' | ');
      expect(text).toMatch(/Index Scan Backward using issued_documents_account_created/);
      expect(text).not.toMatch(/Sort/);
    }
  });
});
