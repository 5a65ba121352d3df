/**
 * The issuer registry's contract (domain/issuers/ports.ts) on SQLite and PostgreSQL:
 * save/replace as a whole, keys, search and paging, the seeded directory, and document
 * URIs resolved against it.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { masterKeyFromBytes } from '../../src/crypto/master-key.ts';
import { secretBox } from '../../src/crypto/secret-box.ts';
import { ManualClock } from '../../src/domain/clock.ts';
import { directoryRecord, loadDirectory } from '../../src/domain/issuers/directory.ts';
import { registerIssuer } from '../../src/domain/issuers/register-issuer.ts';
import { resolveDocumentUri, uriCandidates } from '../../src/domain/issuers/resolve-document-uri.ts';
import { seedIssuerDirectory } from '../../src/domain/issuers/seed-directory.ts';
import { sqlIssuerRegistry } from '../../src/storage/sql/repositories/issuer-registry.ts';
import { buildDoctype, buildIssuerBody, buildIssuerRecord, uniqueIssuerId } from '../support/issuers.ts';
import { describeEachDialect } from '../support/sql.ts';

const at = new Date('2025-03-01T10:00:00Z');

describeEachDialect('issuer registry', (get) => {
  const registry = () => sqlIssuerRegistry(get());

  it('creates, then replaces an issuer whole: fields and the set of document types', async () => {
    const rec = buildIssuerRecord({ doctypes: [buildDoctype({ code: 'SSCER' }), buildDoctype({ code: 'HSCER', pullUriUrl: 'https://x.example/u', pullDocUrl: 'https://x.example/d' })] });
    expect(await registry().save(rec, { sealed: 'v1.sealed', hint: '…abcd' }, at)).toEqual({ created: true });
    const got = await registry().get(rec.id);
    expect(got).toMatchObject({ id: rec.id, name: rec.name, category: 'education', scope: 'state', state: 'Uttar Pradesh', status: 'active', source: 'admin', connected: true, doctypeCount: 2, hmacKeySet: true, hmacKeyHint: '…abcd', createdAt: at.toISOString() });
    expect((await registry().doctypes(rec.id)).map((d) => d.code)).toEqual(['SSCER', 'HSCER']);
    expect(await registry().doctype(rec.id, 'HSCER')).toEqual(buildDoctype({ code: 'HSCER', pullUriUrl: 'https://x.example/u', pullDocUrl: 'https://x.example/d' }));

    const later = new Date(at.getTime() + 60_000);
    expect(await registry().save({ ...rec, name: 'Renamed Board', doctypes: [buildDoctype({ code: 'MICER', name: 'Migration' })] }, undefined, later)).toEqual({ created: false });
    const after = await registry().get(rec.id);
    expect(after).toMatchObject({ name: 'Renamed Board', doctypeCount: 1, hmacKeySet: true, hmacKeyHint: '…abcd', createdAt: at.toISOString(), updatedAt: later.toISOString() });
    expect((await registry().doctypes(rec.id)).map((d) => d.code)).toEqual(['MICER']);
    expect(await registry().sealedKey(rec.id)).toBe('v1.sealed');

    await registry().save(rec, null, later);
    expect(await registry().get(rec.id)).toMatchObject({ hmacKeySet: false, hmacKeyHint: null, connected: false });
    expect(await registry().sealedKey(rec.id)).toBeNull();
  });

  it('connected means active, a key, and some document type with both endpoints', async () => {
    const noEndpoints = buildIssuerRecord({ pullUriUrl: null, pullDocUrl: null });
    await registry().save(noEndpoints, { sealed: 's', hint: 'h' }, at);
    expect((await registry().get(noEndpoints.id))!.connected).toBe(false);
    const perDoctype = buildIssuerRecord({ pullUriUrl: null, pullDocUrl: null, doctypes: [buildDoctype({ pullUriUrl: 'https://a/u', pullDocUrl: 'https://a/d' })] });
    await registry().save(perDoctype, { sealed: 's', hint: 'h' }, at);
    expect((await registry().get(perDoctype.id))!.connected).toBe(true);
    expect(await registry().setStatus(perDoctype.id, 'disabled', at)).toBe(true);
    expect((await registry().get(perDoctype.id))!).toMatchObject({ connected: false, status: 'disabled' });
    expect(await registry().setStatus('in.gov.nobody', 'disabled', at)).toBe(false);
  });

  it('names doc type codes: a connected issuer’s name first, else the commonest; disabled issuers and unknown codes left out', async () => {
    const code = `Q${crypto.randomBytes(2).toString('hex').toUpperCase()}`;
    const none = `Z${crypto.randomBytes(2).toString('hex').toUpperCase()}`;
    // Two directory-style issuers (not connected) call it one thing, a third another.
    for (const name of ['Skill Certificate', 'Skill Certificate', 'Certificate of Skill']) {
      await registry().save(buildIssuerRecord({ pullUriUrl: null, pullDocUrl: null, doctypes: [buildDoctype({ code, name })] }), null, at);
    }
    expect((await registry().doctypeNames([code, none])).get(code)).toBe('Skill Certificate');
    expect((await registry().doctypeNames([code, none])).has(none)).toBe(false);
    // A connected issuer’s name wins over any number of unconnected ones; once disabled it no longer counts.
    const live = buildIssuerRecord({ doctypes: [buildDoctype({ code, name: 'National Skill Certificate', pullUriUrl: 'https://a/u', pullDocUrl: 'https://a/d' })] });
    await registry().save(live, { sealed: 's', hint: 'h' }, at);
    expect((await registry().doctypeNames([code])).get(code)).toBe('National Skill Certificate');
    await registry().setStatus(live.id, 'disabled', at);
    expect((await registry().doctypeNames([code])).get(code)).toBe('Skill Certificate');
    expect(await registry().doctypeNames([])).toEqual(new Map());
  });

  it('concurrent saves of one new id: exactly one creates, and the survivor is one whole save', async () => {
    const id = uniqueIssuerId();
    const a = buildIssuerRecord({ id, name: 'Version A', doctypes: [buildDoctype({ code: 'AAAAA' })] });
    const b = buildIssuerRecord({ id, name: 'Version B', doctypes: [buildDoctype({ code: 'BBBBB' }), buildDoctype({ code: 'CCCCC' })] });
    const results = await Promise.all([registry().save(a, undefined, at), registry().save(b, undefined, at)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const got = await registry().get(id);
    const codes = (await registry().doctypes(id)).map((d) => d.code);
    expect(got!.name === 'Version A' ? codes : codes).toEqual(got!.name === 'Version A' ? ['AAAAA'] : ['BBBBB', 'CCCCC']);
    expect(got!.doctypeCount).toBe(codes.length);
  });

  it('lists by category and search words, connected first, with totals and pages; hides disabled unless asked', async () => {
    const tag = crypto.randomBytes(4).toString('hex');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const rec = buildIssuerRecord({ name: `Zeta ${tag} Board ${i}`, category: 'health', pullUriUrl: i === 3 ? 'https://a/u' : null, pullDocUrl: i === 3 ? 'https://a/d' : null, doctypes: [buildDoctype({ name: `Fitness ${tag} card` })] });
      await registry().save(rec, { sealed: 's', hint: 'h' }, at);
      ids.push(rec.id);
    }
    await registry().setStatus(ids[4]!, 'disabled', at);
    const page1 = await registry().list({ q: tag, category: 'health', offset: 0, limit: 2 });
    expect(page1.total).toBe(4);
    expect(page1.items.map((i) => i.name)).toEqual([`Zeta ${tag} Board 3`, `Zeta ${tag} Board 0`]);
    expect(page1.items[0]!.connected).toBe(true);
    const page2 = await registry().list({ q: tag, category: 'health', offset: 2, limit: 2 });
    expect(page2.items.map((i) => i.name)).toEqual([`Zeta ${tag} Board 1`, `Zeta ${tag} Board 2`]);
    expect((await registry().list({ q: tag, offset: 0, limit: 10 })).items.map((i) => i.id)).not.toContain(ids[4]);
    expect((await registry().list({ q: `${tag} BOARD`, includeDisabled: true, offset: 0, limit: 10 })).items.map((i) => i.id)).toContain(ids[4]);
    expect((await registry().list({ q: `fitness ${tag}`, offset: 0, limit: 10 })).total).toBe(4); // document type names are searched too
    expect((await registry().list({ q: tag, connectedOnly: true, offset: 0, limit: 10 })).items.map((i) => i.id)).toEqual([ids[3]]);
    expect((await registry().list({ q: tag, category: 'transport', offset: 0, limit: 10 })).total).toBe(0);
    expect((await registry().list({ q: `${tag}%`, offset: 0, limit: 10 })).total).toBe(0); // % is a character, not a wildcard
    const counts = await registry().categoryCounts();
    expect(counts.find((c) => c.category === 'health')!.issuers).toBeGreaterThanOrEqual(4);
  });

  it('seeds the real directory idempotently, in one go, leaving operator-registered ids alone', async () => {
    const clock = new ManualClock(at);
    const issuers = registry();
    const adminCbse = buildIssuerRecord({ id: 'in.gov.cbse', name: 'CBSE as the operator registered it', doctypes: [buildDoctype()] });
    await issuers.save(adminCbse, { sealed: 's', hint: 'h' }, at);
    const first = await seedIssuerDirectory({ issuers, clock });
    const dir = loadDirectory();
    expect(first).toMatchObject({ changed: true, inserted: dir.issuers.length - 1, updated: 0, skipped: 1, version: dir.version });
    expect(await issuers.directoryVersion()).toBe(dir.version);
    expect((await issuers.get('in.gov.cbse'))!.name).toBe('CBSE as the operator registered it');
    expect((await issuers.list({ offset: 0, limit: 1 })).total).toBeGreaterThanOrEqual(1493);
    const again = await seedIssuerDirectory({ issuers, clock });
    expect(again).toMatchObject({ changed: false, inserted: 0, updated: 0 });
    // A forced re-seed refreshes directory rows, keeps an operator's "disabled", and changes nothing else.
    await issuers.setStatus('in.gov.pan', 'disabled', at);
    const forced = await seedIssuerDirectory({ issuers, clock }, { force: true });
    expect(forced).toMatchObject({ inserted: 0, updated: dir.issuers.length - 1, skipped: 1 });
    expect((await issuers.get('in.gov.pan'))!.status).toBe('disabled');
    const pan = await issuers.get('in.gov.pan');
    expect(pan).toMatchObject({ name: 'Income Tax Department', category: 'identity', scope: 'central', connected: false, source: 'directory' });
    const pancr = await issuers.doctype('in.gov.pan', 'PANCR');
    expect(pancr!.parameters.map((p) => p.name)).toEqual(['panno', 'PANFullName']);
    expect(pancr!.profileFields).toEqual(['UID', 'FullName', 'DOB', 'GENDER']);
    expect(directoryRecord(dir.issuers.find((i) => i.id === 'in.gov.pan')!).doctypes[0]!.parameters[0]!.pattern).toBe('[A-Za-z]{5}[0-9]{4}[A-Za-z]');
    const search = await issuers.list({ q: 'driving license', offset: 0, limit: 100 });
    expect(search.items.map((i) => i.id)).toContain('in.gov.transport');
    await issuers.setStatus('in.gov.pan', 'active', at);
  });

  it('two instances seeding the directory at the same moment both succeed, with one copy of each issuer', async () => {
    const issuers = registry();
    const dir = loadDirectory();
    const tag = crypto.randomBytes(2).toString('hex');
    const records = dir.issuers.slice(0, 400).map(directoryRecord).map((r) => ({ ...r, id: `${r.id}.race${tag}` }));
    // Warm the pool (PostgreSQL) so both seeds really run at once on their own connections.
    await Promise.all(Array.from({ length: 4 }, () => sql`select 1`.execute(get().db)));
    const results = await Promise.all([issuers.seedDirectory(records, 'race-version', at), sqlIssuerRegistry(get()).seedDirectory(records, 'race-version', at)]);
    expect(results.every((r) => r.inserted + r.updated + r.skipped === records.length)).toBe(true);
    for (const r of records.slice(0, 5)) expect(await issuers.doctypes(r.id)).toHaveLength(r.doctypes.length);
  });

  it('resolves document URIs against the registry, whatever dashes the issuer id and doc id contain', async () => {
    const issuers = registry();
    const dashed = buildIssuerRecord({ id: `in.gov.up-board.x${crypto.randomBytes(3).toString('hex')}`, doctypes: [buildDoctype({ code: 'HSCER' }), buildDoctype({ code: 'FITCER' })] });
    await issuers.save(dashed, undefined, at);
    const r = await resolveDocumentUri({ issuers }, `${dashed.id}-HSCER-2024-AB-12345`);
    expect(r).toMatchObject({ docId: '2024-AB-12345', doctype: { code: 'HSCER' } });
    expect(r.issuer.id).toBe(dashed.id);
    expect((await resolveDocumentUri({ issuers }, `${dashed.id}-FITCER-X1`)).doctype.code).toBe('FITCER');
    // A docId that itself looks like "-CODE-" does not confuse it.
    expect((await resolveDocumentUri({ issuers }, `${dashed.id}-HSCER-A-SSCER-B`)).docId).toBe('A-SSCER-B');
    for (const [uri, code] of [
      ['', 'invalid_uri'],
      ['no-dashes', 'invalid_uri'],
      [`${dashed.id}-HSCER-has space`, 'invalid_uri'],
      [`${dashed.id}-HSCER-${'x'.repeat(600)}`, 'invalid_uri'],
      [`${dashed.id}-SSCER-1`, 'invalid_uri'],
      ['in.gov.unknown-HSCER-1', 'invalid_uri'],
    ] as const) {
      await expect(resolveDocumentUri({ issuers }, uri)).rejects.toMatchObject({ code });
    }
    await expect(resolveDocumentUri({ issuers }, 'in.gov.unknown-HSCER-1')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(resolveDocumentUri({ issuers }, 'garbage')).rejects.toMatchObject({ kind: 'invalid' });
    // Issuer ids are lower case, so a later split is a candidate only after an all-digit code.
    expect(uriCandidates('in.gov.a-b-HSCER-1-ABCDE-2').map((c) => c.issuerId)).toEqual(['in.gov.a-b']);
    expect(uriCandidates('in.gov.a-12345-b-HSCER-c').map((c) => [c.issuerId, c.doctype, c.docId])).toEqual([
      ['in.gov.a', '12345', 'b-HSCER-c'],
      ['in.gov.a-12345-b', 'HSCER', 'c'],
    ]);
  });

  it('keeps HMAC keys sealed at rest: the stored column never holds the key', async () => {
    const clock = new ManualClock(at);
    const secrets = secretBox(masterKeyFromBytes(crypto.randomBytes(32)), 'issuer-hmac-keys');
    const body = buildIssuerBody({ hmac_key: 'plain-key-that-must-not-be-stored-1234' });
    const { issuer } = await registerIssuer({ issuers: registry(), secrets, clock, production: false }, body);
    expect(issuer.hmacKeyHint).toBe('…1234');
    const row = await get().db.selectFrom('issuers').selectAll().where('id', '=', String(body.id)).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('plain-key-that-must-not-be-stored');
    expect(secrets.open(row.hmac_key_sealed!, String(body.id)).toString()).toBe('plain-key-that-must-not-be-stored-1234');
  });
});
