/**
 * Pulling documents from issuers through the citizen API, against the sandbox issuers over
 * real HTTP, on SQLite+fs and PostgreSQL+S3: issued, pending (retried by the sweeper),
 * record not found, field errors, issuer timeout and 5xx, name mismatch; the live file
 * (PDF and XML), removal, the activity log, and cross-citizen access answering "not found".
 */
import { describe, expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { useSandbox } from '../support/issued.ts';
import { issuedServices } from '../../src/wiring/issued.ts';
import { sqlIssuerRegistry } from '../../src/storage/sql/repositories/issuer-registry.ts';
import { openAnotherConnection } from '../support/sql.ts';
import { retryPendingPulls } from '../../src/domain/issued/retry-pending.ts';

describeEachStack(
  'issued documents: pull',
  (get) => {
    useSandbox(get, { slowMs: 6000 });
    let asha: TestCitizen;
    let deepak: TestCitizen;
    let other: TestCitizen;
    const pull = (c: TestCitizen, issuer_id: string, doctype: string, params: Record<string, string>) =>
      get().app.inject({ method: 'POST', url: '/api/v1/issued/pull', headers: c.headers, payload: { issuer_id, doctype, params } });

    it('signs up citizens named like sandbox people', async () => {
      const t = get();
      asha = await signUpCitizen(t.app, t.deps, { name: 'Asha Verma', dob: '2006-03-14', gender: 'F' });
      deepak = await signUpCitizen(t.app, t.deps, { name: 'Deepak Yadav', dob: '2006-06-06', gender: 'M' });
      other = await signUpCitizen(t.app, t.deps, { name: 'Someone Else', dob: '1990-01-01', gender: 'M' });
    });

    it('pulls a CBSE marksheet: the URI is saved, the list shows it, the file comes live from the issuer', async () => {
      const res = await pull(asha, 'in.gov.cbse', 'HSCER', { rollno: '2410001', year: '2024' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ uri: 'in.gov.cbse-HSCER-20242410001', name: 'Class XII Marksheet', status: 'issued' });
      const list = await get().app.inject({ url: '/api/v1/issued', headers: asha.headers });
      expect(list.statusCode).toBe(200);
      expect(list.json().items).toEqual([
        { uri: 'in.gov.cbse-HSCER-20242410001', name: 'Class XII Marksheet', doctype: 'HSCER', issuer_id: 'in.gov.cbse', issuer: 'Central Board of Secondary Education', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), status: 'issued' },
      ]);
      const pdf = await get().app.inject({ url: '/api/v1/issued/in.gov.cbse-HSCER-20242410001/file', headers: asha.headers });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toMatch(/^inline; filename="in\.gov\.cbse-HSCER-20242410001\.pdf"$/);
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      const xml = await get().app.inject({ url: '/api/v1/issued/in.gov.cbse-HSCER-20242410001/file?format=xml', headers: asha.headers });
      expect(xml.statusCode).toBe(200);
      expect(xml.headers['content-type']).toMatch(/^application\/xml/);
      expect(xml.body).toContain('<Certificate');
    });

    it('an issuer disabled by another process (openlocker issuers disable) is refused at the next open; enabled, it works again', async () => {
      const t = get();
      const open = () => t.app.inject({ url: '/api/v1/issued/in.gov.cbse-HSCER-20242410001/file', headers: asha.headers });
      expect((await open()).statusCode).toBe(200);
      const other = await openAnotherConnection(t.sql);
      try {
        await sqlIssuerRegistry(other).setStatus('in.gov.cbse', 'disabled', new Date());
        const refused = await open();
        expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(400);
        expect(refused.json().error).toBe('repository_service_inactive');
        await sqlIssuerRegistry(other).setStatus('in.gov.cbse', 'active', new Date());
        expect((await open()).statusCode).toBe(200);
      } finally {
        await other.close();
      }
    });

    it('pulling the same document again keeps one row', async () => {
      const res = await pull(asha, 'in.gov.cbse', 'HSCER', { rollno: '2410001', year: '2024' });
      expect(res.statusCode).toBe(200);
      const list = await get().app.inject({ url: '/api/v1/issued', headers: asha.headers });
      expect(list.json().items).toHaveLength(1);
    });

    it('refuses, with the reason, a document whose holder is someone else (name mismatch)', async () => {
      const res = await pull(other, 'in.gov.cbse', 'HSCER', { rollno: '2410001', year: '2024' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toBe('name_mismatch');
      expect(res.json().error_description).toContain('does not match the name in your locker');
      // Nothing about the holder: typing another person's roll number must not reveal their name.
      expect(res.body).not.toContain('Asha');
      expect(Object.keys(res.json()).sort()).toEqual(['error', 'error_description']);
      const list = await get().app.inject({ url: '/api/v1/issued', headers: other.headers });
      expect(list.json().items).toEqual([]);
    });

    it('record_not_found when nothing matches; field errors before calling the issuer', async () => {
      const nf = await pull(asha, 'in.gov.cbse', 'HSCER', { rollno: '2419999', year: '2024' });
      expect(nf.statusCode).toBe(404);
      expect(nf.json().error).toBe('record_not_found');
      const bad = await pull(asha, 'in.gov.cbse', 'HSCER', { rollno: '12', year: '' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toBe('invalid_parameter');
      expect(Object.keys(bad.json().fields).sort()).toEqual(['rollno', 'year']);
      const unknown = await pull(asha, 'in.gov.nowhere', 'HSCER', { rollno: '2410001', year: '2024' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error).toBe('invalid_orgid');
    });

    it('pending (Status 9) is kept, shown, and retried by the sweeper until issued', async () => {
      const res = await pull(deepak, 'in.gov.cbse', 'HSCER', { rollno: '2499001', year: '2024' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'pending', name: 'Class XII Marksheet' });
      const pullId = res.json().pull_id as string;
      let list = await get().app.inject({ url: '/api/v1/issued', headers: deepak.headers });
      expect(list.json().items).toEqual([expect.objectContaining({ status: 'pending', pull_id: pullId, issuer_id: 'in.gov.cbse' })]);
      const services = issuedServices(get().deps);
      // Not due yet: the sweeper leaves it alone.
      expect(await retryPendingPulls(services)).toEqual({ issued: 0, stillPending: 0, dropped: 0 });
      await services.docs.reschedulePending(pullId, 0, 0, null);
      expect(await retryPendingPulls(services)).toEqual({ issued: 0, stillPending: 1, dropped: 0 });
      const p = await services.docs.getPending(deepak.accountId, pullId);
      expect(p!.attempts).toBe(1);
      expect(p!.nextRetryAt).toBeGreaterThan(Date.now() + 30_000);
      await services.docs.reschedulePending(pullId, 1, 0, null);
      expect(await retryPendingPulls(services)).toEqual({ issued: 1, stillPending: 0, dropped: 0 });
      list = await get().app.inject({ url: '/api/v1/issued', headers: deepak.headers });
      expect(list.json().items).toEqual([expect.objectContaining({ uri: 'in.gov.cbse-HSCER-20242499001', status: 'issued' })]);
    });

    it('an issuer that answers 5xx: repository_service_resperror (502), nothing saved', async () => {
      const res = await pull(deepak, 'in.gov.cbse', 'SSCER', { rollno: '2199003', year: '2021' });
      expect(res.statusCode).toBe(502);
      expect(res.json().error).toBe('repository_service_resperror');
    });

    it('an issuer that does not answer in time: repository_service_unresponsive (504)', async () => {
      const res = await pull(deepak, 'in.gov.cbse', 'SSCER', { rollno: '2299002', year: '2022' });
      expect(res.statusCode).toBe(504);
      expect(res.json().error).toBe('repository_service_unresponsive');
      expect(res.json().error_description).toMatch(/did not answer in time/);
    });

    it('another citizen’s URI answers exactly like one that does not exist', async () => {
      const t = get();
      const uri = 'in.gov.cbse-HSCER-20242410001';
      const theirs = await t.app.inject({ url: `/api/v1/issued/${uri}/file`, headers: other.headers });
      const none = await t.app.inject({ url: `/api/v1/issued/in.gov.cbse-HSCER-20240000000/file`, headers: other.headers });
      expect(theirs.statusCode).toBe(404);
      expect(theirs.json()).toEqual(none.json());
      const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/issued/${uri}`, headers: other.headers });
      expect(del.statusCode).toBe(404);
      const page = await t.app.inject({ url: `/issued/view/${uri}`, headers: { cookie: other.cookie } });
      expect(page.statusCode).toBe(404);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const source = t.deps.documents.get('issued')!;
      expect(await source.get(other.accountId, uri)).toBeNull();
      expect(await source.get(asha.accountId, uri)).toMatchObject({ source: 'issued', ref: uri, issuerId: 'in.gov.cbse', mimes: ['application/pdf', 'application/xml'] });
      await expect(source.open(other.accountId, uri)).rejects.toMatchObject({ code: 'not_found' });
      const opened = await source.open(asha.accountId, uri);
      expect(opened.mime).toBe('application/pdf');
      const chunks: Buffer[] = [];
      for await (const c of opened.stream) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe('%PDF-');
      expect(await source.list(other.accountId)).toEqual([]);
    });

    it('every pull and view is in the activity log; removing takes it out of the locker', async () => {
      const t = get();
      const log = await t.deps.activity.list(asha.accountId, { limit: 50 });
      const types = log.items.map((e) => e.type);
      expect(types).toContain('issued_pulled');
      expect(types).toContain('issued_viewed');
      const del = await t.app.inject({ method: 'DELETE', url: '/api/v1/issued/in.gov.cbse-HSCER-20242410001', headers: asha.headers });
      expect(del.statusCode).toBe(200);
      const list = await t.app.inject({ url: '/api/v1/issued', headers: asha.headers });
      expect(list.json().items).toEqual([]);
      expect((await t.deps.activity.list(asha.accountId, { limit: 1 })).items[0]!.type).toBe('issued_removed');
    });

    it('a citizen opens at most ISSUED_FILE_PER_HOUR documents an hour; others are not held back', async () => {
      const t = get();
      const ravi = await signUpCitizen(t.app, t.deps, { name: 'Asha Verma', dob: '2006-03-14', gender: 'F' });
      expect((await pull(ravi, 'in.gov.cbse', 'HSCER', { rollno: '2410001', year: '2024' })).statusCode).toBe(200);
      const open = (c: TestCitizen) => t.app.inject({ url: '/api/v1/issued/in.gov.cbse-HSCER-20242410001/file', headers: c.headers });
      for (let i = 0; i < 12; i++) expect((await open(ravi)).statusCode).toBe(200);
      const refused = await open(ravi);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ error: 'rate_limited' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await pull(asha, 'in.gov.cbse', 'HSCER', { rollno: '2410001', year: '2024' })).statusCode).toBe(200);
      expect((await open(asha)).statusCode).toBe(200);
    });

    describe('format_unavailable', () => {
      it('an XML request for a PDF-only type is 404 format_unavailable', async () => {
        const t = get();
        const sunita = await signUpCitizen(t.app, t.deps, { name: 'Sunita Devi', dob: '1972-04-15', gender: 'F' });
        const res = await pull(sunita, 'in.gov.up.edistrict', 'INCER', { ApplicationNo: '2400000101', CertificateID: 'INC24SBX0101' });
        expect(res.statusCode, res.body).toBe(200);
        const xml = await t.app.inject({ url: `/api/v1/issued/${res.json().uri}/file?format=xml`, headers: sunita.headers });
        expect(xml.statusCode).toBe(404);
        expect(xml.json().error).toBe('format_unavailable');
      });
    });
  },
  { env: { ISSUER_TIMEOUT_MS: '2500', ISSUER_RETRIES: '0', ISSUED_FILE_PER_HOUR: '12' } },
);
