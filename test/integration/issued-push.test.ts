/**
 * Push (issuer → locker) on both stacks: DigiLocker's account/1/pushuri as multipart and
 * form posts (add, update, delete; duplicate and cross-account refusals), client
 * authentication (wrong HMAC, stale ts, unknown client, another issuer's namespace), the
 * bulk endpoint, and the streamed CSV import by mobile across several batches.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { useSandbox } from '../support/issued.ts';
import { importPushCsv } from '../../src/domain/issued/import-push-csv.ts';
import { issuedServices } from '../../src/wiring/issued.ts';
import { sqlIssuedDocuments } from '../../src/storage/sql/repositories/issued-documents.ts';
import { sqlIssuerRegistry } from '../../src/storage/sql/repositories/issuer-registry.ts';
import { nextRequest, openAnotherConnection } from '../support/sql.ts';

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

function multipart(fields: Record<string, string>): { payload: string; headers: Record<string, string> } {
  const boundary = `----ol${crypto.randomBytes(8).toString('hex')}`;
  const payload = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('') + `--${boundary}--\r\n`;
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachStack('issued documents: push', (get) => {
  useSandbox(get);
  let cred: { client_id: string; client_secret: string };
  let a: TestCitizen;
  let b: TestCitizen;
  const auth = (ts = String(Math.floor(Date.now() / 1000)), secret = cred.client_secret, clientid = cred.client_id) => ({ clientid, ts, hmac: sha(secret + clientid + ts) });
  const pushMultipart = (fields: Record<string, string>) => {
    const m = multipart(fields);
    return get().app.inject({ method: 'POST', url: '/public/account/1/pushuri', payload: m.payload, headers: m.headers });
  };
  const list = async (c: TestCitizen) => ((await get().app.inject({ url: '/api/v1/issued', headers: c.headers })).json().items as Array<{ uri: string; name: string }>);

  it('an operator creates the issuer’s push credential (admin API); the secret is returned once', async () => {
    const t = get();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/admin/issuers/in.gov.cbse/push-credential', headers: ADMIN });
    expect(res.statusCode).toBe(200);
    cred = res.json();
    expect(cred.client_id).toMatch(/^PUSH[0-9A-F]{16}$/);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/admin/issuers/in.gov.cbse/push-credential' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/admin/issuers/in.gov.none/push-credential', headers: ADMIN })).statusCode).toBe(404);
    a = await signUpCitizen(t.app, t.deps, { name: 'Asha Verma' });
    b = await signUpCitizen(t.app, t.deps, { name: 'Bina Rao' });
  });

  it('add (multipart), duplicate add refused, update, then delete', async () => {
    const uri = 'in.gov.cbse-HSCER-20249990001';
    const add = await pushMultipart({ ...auth(), digilockerid: a.accountId, uri, docid: '20249990001', issuedate: '13052024', action: 'A' });
    expect(add.statusCode, add.body).toBe(200);
    expect(add.json()).toEqual({ status: 'success', action: 'A', uri });
    expect(await list(a)).toEqual([expect.objectContaining({ uri, name: 'Class XII Marksheet', date: '2024-05-13' })]);
    const again = await pushMultipart({ ...auth(), digilockerid: a.accountId, uri, issuedate: '13052024', action: 'A' });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ error: 'invalid_parameter', error_description: 'URI already exists in this account' });
    const elsewhere = await pushMultipart({ ...auth(), digilockerid: b.accountId, uri, action: 'A' });
    expect(elsewhere.json()).toMatchObject({ error: 'invalid_parameter', error_description: 'URI already exists in another account' });
    const upd = await get().app.inject({ method: 'POST', url: '/public/account/1/pushuri', payload: new URLSearchParams({ ...auth(), digilockerid: a.accountId, uri, issuedate: '14052024', action: 'U', description: 'Class XII Marksheet (revised)' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(await list(a)).toEqual([expect.objectContaining({ uri, name: 'Class XII Marksheet (revised)', date: '2024-05-14' })]);
    const log = await get().deps.activity.list(a.accountId, { limit: 5 });
    expect(log.items[0]).toMatchObject({ type: 'issued_pushed', actor: { kind: 'issuer', id: 'in.gov.cbse' } });
    const del = await pushMultipart({ ...auth(), digilockerid: a.accountId, uri, action: 'D' });
    expect(del.statusCode).toBe(200);
    expect(await list(a)).toEqual([]);
    expect((await get().deps.activity.list(a.accountId, { limit: 1 })).items[0]!.type).toBe('issued_push_deleted');
  });

  it('the list has an ETag: 304 while it is unchanged; a change by another process or an issuer rename shows at once', async () => {
    const t = get();
    const ask = (headers: Record<string, string> = {}) => t.app.inject({ url: '/api/v1/issued', headers: { ...a.headers, ...headers } });
    const uri = 'in.gov.cbse-HSCER-20249990077';
    expect((await pushMultipart({ ...auth(), digilockerid: a.accountId, uri, issuedate: '13052024', action: 'A' })).statusCode).toBe(200);
    const first = await ask();
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.json().items).toEqual([expect.objectContaining({ uri, issuer: 'Central Board of Secondary Education' })]);
    for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const same = await ask({ 'if-none-match': inm });
      expect(same.statusCode, inm).toBe(304);
      expect(same.body).toBe('');
      expect(same.headers.etag).toBe(etag);
    }
    expect((await ask({ 'if-none-match': '"not-it"' })).statusCode).toBe(200);
    // Signed out: no list, cached or not.
    expect((await t.app.inject({ url: '/api/v1/issued', headers: { 'if-none-match': etag } })).statusCode).toBe(401);

    // Another process (its own connection, nothing shared in memory) adds a document.
    const other = await openAnotherConnection(t.sql);
    try {
      await sqlIssuedDocuments(other).save({ accountId: a.accountId, uri: 'in.gov.cbse-SSCER-20229990078', issuerId: 'in.gov.cbse', doctype: 'SSCER', name: 'Class X Marksheet', issuedOn: '2022-05-13', source: 'push' }, new Date());
    } finally {
      await other.close();
    }
    await nextRequest();
    const changed = await ask({ 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().items.map((i: { uri: string }) => i.uri).sort()).toEqual([uri, 'in.gov.cbse-SSCER-20229990078']);

    // The registry renames the issuer (here, in this process): the names follow at once.
    const registry = sqlIssuerRegistry(t.sql);
    const cbse = (await registry.get('in.gov.cbse'))!;
    const record = { ...cbse, doctypes: await registry.doctypes('in.gov.cbse') };
    await registry.save({ ...record, name: 'CBSE (renamed)' }, undefined, new Date());
    try {
      const renamed = await ask({ 'if-none-match': changed.headers.etag as string });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json().items.every((i: { issuer: string }) => i.issuer === 'CBSE (renamed)')).toBe(true);
    } finally {
      await registry.save(record, undefined, new Date());
    }
    for (const u of [uri, 'in.gov.cbse-SSCER-20229990078']) expect((await pushMultipart({ ...auth(), digilockerid: a.accountId, uri: u, action: 'D' })).statusCode).toBe(200);
    expect((await ask()).json().items).toEqual([]);
  });

  it('refuses a wrong HMAC, a stale ts, an unknown client, another issuer’s URI and an unknown citizen', async () => {
    const uri = 'in.gov.cbse-HSCER-20249990002';
    const wrong = await pushMultipart({ ...auth(undefined, 'not-the-secret'), digilockerid: a.accountId, uri });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toBe('hmac_mismatch');
    const stale = await pushMultipart({ ...auth(String(Math.floor(Date.now() / 1000) - 2 * 3600)), digilockerid: a.accountId, uri });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().error_description).toMatch(/Timestamp/);
    const unknown = await pushMultipart({ ...auth(undefined, 'x', 'PUSH0000000000000000'), digilockerid: a.accountId, uri });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toBe('invalid_client_id');
    const foreign = await pushMultipart({ ...auth(), digilockerid: a.accountId, uri: 'in.gov.transport-DRVLC-UP7820109990001' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error_description).toMatch(/URI parameter/);
    const nobody = await pushMultipart({ ...auth(), digilockerid: crypto.randomUUID(), uri });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().error).toBe('invalid_digilocker_id');
    expect(await list(a)).toEqual([]);
  });

  it('bulk endpoint: rows accepted or rejected one by one', async () => {
    const res = await get().app.inject({
      method: 'POST',
      url: '/public/account/1/pushuri/bulk',
      payload: {
        ...auth(),
        items: [
          { digilockerid: a.accountId, uri: 'in.gov.cbse-SSCER-20229990003', issuedate: '2022-05-01' },
          { mobile: b.mobile, uri: 'in.gov.cbse-SSCER-20229990004' },
          { digilockerid: a.accountId, uri: 'in.gov.pan-PANCR-TSTPS0001A' },
          { digilockerid: a.accountId, uri: 'in.gov.cbse-NOTYP-1' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      written: 2,
      deleted: 0,
      rejected: [
        { row: 3, uri: 'in.gov.pan-PANCR-TSTPS0001A', error: 'invalid_uri' },
        { row: 4, uri: 'in.gov.cbse-NOTYP-1', error: 'invalid_doctype' },
      ],
    });
    expect((await list(b)).map((d) => d.uri)).toEqual(['in.gov.cbse-SSCER-20229990004']);
    const bad = await get().app.inject({ method: 'POST', url: '/public/account/1/pushuri/bulk', payload: { ...auth(undefined, 'wrong'), items: [] } });
    expect(bad.statusCode).toBe(401);
  });

  it('CSV import streams in batches of 1,000 (by mobile and by DigiLocker id), reporting bad rows', async () => {
    const services = issuedServices(get().deps);
    async function* csv() {
      yield 'mobile,uri,docname,issuedate,action\n';
      for (let i = 0; i < 2500; i++) yield `${i % 2 ? a.mobile : b.mobile},in.gov.cbse-HSCER-2024${String(7000000 + i)},"Marksheet, ${i}",13052024,A\n`;
      yield `+919999999999,in.gov.cbse-HSCER-20248888888,,,A\n`;
    }
    const batches: number[] = [];
    const sum = await importPushCsv(services, { issuerId: 'in.gov.cbse', issuerName: 'CBSE' }, Readable.from(csv()), (rows) => batches.push(rows));
    expect(sum).toMatchObject({ rows: 2501, written: 2500, deleted: 0, rejected: 1 });
    expect(sum.firstRejections).toEqual([{ row: 2501, uri: 'in.gov.cbse-HSCER-20248888888', error: 'invalid_digilocker_id' }]);
    expect(batches).toEqual([1000, 1000, 501]);
    const mine = await services.docs.list(a.accountId, { limit: 5000 });
    expect(mine.filter((d) => d.uri.startsWith('in.gov.cbse-HSCER-20247')).length).toBe(1250);
    expect(mine.find((d) => d.uri === 'in.gov.cbse-HSCER-20247000001')!.name).toBe('Marksheet, 1');
  });

  it('a date that does not exist is refused, not stored (32-13-2024, 29-02-2023)', async () => {
    const services = issuedServices(get().deps);
    async function* csv() {
      yield 'mobile,uri,issuedate\n';
      yield `${a.mobile},in.gov.cbse-SSCER-20229900001,32132024\n`;
      yield `${a.mobile},in.gov.cbse-SSCER-20229900002,29022023\n`;
      yield `${a.mobile},in.gov.cbse-SSCER-20229900003,2024-02-30\n`;
      yield `${a.mobile},in.gov.cbse-SSCER-20229900004,29022024\n`;
    }
    const sum = await importPushCsv(services, { issuerId: 'in.gov.cbse', issuerName: 'CBSE' }, Readable.from(csv()), () => {});
    expect(sum).toMatchObject({ rows: 4, written: 1, rejected: 3 });
    expect(sum.firstRejections.map((r) => r.error)).toEqual(['invalid_issuedate', 'invalid_issuedate', 'invalid_issuedate']);
    expect((await services.docs.get(a.accountId, 'in.gov.cbse-SSCER-20229900004'))?.issuedOn).toBe('2024-02-29');
  });
});
