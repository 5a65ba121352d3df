/**
 * The Issuers section's pages on both stacks: categories → list (search, paging, badges)
 * → issuer → document type form built from its parameters; signed out, a sign-in prompt;
 * signed in, a form that posts to /issued/pull with CSRF and consent; Hindi; 404s.
 */
import { beforeAll, expect, it } from 'vitest';
import { registerIssuer } from '../../src/domain/issuers/register-issuer.ts';
import { seedIssuerDirectory } from '../../src/domain/issuers/seed-directory.ts';
import type { AppModule } from '../../src/modules.ts';
import { issuerServices, issuersModule } from '../../src/wiring/issuers.ts';
import { describeEachStack } from '../support/app.ts';
import { buildIssuerBody } from '../support/issuers.ts';

/** Stands in for the accounts module: `x-test-citizen: 1` signs the request in. */
const fakeCitizen: AppModule = {
  name: 'fake-citizen',
  register(app) {
    app.addHook('onRequest', async (req) => {
      if (req.headers['x-test-citizen']) req.citizen = { accountId: 'acc-1', sessionId: 's-1', name: 'Asha Verma', idleSeconds: 900 };
    });
  },
};

describeEachStack(
  'Issuers section pages',
  (get) => {
    let boardId: string;
    beforeAll(async () => {
      const services = issuerServices(get().deps);
      await seedIssuerDirectory(services);
      const body = buildIssuerBody({
        name: 'Pages Test Board <b>',
        category: 'education',
        doctypes: [
          {
            code: 'HSCER',
            name: 'Class XII Marksheet',
            formats: ['pdf', 'xml'],
            parameters: [
              { name: 'rollno', label: 'Roll No', example: '1100040', pattern: '[0-9]{7}' },
              { name: 'year', label: 'Year', values: ['2023', '2024'] },
            ],
            profile_fields: ['FullName', 'DOB'],
          },
          {
            // Words no dictionary has: shown as given, marked as English on a Hindi page.
            code: 'GTPAS',
            name: 'Gate Pass Ledger',
            formats: ['pdf'],
            parameters: [
              { name: 'gate_token', label: 'Gate Token', example: 'G-1' },
              { name: 'term', label: 'Sitting', values: ['Annual', 'Bokaro', '2024'] },
            ],
            profile_fields: [],
          },
        ],
      });
      boardId = String(body.id);
      await registerIssuer(services, body);
    });

    const page = async (url: string, headers: Record<string, string> = {}) => {
      const res = await get().app.inject({ url, headers: { accept: 'text/html', ...headers } });
      return { status: res.statusCode, html: res.body, headers: res.headers };
    };

    it('/issuers shows the categories with counts and a search form', async () => {
      const r = await page('/issuers');
      expect(r.status).toBe(200);
      expect(r.html).toContain('<h1>Issuers</h1>');
      expect(r.html).toMatch(/<a href="\/issuers\?category=education">Education<\/a>/);
      expect(r.html).toMatch(/1,0\d\d issuers · <strong>1 connected<\/strong>/);
      expect(r.html).toContain('role="search"');
      expect(r.html).toContain('aria-current="page">Issuers</a>'); // the section is marked current in the navigation
    });

    it('a category lists issuers, connected first, with badges and paging that keeps the filter', async () => {
      const r = await page('/issuers?category=education');
      expect(r.html).toContain('<h1>Education</h1>');
      expect(r.html).toMatch(/Showing 1–20 of 1,0\d\d/);
      const first = r.html.indexOf('Pages Test Board');
      expect(first).toBeGreaterThan(0);
      expect(r.html.indexOf('class="badge ok">Connected')).toBeGreaterThan(first);
      expect(r.html).toContain('Not connected');
      expect(r.html).toContain('Pages Test Board &lt;b&gt;'); // escaped
      expect(r.html).toContain('href="/issuers?category=education&amp;page=2" rel="next"');
      const p2 = await page('/issuers?category=education&page=2');
      expect(p2.html).toMatch(/Showing 21–40 of/);
      expect(p2.html).toContain('rel="prev"');
      // Past the last page: sent to the last one.
      const far = await get().app.inject('/issuers?category=education&page=9999');
      expect(far.statusCode).toBe(303);
      expect(far.headers.location).toMatch(/^\/issuers\?category=education&page=\d+$/);
      const last = await page(String(far.headers.location));
      const [from, to, of] = /Showing ([\d,]+)–([\d,]+) of ([\d,]+)/.exec(last.html)!.slice(1).map((n) => Number(n.replace(/,/g, '')));
      expect(from! <= to! && to! === of!).toBe(true);
      expect(last.html).toContain('rel="prev"');
      expect(last.html).not.toContain('rel="next"');
    });

    it('search finds issuers by document names; nothing found says so; odd input is safe', async () => {
      const r = await page('/issuers?q=driving+license');
      expect(r.html).toContain('Results for “driving license”');
      expect(r.html).toContain('href="/issuers/in.gov.transport"');
      const none = await page('/issuers?q=%3Cscript%3Ezzz');
      expect(none.status).toBe(200);
      expect(none.html).toContain('No issuer matches');
      expect(none.html).not.toContain('<script>zzz');
      expect((await page('/issuers?category=nonsense')).status).toBe(200);
      expect((await page(`/issuers?q=${'x'.repeat(200)}`)).status).toBe(400);
    });

    it('an issuer page lists its document types; a directory issuer says it is not connected', async () => {
      const r = await page('/issuers/in.gov.cbse');
      expect(r.html).toContain('<h1>Central Board of Secondary Education</h1>');
      expect(r.html).toContain('Not connected');
      expect(r.html).toContain('href="/issuers/in.gov.cbse/HSCER"');
      expect(r.html).toContain('Central government');
      const up = await page('/issuers/in.gov.up.edistrict');
      expect(up.html).toContain('State: Uttar Pradesh');
      expect((await page('/issuers/in.gov.nobody')).status).toBe(404);
      expect((await page('/issuers/in.gov.cbse/NOPE1')).status).toBe(404);
    });

    it('signed out, a document type page lists what is needed and offers sign-in (no form)', async () => {
      const r = await page(`/issuers/${boardId}/HSCER`);
      expect(r.html).toContain('<h1>Class XII Marksheet</h1>');
      expect(r.html).toContain('Sign in to fetch this document');
      expect(r.html).toContain(`href="/signin?next=${encodeURIComponent(`/issuers/${boardId}/HSCER`)}"`);
      expect(r.html).toContain('Roll No');
      expect(r.html).not.toContain('<form method="post" action="/issued/pull"');
      expect(r.html).toContain('your name, your date of birth');
    });

    it('signed in, the form is built from the parameters: labels, example hints, patterns, value lists, consent, CSRF', async () => {
      const r = await page(`/issuers/${boardId}/HSCER`, { 'x-test-citizen': '1' });
      const form = r.html.slice(r.html.indexOf('<form method="post" action="/issued/pull"'), r.html.indexOf('</form>', r.html.indexOf('action="/issued/pull"')));
      expect(form).toContain(`<input type="hidden" name="issuer_id" value="${boardId}">`);
      expect(form).toContain('<input type="hidden" name="doctype" value="HSCER">');
      expect(form).toMatch(/<input type="hidden" name="_csrf" value="[^"]{20,}">/);
      expect(form).toContain('<label for="p-rollno">Roll No</label><span class="hint" id="p-rollno-hint">Example: 1100040</span>');
      expect(form).toMatch(/<input type="text" id="p-rollno" name="params\[rollno\]" required maxlength="100" autocomplete="off" spellcheck="false" pattern="\[0-9\]\{7\}" inputmode="numeric" aria-describedby="p-rollno-hint">/);
      expect(form).toMatch(/<select id="p-year" name="params\[year\]" required>\s*<option value="">Choose…<\/option>\s*<option value="2023">2023<\/option><option value="2024">2024<\/option>/);
      expect(form).toContain('<input type="checkbox" id="consent" name="consent" value="Y" required>');
      expect(r.headers['set-cookie']).toBeDefined(); // the CSRF secret
      // A directory issuer that is not connected gets no form, even signed in.
      const nc = await page('/issuers/in.gov.cbse/HSCER', { 'x-test-citizen': '1' });
      expect(nc.html).not.toContain('action="/issued/pull"');
      expect(nc.html).toContain('not connected to this locker yet');
    });

    it('speaks Hindi', async () => {
      const r = await page('/issuers', { cookie: 'lang=hi' });
      expect(r.html).toContain('<html lang="hi">');
      expect(r.html).toContain('<h1>जारीकर्ता</h1>');
      expect(r.html).toContain('शिक्षा');
      const up = await page('/issuers/in.gov.up.edistrict', { cookie: 'lang=hi' });
      expect(up.html).toContain('राज्य: उत्तर प्रदेश');
      expect(up.html).toContain('जुड़ा नहीं');
    });

    it('in Hindi, registry document names, parameter labels and value labels are Hindi; the form posts the same names and values', async () => {
      const r = await page(`/issuers/${boardId}/HSCER`, { 'x-test-citizen': '1', cookie: 'lang=hi' });
      expect(r.html).toContain('<title>कक्षा 12 की अंकतालिका · Pages Test Board &lt;b&gt;');
      expect(r.html).toContain('<h1>कक्षा 12 की अंकतालिका</h1>');
      expect(r.html).toContain('<li aria-current="page">कक्षा 12 की अंकतालिका</li>');
      const form = r.html.slice(r.html.indexOf('<form method="post" action="/issued/pull"'), r.html.indexOf('</form>', r.html.indexOf('action="/issued/pull"')));
      expect(form).toContain('<label for="p-rollno">अनुक्रमांक</label>');
      expect(form).toMatch(/<input type="text" id="p-rollno" name="params\[rollno\]" required maxlength="100"/);
      expect(form).toContain('<label for="p-year">वर्ष</label>');
      expect(form).toMatch(/<select id="p-year" name="params\[year\]" required>\s*<option value="">[^<]+<\/option>\s*<option value="2023">2023<\/option><option value="2024">2024<\/option>/);
      expect(form).toContain('<input type="hidden" name="doctype" value="HSCER">');
      expect(form).not.toContain('Roll No');
      // The issuer page lists its types in Hindi too, linking to the same codes.
      const issuer = await page(`/issuers/${boardId}`, { cookie: 'lang=hi' });
      expect(issuer.html).toContain(`<a href="/issuers/${boardId}/HSCER">कक्षा 12 की अंकतालिका</a>`);
      // Directory issuers (signed out, not connected): what each document needs, in Hindi.
      const dl = await page('/issuers/in.gov.transport/DRVLC', { cookie: 'lang=hi' });
      expect(dl.html).toContain('<h1>ड्राइविंग लाइसेंस</h1>');
      expect(dl.html).toContain('<li>ड्राइविंग लाइसेंस संख्या');
      const cbse = await page('/issuers/in.gov.cbse', { cookie: 'lang=hi' });
      expect(cbse.html).toContain('<a href="/issuers/in.gov.cbse/HSCER">कक्षा 12 की अंकतालिका</a>');
      expect(cbse.html).toContain('<a href="/issuers/in.gov.cbse/SSCER">कक्षा 10 की अंकतालिका</a>');
    });

    it('in Hindi, registry text with no translation stays as given, marked lang="en"; in English nothing changes', async () => {
      const r = await page(`/issuers/${boardId}/GTPAS`, { 'x-test-citizen': '1', cookie: 'lang=hi' });
      expect(r.html).toContain('<title>Gate Pass Ledger · Pages Test Board &lt;b&gt;');
      expect(r.html).toContain('<h1><span lang="en">Gate Pass Ledger</span></h1>');
      expect(r.html).toContain('<label for="p-gate_token"><span lang="en">Gate Token</span></label>');
      expect(r.html).toContain('name="params[gate_token]"');
      expect(r.html).toContain('<label for="p-term"><span lang="en">Sitting</span></label>');
      // Options take no markup: the English one is marked on the element; a year needs no mark.
      expect(r.html).toContain('<option value="Annual">वार्षिक</option><option value="Bokaro" lang="en">Bokaro</option><option value="2024">2024</option>');
      const issuer = await page(`/issuers/${boardId}`, { cookie: 'lang=hi' });
      expect(issuer.html).toContain(`<a href="/issuers/${boardId}/GTPAS"><span lang="en">Gate Pass Ledger</span></a>`);

      const en = await page(`/issuers/${boardId}/GTPAS`, { 'x-test-citizen': '1' });
      expect(en.html).toContain('<h1>Gate Pass Ledger</h1>');
      expect(en.html).toContain('<label for="p-gate_token">Gate Token</label>');
      expect(en.html).toContain('<option value="Annual">Annual</option><option value="Bokaro">Bokaro</option>');
      expect(en.html).not.toContain('<span lang="en">');
      expect(en.html).not.toMatch(/<option[^>]* lang=/);
      const enDl = await page('/issuers/in.gov.transport/DRVLC');
      expect(enDl.html).toContain('<h1>Driving License</h1>');
      expect(enDl.html).toContain('<li>Driving License No');
    });

    it('in Hindi, issuer names are Hindi where known, else English marked lang="en"; search still matches the English; English pages unchanged', async () => {
      const cbse = await page('/issuers/in.gov.cbse', { cookie: 'lang=hi' });
      expect(cbse.html).toContain('<title>केंद्रीय माध्यमिक शिक्षा बोर्ड · ');
      expect(cbse.html).toContain('<li aria-current="page">केंद्रीय माध्यमिक शिक्षा बोर्ड</li>');
      expect(cbse.html).toContain('<h1>केंद्रीय माध्यमिक शिक्षा बोर्ड</h1>');
      const doc = await page('/issuers/in.gov.cbse/HSCER', { cookie: 'lang=hi' });
      expect(doc.html).toContain('<title>कक्षा 12 की अंकतालिका · केंद्रीय माध्यमिक शिक्षा बोर्ड · ');
      expect(doc.html).toContain('<li><a href="/issuers/in.gov.cbse">केंद्रीय माध्यमिक शिक्षा बोर्ड</a></li>');
      expect(doc.html).toContain('जारीकर्ता: केंद्रीय माध्यमिक शिक्षा बोर्ड।');
      // A directory name made of known parts; the list links to the same issuer.
      const found = await page('/issuers?q=Transport+Department%2C+Bihar', { cookie: 'lang=hi' });
      expect(found.html).toContain('<a href="/issuers/in.gov.transportbr">परिवहन विभाग, बिहार</a>');
      const search = await page('/issuers?q=Secondary+Education', { cookie: 'lang=hi' });
      expect(search.html).toContain('<a href="/issuers/in.gov.cbse">केंद्रीय माध्यमिक शिक्षा बोर्ड</a>');

      // No Hindi name: the English, marked, in the heading, the list, and inside Hindi sentences.
      const board = await page(`/issuers/${boardId}`, { cookie: 'lang=hi' });
      expect(board.html).toContain('<h1><span lang="en">Pages Test Board &lt;b&gt;</span></h1>');
      expect(board.html).toContain('<li aria-current="page"><span lang="en">Pages Test Board &lt;b&gt;</span></li>');
      const listed = await page('/issuers?q=Pages+Test+Board', { cookie: 'lang=hi' });
      expect(listed.html).toContain(`<a href="/issuers/${boardId}"><span lang="en">Pages Test Board &lt;b&gt;</span></a>`);
      const form = await page(`/issuers/${boardId}/HSCER`, { 'x-test-citizen': '1', cookie: 'lang=hi' });
      expect(form.html).toContain('जारीकर्ता: <span lang="en">Pages Test Board &lt;b&gt;</span>।');
      expect(form.html).toContain('ये विवरण <span lang="en">Pages Test Board &lt;b&gt;</span> के साथ साझा');
      expect(form.html).toContain(`<li><a href="/issuers/${boardId}"><span lang="en">Pages Test Board &lt;b&gt;</span></a></li>`);
      const signedOut = await page(`/issuers/${boardId}/HSCER`, { cookie: 'lang=hi' });
      expect(signedOut.html).toContain('दस्तावेज़ <span lang="en">Pages Test Board &lt;b&gt;</span> से प्राप्त');

      const en = await page('/issuers/in.gov.cbse');
      expect(en.html).toContain('<title>Central Board of Secondary Education · ');
      expect(en.html).toContain('<h1>Central Board of Secondary Education</h1>');
      const enDoc = await page(`/issuers/${boardId}/HSCER`, { 'x-test-citizen': '1' });
      expect(enDoc.html).toContain('Issued by Pages Test Board &lt;b&gt;. Enter the details');
      expect(enDoc.html).toContain('I agree to share these details with Pages Test Board &lt;b&gt; to fetch my document.');
      expect(enDoc.html).not.toContain('<span lang="en">');
      const enList = await page('/issuers?q=Transport+Department%2C+Bihar');
      expect(enList.html).toContain('<a href="/issuers/in.gov.transportbr">Transport Department, Bihar</a>');
    });
  },
  { build: { modules: [fakeCitizen, issuersModule] } },
);
