/**
 * The pages, end to end without JavaScript, on both stacks: uploading through the form
 * (CSRF in the action URL), a hostile name (`<script>`, `../`, RTL override, 300 chars)
 * shown safely on every page, in the email and in the exports; the activity export is
 * spreadsheet-safe; and, with a real SMTP server started here, the share email arrives and
 * its link opens the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachStack, startTestApp, type TestApp } from '../support/app.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp.ts';
import { multipart, samplePdf, samplePng, upload } from '../support/uploads.ts';
import { WebClient } from '../support/web-client.ts';

const HOSTILE = '<script>alert(1)</script> ../../etc/passwd \u202Egpj.exe ' + 'x'.repeat(300) + '.pdf';
const RLO = '\u202E';

async function signedInClient(t: TestApp) {
  const c = await signUpCitizen(t.app, t.deps, { name: 'Asha Devi' });
  const web = new WebClient(t.app);
  web.cookies.set('ol_session', c.cookie.split('=')[1]!);
  return { c, web };
}

/** Submits the upload form of `pagePath` as a browser would: its hidden fields, then `fields`, then the file. */
async function uploadViaForm(t: TestApp, web: WebClient, file: Buffer, filename: string, fields: Record<string, string> = {}, pagePath = '/uploaded') {
  const page = await web.get(pagePath);
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
  const folder = /<input type="hidden" name="folder" value="([^"]+)">/.exec(page.body)?.[1];
  const body = multipart([...(folder ? [{ name: 'folder', value: folder }] : []), ...Object.entries(fields).map(([name, value]) => ({ name, value })), { name: 'file', value: file, filename, contentType: 'application/pdf' }]);
  const cookie = [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await t.app.inject({ method: 'POST', url: action, headers: { ...body.headers, cookie, accept: 'text/html' }, payload: body.payload });
  if (res.statusCode !== 303) return Object.assign(res, { postedStatus: res.statusCode });
  // Post/redirect/get: the confirmation travels in a flash cookie to the page redirected to.
  for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
    const [pair] = c.split(';');
    web.cookies.set(pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1));
  }
  return Object.assign(await web.get(String(res.headers.location)), { postedStatus: 303 });
}

describeEachStack('uploads pages', (get) => {
  it('uploads through the form, refuses a form without the CSRF token, and shows errors on the page', async () => {
    const t = get();
    const { web } = await signedInClient(t);
    const pdf = await samplePdf('form');
    const ok = await uploadViaForm(t, web, pdf, 'Form.pdf');
    expect(ok.postedStatus, ok.body.slice(0, 300)).toBe(303);
    expect(ok.body).toContain('Uploaded “Form.pdf”');
    // Shown once: a reload neither uploads again nor repeats the confirmation.
    const reload = await web.get(web.page);
    expect(reload.body).not.toContain('Uploaded “Form.pdf”');
    const again = await uploadViaForm(t, web, pdf, 'Again.pdf');
    expect(again.body).toContain('You already have this file as “Form.pdf”');
    const bad = await uploadViaForm(t, web, Buffer.from('<html>nope</html>'), 'evil.pdf', { name: 'My marksheet', doctype: 'OTHER' });
    expect(bad.statusCode).toBe(415);
    expect(bad.body).toContain('Only PDF, JPEG and PNG');
    // What was typed comes back with the error; only the file must be chosen again.
    expect(bad.body).toContain('value="My marksheet"');
    expect(bad.body).toContain('<option value="OTHER" selected>');
    const body = multipart([{ name: 'file', value: await samplePdf('x'), filename: 'x.pdf' }]);
    const cookie = [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const noCsrf = await t.app.inject({ method: 'POST', url: '/uploaded', headers: { ...body.headers, cookie, accept: 'text/html' }, payload: body.payload });
    expect(noCsrf.statusCode).toBe(403);
    // Inside a folder, the form uploads into that folder.
    const folderRes = await web.post('/uploaded/folders', { name: 'Marksheets' });
    expect(folderRes.statusCode).toBe(303);
    const folderPath = folderRes.headers.location as string;
    const folderId = /folder=([0-9a-f-]{36})/.exec(folderPath)![1]!;
    const inFolder = await uploadViaForm(t, web, await samplePdf('in folder'), 'InFolder.pdf', { name: 'Class X' }, `/uploaded?folder=${folderId}`);
    expect(inFolder.postedStatus).toBe(303);
    expect(web.page).toBe(`/uploaded?folder=${folderId}&done=uploaded`);
    const [row] = await t.sql.db.selectFrom('uploads').select(['folder_id', 'name']).where('name', '=', 'Class X').execute();
    expect(row).toEqual({ folder_id: folderId, name: 'Class X' });
    await web.get(folderPath);
    const renamed = await web.post(`/uploaded/folders/${folderId}`, { name: 'Board marksheets' });
    expect(renamed.statusCode).toBe(303);
    expect((await web.get(renamed.headers.location as string)).body).toContain('<h1>Board marksheets</h1>');
    // A blank name is about the folder, not the citizen's own name.
    const blank = await web.post(`/uploaded/folders/${folderId}`, { name: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Give it a name with at least one letter or digit.');
    expect(blank.body).not.toContain('as it appears on your documents');
    const hi = await new WebClient(t.app, { lang: 'hi' });
    hi.cookies.set('ol_session', web.cookies.get('ol_session')!);
    const hiPage = (await hi.get('/uploaded')).body;
    expect(hiPage).toContain('अपलोड किए गए दस्तावेज़');
    // The document type list names types in Hindi where the registry's name is known; values stay the codes.
    const board = `in.gov.upboard${Math.random().toString(36).slice(2, 8)}`;
    const reg = await t.app.inject({ method: 'POST', url: '/api/v1/admin/issuers', headers: { authorization: 'Bearer test-admin-token-0123456789' }, payload: { id: board, name: 'Upload Test Board', category: 'education', doctypes: [{ code: 'HSCER', name: 'Class XII Marksheet', formats: ['pdf'], parameters: [{ name: 'rollno', label: 'Roll No' }] }, { code: 'VRTHN', name: 'Certificate of Very Rare Things', formats: ['pdf'], parameters: [{ name: 'certno', label: 'Certificate No' }] }] } });
    expect(reg.statusCode, reg.body).toBeLessThan(300);
    const typed = (await hi.get('/uploaded')).body;
    expect(typed).toContain('<option value="HSCER">कक्षा 12 की अंकतालिका</option>');
    expect(typed).toContain('<option value="VRTHN" lang="en">Certificate of Very Rare Things</option>');
    expect((await web.get('/uploaded')).body).toContain('<option value="HSCER">Class XII Marksheet</option>');
  });

  it('shows a hostile name safely on every page, in the email and in the exports', async () => {
    const t = get();
    const { c, web } = await signedInClient(t);
    const up = (await upload(t.app, c.headers, samplePng(9), 'x.png', { name: HOSTILE })).json();
    expect(up.name).not.toContain(RLO);
    expect([...up.name].length).toBeLessThanOrEqual(200);
    expect(up.name.startsWith('<script>alert(1)</script> ../../etc/passwd gpj.exe')).toBe(true);
    expect(up.name.endsWith('.pdf')).toBe(true);
    // And as a file name from the client: the path goes too.
    const asFile = (await upload(t.app, c.headers, samplePng(10), HOSTILE)).json();
    expect(asFile.name).not.toMatch(/[\\/]/);

    const to = `h.${Date.now()}@example.in`;
    await t.app.inject({ method: 'POST', url: '/api/v1/shares', headers: c.headers, payload: { upload_id: up.id, email: to } });
    const mail = (await t.deps.outbox.list({ to, channel: 'email', limit: 1 }))[0]!;
    expect(mail.body + mail.subject).not.toContain(RLO);
    const link = /\/s\/[A-Za-z0-9_-]{43}/.exec(mail.body)![0];

    const pages = ['/uploaded', `/uploaded/${up.id}`, `/uploaded/${up.id}/delete`, `/shared/new?upload=${up.id}`, '/shared', '/activity', '/dashboard'];
    for (const p of pages) {
      const res = await web.get(p);
      expect(res.statusCode, p).toBe(200);
      expect(res.body, p).not.toContain('<script>alert');
      expect(res.body, p).not.toContain(RLO);
      expect(res.body, p).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    // The Shared page's confirmation is the share just made, never text from the URL.
    const spoofed = await web.get('/shared?done=shared&to=Call%20%2B91%2099999%2099999&code=1');
    expect(spoofed.body).not.toContain('+91 99999 99999');
    expect(spoofed.body).not.toContain('will get an email with the link');
    await web.get(`/shared/new?upload=${up.id}`);
    const made = await web.post('/shared/new', { upload: up.id, email: 'form.recipient@example.in', expires_in_days: '7' });
    expect(made.statusCode, made.body.slice(0, 300)).toBe(303);
    expect(made.headers.location).toBe('/shared?done=shared');
    expect((await web.follow()).body).toContain('Shared. form.recipient@example.in will get an email with the link.');
    const visitor = await new WebClient(t.app).get(link);
    expect(visitor.statusCode).toBe(200);
    expect(visitor.body).not.toContain('<script>alert');
    expect(visitor.body).toContain('&lt;script&gt;');
    const file = await t.app.inject({ url: `/api/v1/uploads/${up.id}/file?download=1`, headers: c.headers });
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[^\s"]+$/);
    expect(file.headers['content-disposition']).not.toMatch(/[\\/]/);
    expect(file.headers['content-security-policy']).toContain('sandbox');

    // Exports: a formula-looking name is defused in CSV; JSON is the same log.
    const formula = (await upload(t.app, c.headers, samplePng(11), 'x.png', { name: '=HYPERLINK("http://evil.example","click")' })).json();
    const csv = await t.app.inject({ url: '/api/v1/activity/export?format=csv', headers: c.headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv.body).not.toMatch(/(^|,)"=/m);
    const json = await t.app.inject({ url: `/api/v1/activity/export?format=json&subject_id=${formula.id}`, headers: c.headers });
    const entries = JSON.parse(json.body);
    expect(entries.map((e: { type: string }) => e.type)).toEqual(['document_uploaded']);
    expect(entries[0].subject.name).toBe('=HYPERLINK("http://evil.example","click")');
    const all = JSON.parse((await t.app.inject({ url: '/api/v1/activity/export?format=json', headers: c.headers })).body);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const page = await web.get('/activity');
    expect(page.body).toMatch(/Log intact since .+: none of its \d+ entries/);
    expect(page.body).toContain('/api/v1/activity/export?format=csv');
    const perDoc = await web.get(`/activity?document=${formula.id}`);
    expect(perDoc.body).toContain('Document uploaded');
    expect(perDoc.body.match(/<tr>/g)).toHaveLength(2); // the header and this document's one entry
  });
});

describe('share email over real SMTP', () => {
  let sink: SmtpSink;
  let t: TestApp;
  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'OpenLocker <no-reply@locker.test>', PUBLIC_URL: 'https://locker.example.in' } });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('arrives at the SMTP server, and its link opens the document', async () => {
    const c = await signUpCitizen(t.app, t.deps, { name: 'Meena Kumari' });
    const pdf = await samplePdf('by smtp');
    const up = (await upload(t.app, c.headers, pdf, 'Degree.pdf')).json();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/shares', headers: c.headers, payload: { upload_id: up.id, email: 'registrar@university.example.in', access_code: 'Blue7' } });
    expect(res.statusCode, res.body).toBe(201);
    await sink.waitFor(1);
    const got = sink.received[0]!;
    expect(got.envelope.to).toEqual(['registrar@university.example.in']);
    expect(got.mail.subject).toBe('Meena Kumari shared a document with you on OpenLocker / आपके साथ एक दस्तावेज़ साझा किया गया');
    expect(got.mail.text).toContain('Meena Kumari ने OpenLocker के ज़रिए');
    expect(got.mail.text).not.toContain('Blue7');
    const url = /https:\/\/locker\.example\.in(\/s\/[A-Za-z0-9_-]{43})/.exec(got.mail.text ?? '')![1]!;
    const visitor = new WebClient(t.app);
    expect((await visitor.get(url)).body).toContain('name="code"');
    const opened = await visitor.post(url, { code: 'Blue7' });
    expect(opened.statusCode, opened.body.slice(0, 3000)).toBe(200);
    expect(opened.body).toContain('Meena Kumari shared “Degree.pdf”');
    expect((await visitor.get(`${url}/file`)).rawPayload.equals(pdf)).toBe(true);
  });

  it('does not leave a live share when the mail server refuses the recipient', async () => {
    const picky = await startSmtpSink({ rejectRecipient: 'nobody@example.in' });
    const t2 = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${picky.port}` } });
    try {
      const c = await signUpCitizen(t2.app, t2.deps);
      const up = (await upload(t2.app, c.headers, await samplePdf('refused'), 'R.pdf')).json();
      const res = await t2.app.inject({ method: 'POST', url: '/api/v1/shares', headers: c.headers, payload: { upload_id: up.id, email: 'nobody@example.in' } });
      expect(res.statusCode).toBe(502);
      expect(res.json().error).toBe('email_failed');
      const items = (await t2.app.inject({ url: '/api/v1/shares', headers: c.headers })).json().items;
      expect(items.every((s: { status: string }) => s.status === 'revoked')).toBe(true);
    } finally {
      await t2.close();
      await picky.close();
    }
  });
});
