/**
 * The sample partner app (examples/partner-app) end to end in Chromium: the app sends the
 * citizen to the consent screen (authorization code + PKCE), the citizen unticks one
 * document and allows, the app fetches exactly the allowed documents (and a file), the
 * citizen withdraws the consent on Connected organisations, and the app's next call fails.
 * The documents are real: marksheets pulled from the sandbox CBSE over HTTP and an upload
 * in a folder (issued and uploads modules).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPartnerApp } from '../../examples/partner-app/server.ts';
import type { TestApp } from '../support/app.ts';
import { formatViolations, launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { createPartner, freePort, startOAuthApp } from '../support/partners.ts';
import { registerSandboxIssuers, startTestSandbox, type TestSandbox } from '../support/sandbox.ts';
import { samplePdf, upload } from '../support/uploads.ts';

describe('sample partner app in Chromium', () => {
  let s: { t: TestApp; base: string; issuer: string };
  let browser: Browser;
  let citizen: TestCitizen;
  let partnerApp: { url: string; close(): Promise<void> };
  let sandbox: TestSandbox;
  let slip: Buffer;
  const docs = {} as Record<'marks' | 'classX' | 'passing' | 'slip', string>;

  beforeAll(async () => {
    s = await startOAuthApp();
    browser = await launchBrowser();
    sandbox = await startTestSandbox();
    await registerSandboxIssuers(s.t.deps, sandbox);
    citizen = await signUpCitizen(s.t.app, s.t.deps, { name: 'Asha Verma', dob: '2006-03-14', gender: 'F' });
    // Three documents from the sandbox CBSE: Class XII marksheet, Class X marksheet (unticked later), Class XII passing certificate.
    for (const [key, doctype, rollno, year] of [['marks', 'HSCER', '2410001', '2024'], ['classX', 'SSCER', '2210001', '2022'], ['passing', 'HPCER', '2410001', '2024']] as const) {
      const r = await s.t.app.inject({ method: 'POST', url: '/api/v1/issued/pull', headers: citizen.headers, payload: { issuer_id: 'in.gov.cbse', doctype, params: { rollno, year } } });
      if (r.statusCode !== 200) throw new Error(`pull ${doctype}: ${r.body}`);
      docs[key] = r.json().uri;
    }
    const folder = (await s.t.app.inject({ method: 'POST', url: '/api/v1/folders', headers: citizen.headers, payload: { name: 'Salary slips' } })).json().id as string;
    slip = await samplePdf('March salary slip');
    const up = await upload(s.t.app, citizen.headers, slip, 'march-slip.pdf', { folder });
    if (up.statusCode !== 201) throw new Error(`upload: ${up.body}`);
    docs.slip = up.json().id;
    const port = await freePort();
    const partner = await createPartner(s.t.app, { name: 'Example Bank', redirectUri: `http://127.0.0.1:${port}/callback`, scopes: ['openid', 'files.issueddocs', 'files.uploadeddocs'], doctypes: ['HSCER', 'SSCER', 'HPCER'] });
    partnerApp = await startPartnerApp({ lockerUrl: s.base, clientId: partner.clientId, clientSecret: partner.clientSecret, port });
  });
  afterAll(async () => {
    await partnerApp?.close();
    await sandbox?.close();
    await browser?.close();
    await s?.t.close();
  });

  it('connects, the citizen unticks one document, the app sees exactly the rest; after withdrawal its next call fails', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'en-IN' });
    await context.addCookies([{ name: 'ol_session', value: citizen.cookie.split('=')[1]!, domain: '127.0.0.1', path: '/' }]);
    const page = await context.newPage();
    try {
      await page.goto(partnerApp.url);
      await page.getByRole('link', { name: 'Connect your locker' }).click();
      await page.waitForURL(/\/consent\//);
      const violations = await seriousA11yViolations(page);
      expect(violations, formatViolations(violations)).toEqual([]);
      await page.getByLabel(/Class X Marksheet/).uncheck();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(`${partnerApp.url}/`);
      await page.getByRole('heading', { name: 'Your documents' }).waitFor();
      const issuedUris = await page.locator('#issued a').evaluateAll((as) => as.map((a) => a.getAttribute('data-uri')));
      expect(issuedUris.sort()).toEqual([docs.marks, docs.passing].sort());
      const uploadedUris = await page.locator('#uploaded a').evaluateAll((as) => as.map((a) => a.getAttribute('data-uri')));
      expect(uploadedUris).toEqual([docs.slip]);
      // The app downloads a shared file through 1/file/{uri}.
      const file = await page.request.get(`${partnerApp.url}/file?uri=${encodeURIComponent(docs.slip)}`);
      expect(file.status()).toBe(200);
      expect(Buffer.from(await file.body()).equals(slip)).toBe(true);
      const pdf = await page.request.get(`${partnerApp.url}/file?uri=${encodeURIComponent(docs.marks)}`);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      // The unticked Class X marksheet is not reachable even by asking for it directly.
      expect((await page.request.get(`${partnerApp.url}/file?uri=${encodeURIComponent(docs.classX)}`)).status()).toBe(404);

      // The citizen withdraws the consent on Connected organisations.
      await page.goto(`${s.base}/connected`);
      await page.getByRole('button', { name: /Withdraw consent given to Example Bank/ }).first().click();
      await page.waitForURL(/\/connected\?revoked=/);

      await page.goto(partnerApp.url);
      await expect(page.locator('#error').textContent()).resolves.toBe('invalid_token');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('refused');
    } finally {
      await context.close();
    }
  });
});
