/**
 * Sharing by email link on SQLite + fs and PostgreSQL + S3: the link followed from the
 * email, the banner, the view counted once per open, revocation stopping the link at once,
 * expiry, the view limit (raced), the access code and its brute-force lock, issued
 * documents through a stand-in `issued` source, expiry changes, and batched notices.
 */
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import type { Clock } from '../../src/domain/clock.ts';
import type { DocumentSource } from '../../src/domain/documents/sources.ts';
import { notifyShareOpens } from '../../src/domain/sharing/notify-share-opens.ts';
import { uploadServices } from '../../src/wiring/uploads.ts';
import { describeEachStack, type TestApp } from '../support/app.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { samplePdf, upload } from '../support/uploads.ts';
import { WebClient } from '../support/web-client.ts';

/** A clock tests can move forward. */
const clock: Clock & { offsetMs: number } = { offsetMs: 0, now: (): Date => new Date(Date.now() + clock.offsetMs) };

async function linkFor(t: TestApp, to: string): Promise<string> {
  const mail = (await t.deps.outbox.list({ to, channel: 'email', limit: 1 }))[0];
  if (!mail) throw new Error(`no email to ${to}`);
  const url = /https?:\/\/\S+\/s\/([A-Za-z0-9_-]{43})/.exec(mail.body);
  if (!url) throw new Error(`no link in: ${mail.body}`);
  return `/s/${url[1]}`;
}

async function share(t: TestApp, c: TestCitizen, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/v1/shares', headers: c.headers, payload });
}

const rand = () => Math.random().toString(36).slice(2, 10);

describeEachStack(
  'sharing',
  (get) => {
    let asha: TestCitizen;
    let doc: { id: string; name: string };
    let pdf: Buffer;

    it('emails the link; the page shows who shared it and until when; the file is the document; each open is logged', async () => {
      const t = get();
      asha = await signUpCitizen(t.app, t.deps, { name: 'Asha Devi' });
      pdf = await samplePdf('shared marksheet');
      doc = (await upload(t.app, asha.headers, pdf, 'Marksheet 2024.pdf')).json();
      const to = `ravi.${rand()}@example.in`;
      const res = await share(t, asha, { upload_id: doc.id, email: to });
      expect(res.statusCode, res.body).toBe(201);
      const { id, expires_at } = res.json();
      expect(Date.parse(expires_at) - clock.now().getTime()).toBeGreaterThan(6.9 * 86_400_000);
      const mail = (await t.deps.outbox.list({ to, channel: 'email', limit: 1 }))[0]!;
      expect(mail.subject).toContain('Asha Devi');
      expect(mail.body).toContain('Marksheet 2024.pdf');
      // The expiry in India Standard Time, as the pages show it.
      const ist = new Date(Date.parse(expires_at) + 5.5 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
      expect(mail.body).toContain(`${ist} IST`);
      // English, then Hindi: the recipient's language is not known.
      const [english, hindi] = mail.body.split('— हिन्दी —');
      expect(english).toContain('Open it here');
      expect(hindi).toContain('Asha Devi ने');
      expect(hindi).toContain('"Marksheet 2024.pdf" साझा किया है');
      expect(hindi).toContain('इसे यहाँ खोलें');
      expect(hindi).toContain('/s/');

      const stored = await t.sql.db.selectFrom('shares').select(['token_hash']).where('id', '=', id).executeTakeFirstOrThrow();
      const link = await linkFor(t, to);
      expect(stored.token_hash).not.toContain(link.slice(3)); // only a hash is stored

      const visitor = new WebClient(t.app);
      const page = await visitor.get(link);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Asha Devi shared “Marksheet 2024.pdf”');
      expect(page.body).toContain(to);
      const file = await visitor.get(`${link}/file`);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(pdf)).toBe(true);
      // The embedded file did not count a second view.
      const listed = (await t.app.inject({ url: '/api/v1/shares', headers: asha.headers })).json().items.find((s: { id: string }) => s.id === id);
      expect(listed).toMatchObject({ views: 1, status: 'active', recipient: to, upload_id: doc.id, name: 'Marksheet 2024.pdf' });
      expect(listed.last_opened_at).not.toBeNull();
      const log = (await t.app.inject({ url: '/api/v1/activity?type=share_opened,share_created', headers: asha.headers })).json().items;
      expect(log.map((e: { type: string }) => e.type)).toEqual(['share_opened', 'share_created']);
      expect(log[0].actor).toMatchObject({ kind: 'share_link', name: to });
    });

    it('revoking stops the link at once, also for a browser that already opened it', async () => {
      const t = get();
      const to = `rev.${rand()}@example.in`;
      const { id } = (await share(t, asha, { upload_id: doc.id, email: to })).json();
      const link = await linkFor(t, to);
      const visitor = new WebClient(t.app);
      expect((await visitor.get(link)).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/shares/${id}`, headers: asha.headers })).statusCode).toBe(204);
      const again = await visitor.get(link);
      expect(again.statusCode).toBe(410);
      expect(again.body).toContain('stopped sharing');
      expect((await visitor.get(`${link}/file`)).statusCode).toBe(410);
      expect((await t.app.inject({ url: '/api/v1/shares', headers: asha.headers })).json().items.find((s: { id: string }) => s.id === id).status).toBe('revoked');
    });

    it('expires after its days, and a changed expiry counts from now', async () => {
      const t = get();
      const to = `exp.${rand()}@example.in`;
      const { id } = (await share(t, asha, { upload_id: doc.id, email: to, expires_in_days: 1 })).json();
      const link = await linkFor(t, to);
      const dayLater = 86_400_000 + 1000;
      clock.offsetMs = dayLater;
      try {
        const res = await t.app.inject({ url: link });
        expect(res.statusCode).toBe(410);
        expect(res.body).toContain('expired');
      } finally {
        clock.offsetMs = 0;
      }
      const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/shares/${id}`, headers: asha.headers, payload: { expires_in_days: 3 } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().status).toBe('active');
      clock.offsetMs = dayLater;
      try {
        expect((await t.app.inject({ url: link })).statusCode).toBe(200);
      } finally {
        clock.offsetMs = 0;
      }
      const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/shares/${id}`, headers: asha.headers, payload: { expires_in_days: 1000 } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toBe('invalid_expiry');
    });

    it('stops past its view limit, even when opened concurrently', async () => {
      const t = get();
      const to = `lim.${rand()}@example.in`;
      const { id } = (await share(t, asha, { upload_id: doc.id, email: to, max_views: 3 })).json();
      const link = await linkFor(t, to);
      const results = await Promise.all(Array.from({ length: 10 }, () => t.app.inject({ url: link })));
      expect(results.filter((r) => r.statusCode === 200)).toHaveLength(3);
      expect(results.filter((r) => r.statusCode === 410)).toHaveLength(7);
      expect((await t.app.inject({ url: `${link}/file` })).statusCode).toBe(410);
      const row = (await t.app.inject({ url: '/api/v1/shares', headers: asha.headers })).json().items.find((s: { id: string }) => s.id === id);
      expect(row).toMatchObject({ views: 3, max_views: 3, status: 'used_up' });
    });

    it('asks for the access code, refuses a wrong one, and locks after 5 tries even for the right one', async () => {
      const t = get();
      const to = `code.${rand()}@example.in`;
      await share(t, asha, { upload_id: doc.id, email: to, access_code: 'Tiger42' });
      const mail = (await t.deps.outbox.list({ to, channel: 'email', limit: 1 }))[0]!;
      expect(mail.body).not.toContain('Tiger42');
      const link = await linkFor(t, to);
      const visitor = new WebClient(t.app);
      expect((await visitor.get(`${link}/file`)).statusCode).toBe(403); // no code, no file
      const form = await visitor.get(link);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('name="code"');
      expect(form.body).not.toContain('<iframe');
      const right = await visitor.post(link, { code: 'Tiger42' });
      expect(right.statusCode).toBe(200);
      expect(right.body).toContain('<iframe');
      expect((await visitor.get(`${link}/file`)).rawPayload.equals(pdf)).toBe(true);

      const thief = new WebClient(t.app);
      await thief.get(link);
      for (let i = 0; i < 4; i++) {
        const wrong = await thief.post(link, { code: `guess${i}` });
        expect(wrong.statusCode).toBe(403);
      }
      const locked = await thief.post(link, { code: 'Tiger42' });
      expect(locked.statusCode).toBe(429);
      expect(locked.headers['retry-after']).toBeDefined();
      const fails = (await t.app.inject({ url: '/api/v1/activity?type=share_code_failed', headers: asha.headers })).json().items;
      expect(fails.length).toBeGreaterThanOrEqual(4);
    });

    it('shares an issued document through the issued source and says when it was verified with the issuer', async () => {
      const t = get();
      // A stand-in for the issued-documents module's source (the real one arrives with that module): a signed sandbox PDF, fetched "live".
      const issuedPdf = await samplePdf('CBSE marksheet (sandbox)');
      const uri = 'in.gov.cbse-HSCER-2024123456';
      const verifiedAt = new Date().toISOString();
      const issued: DocumentSource = {
        kind: 'issued',
        list: async () => [],
        get: async (accountId, ref) =>
          accountId === asha.accountId && ref === uri
            ? { source: 'issued', ref: uri, type: 'file', name: 'Class XII Marksheet', doctype: 'HSCER', issuerId: 'in.gov.cbse', issuerName: 'CBSE', mimes: ['application/pdf'], size: null, date: verifiedAt, parent: null }
            : null,
        open: async () => ({ filename: 'HSCER.pdf', mime: 'application/pdf', size: issuedPdf.length, stream: Readable.from([issuedPdf]), verifiedAt }),
      };
      t.deps.documents.register(issued);
      const to = `iss.${rand()}@example.in`;
      const res = await share(t, asha, { uri, email: to });
      expect(res.statusCode, res.body).toBe(201);
      const visitor = new WebClient(t.app);
      const page = await visitor.get(await linkFor(t, to));
      expect(page.body).toContain('Verified with the issuer at');
      expect((await visitor.get(`${await linkFor(t, to)}/file`)).rawPayload.equals(issuedPdf)).toBe(true);
      const other = await signUpCitizen(t.app, t.deps);
      expect((await share(t, other, { uri, email: to })).statusCode).toBe(404);
    });

    it('refuses bad input with stable codes', async () => {
      const t = get();
      const cases: Array<[Record<string, unknown>, number, string]> = [
        [{ email: 'a@b.in' }, 400, 'document_required'],
        [{ upload_id: doc.id, uri: 'x', email: 'a@b.in' }, 400, 'document_required'],
        [{ upload_id: doc.id, email: 'not an email' }, 400, 'invalid_email'],
        [{ upload_id: doc.id, email: 'a@b.in\r\nBcc: x@y.z' }, 400, 'invalid_email'],
        [{ upload_id: doc.id, email: 'a@b.in', access_code: 'a b' }, 400, 'invalid_access_code'],
        [{ upload_id: doc.id, email: 'a@b.in', max_views: 0 }, 400, 'invalid_request'],
        [{ upload_id: 'no-such-upload', email: 'a@b.in' }, 404, 'not_found'],
      ];
      for (const [payload, status, code] of cases) {
        const res = await share(t, asha, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        if (code !== 'invalid_request') expect(res.json().error).toBe(code);
      }
      expect((await t.app.inject({ url: '/s/not-a-token' })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/s/${'A'.repeat(43)}` })).statusCode).toBe(404);
    });

    it('tells the citizen about opens in one batched SMS', async () => {
      const t = get();
      const c = await signUpCitizen(t.app, t.deps);
      const d = (await upload(t.app, c.headers, await samplePdf('notice ' + rand()), 'Notice.pdf')).json();
      const to = `n.${rand()}@example.in`;
      const own = `owner.${rand()}@example.in`;
      await t.sql.db.updateTable('accounts').set({ email: own, email_verified: 1 }).where('id', '=', c.accountId).execute();
      await share(t, c, { upload_id: d.id, email: to });
      const link = await linkFor(t, to);
      await t.app.inject({ url: link });
      await t.app.inject({ url: link });
      const s = uploadServices(t.deps).shares;
      expect(await notifyShareOpens(s)).toMatchObject({ sent: 0 }); // not yet: batched
      clock.offsetMs = t.deps.config.shareNoticeMinutes * 60_000 + 1000;
      try {
        const r = await notifyShareOpens(s);
        expect(r.sent).toBeGreaterThanOrEqual(1);
        const sms = (await t.deps.outbox.list({ to: c.mobile, channel: 'sms', limit: 5 })).filter((m) => m.body.includes('opened'));
        expect(sms).toHaveLength(1);
        expect(sms[0]!.body).toContain('opened 2 times');
        expect(sms[0]!.body).toContain(to);
        // The verified address gets the same in an email, in English and Hindi.
        const mail = (await t.deps.outbox.list({ to: own, channel: 'email', limit: 5 }))[0]!;
        expect(mail.body).toContain('opened 2 times');
        expect(mail.body.split('— हिन्दी —')[1]).toContain('2 बार खोले गए');
        expect(mail.body).toContain(`"Notice.pdf" — ${to} (2 बार)`);
        await notifyShareOpens(s);
        expect((await t.deps.outbox.list({ to: c.mobile, channel: 'sms', limit: 5 })).filter((m) => m.body.includes('opened'))).toHaveLength(1);
      } finally {
        clock.offsetMs = 0;
      }
    });
  },
  { clock },
);

describeEachStack(
  'share links: the per-IP cap (SHARE_LINK_PER_MINUTE)',
  (get) => {
    it('answers 429 with Retry-After past the cap, page and file alike, and never reaches the document', async () => {
      const t = get();
      const c = await signUpCitizen(t.app, t.deps, { name: 'Cap Test' });
      const doc = (await upload(t.app, c.headers, await samplePdf('capped'), 'Capped.pdf')).json();
      const to = `cap.${rand()}@example.in`;
      expect((await share(t, c, { upload_id: doc.id, email: to })).statusCode).toBe(201);
      const link = await linkFor(t, to);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await t.app.inject({ url: i % 2 ? `${link}/file` : link })).statusCode);
      expect(statuses).toEqual(Array(10).fill(200));
      // A browser asks for HTML and gets a page; an API client gets the JSON error.
      const over = await t.app.inject({ url: link, headers: { accept: 'text/html' } });
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(over.headers['content-type']).toContain('text/html');
      expect(over.body).not.toContain('%PDF');
      const file = await t.app.inject({ url: `${link}/file` });
      expect(file.statusCode).toBe(429);
      expect(file.json().error).toBe('rate_limited');
      // Another address is not held back by the first one's opens.
      expect((await t.app.inject({ url: link, remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
    });
  },
  { env: { SHARE_LINK_PER_MINUTE: '10' } },
);
