/**
 * The sample partner app (examples/partner-app) end to end in Chromium: the app sends the
 * citizen to the consent screen (authorization code + PKCE), the citizen unticks one
 * document and allows, the app fetches exactly the allowed documents (and a file), the
 * citizen withdraws the consent on Connected organisations, and the app's next call fails.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPartnerApp } from '../../examples/partner-app/server.ts';
import type { TestApp } from '../support/app.ts';
import { formatViolations, launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { testIssuedSource, testUploadedSource, useTestSources } from '../support/document-sources.ts';
import { createPartner, freePort, startOAuthApp } from '../support/partners.ts';

describe('sample partner app in Chromium', () => {
  let s: { t: TestApp; base: string; issuer: string };
  let browser: Browser;
  let citizen: TestCitizen;
  let partnerApp: { url: string; close(): Promise<void> };
  const docs = {} as Record<'marks' | 'licence' | 'pan' | 'lease', string>;

  beforeAll(async () => {
    s = await startOAuthApp();
    browser = await launchBrowser();
    const issued = testIssuedSource(s.t.deps);
    const uploaded = testUploadedSource(s.t.deps);
    useTestSources(s.t.deps, issued, uploaded);
    citizen = await signUpCitizen(s.t.app, s.t.deps, { name: 'Kavya Iyer' });
    docs.marks = issued.add(citizen.accountId, { doctype: 'HSCER', title: 'Class XII Marksheet', holderName: 'Kavya Iyer' });
    docs.licence = issued.add(citizen.accountId, { doctype: 'DRVLC', title: 'Driving Licence', holderName: 'Kavya Iyer' });
    docs.pan = issued.add(citizen.accountId, { doctype: 'PANCR', title: 'PAN Card', holderName: 'Kavya Iyer' });
    const folder = uploaded.folder(citizen.accountId, 'Salary slips');
    docs.lease = await uploaded.file(citizen.accountId, 'march-slip.pdf', Buffer.from('%PDF-1.4 march salary slip'), { parent: folder });
    const port = await freePort();
    const partner = await createPartner(s.t.app, { name: 'Example Bank', redirectUri: `http://127.0.0.1:${port}/callback`, scopes: ['openid', 'files.issueddocs', 'files.uploadeddocs'], doctypes: ['HSCER', 'DRVLC', 'PANCR'] });
    partnerApp = await startPartnerApp({ lockerUrl: s.base, clientId: partner.clientId, clientSecret: partner.clientSecret, port });
  });
  afterAll(async () => {
    await partnerApp?.close();
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
      await page.getByLabel(/Driving Licence/).uncheck();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(`${partnerApp.url}/`);
      await page.getByRole('heading', { name: 'Your documents' }).waitFor();
      const issuedUris = await page.locator('#issued a').evaluateAll((as) => as.map((a) => a.getAttribute('data-uri')));
      expect(issuedUris.sort()).toEqual([docs.marks, docs.pan].sort());
      const uploadedUris = await page.locator('#uploaded a').evaluateAll((as) => as.map((a) => a.getAttribute('data-uri')));
      expect(uploadedUris).toEqual([docs.lease]);
      // The app downloads a shared file through 1/file/{uri}.
      const file = await page.request.get(`${partnerApp.url}/file?uri=${encodeURIComponent(docs.lease)}`);
      expect(file.status()).toBe(200);
      expect(await file.text()).toBe('%PDF-1.4 march salary slip');
      const pdf = await page.request.get(`${partnerApp.url}/file?uri=${encodeURIComponent(docs.marks)}`);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      // The unticked licence is not reachable even by asking for it directly.
      expect((await page.request.get(`${partnerApp.url}/file?uri=${encodeURIComponent(docs.licence)}`)).status()).toBe(404);

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
