/**
 * The issued-documents walkthrough in Chromium, against the sandbox issuers over real HTTP:
 * sign up with the mobile of a sandbox person (Arjun Nair), link Aadhaar (OTP from the
 * sandbox UIDAI's SMS), get the driving licence from the dashboard quick link, fetch a
 * CBSE marksheet through Issuers, and open it (a real PDF, served inline). Every page on
 * the way is axe-clean, in English and Hindi, at phone width.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { expectAccessible, launchBrowser } from '../support/browser.ts';
import { registerSandboxIssuers, startTestSandbox, type TestSandbox } from '../support/sandbox.ts';

const ARJUN = { mobile: '9000000007', aadhaar: '999900000071', dl: 'MH1220249990005', roll: '2310003', year: '2023' };

// A long walkthrough with axe on every page: generous on a loaded machine (a timeout here is not a speed bar).
describe('issued documents in Chromium', { timeout: 90_000 }, () => {
  let t: TestApp;
  let sandbox: TestSandbox;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { SANDBOX: 'true' } });
    sandbox = await startTestSandbox();
    await registerSandboxIssuers(t.deps, sandbox);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    await t?.close();
  });

  async function lockerOtp(mobile: string): Promise<string> {
    const outbox = await browser.newPage();
    try {
      await outbox.goto(`${base}/dev/outbox?to=${encodeURIComponent(mobile)}`);
      const text = (await outbox.locator('.message-body').first().textContent()) ?? '';
      return /\b(\d{6})\b/.exec(text)![1]!;
    } finally {
      await outbox.close();
    }
  }

  it('signs up, links Aadhaar, gets the driving licence from the quick link, fetches a marksheet and opens it', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    try {
      await page.goto(`${base}/signup`);
      await page.getByLabel('Mobile number').fill(ARJUN.mobile);
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.waitForURL(`${base}/signup/otp`);
      await page.getByLabel('One-time code').fill(await lockerOtp(`+91${ARJUN.mobile}`));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${base}/signup/details`);
      await page.getByLabel('Full name').fill('Arjun Nair');
      await page.getByLabel('Day').fill('1');
      await page.getByLabel('Month').fill('12');
      await page.getByLabel('Year').fill('2005');
      await page.getByLabel('Male', { exact: true }).check();
      await page.getByLabel('Choose a 6-digit security PIN').fill('407218');
      await page.getByLabel('Enter the PIN again').fill('407218');
      await page.getByRole('button', { name: 'Create my locker' }).click();
      await page.waitForURL(/\/dashboard/);

      // The Issued section starts empty, pointing to Issuers and the quick links.
      await page.goto(`${base}/issued`);
      await expect(page.getByText('No issued documents yet.').isVisible()).resolves.toBe(true);
      await expectAccessible(page, 'issued: empty');

      // Dashboard quick link → Aadhaar first (not linked yet).
      await page.goto(`${base}/dashboard`);
      await expectAccessible(page, 'dashboard with the issued card');
      await page.getByRole('link', { name: 'Get your Digital Driving Licence' }).click();
      await page.waitForURL(/\/profile\/aadhaar\?next=/);
      await expectAccessible(page, 'link Aadhaar: number');
      await page.getByLabel('Aadhaar number').fill(ARJUN.aadhaar);
      await page.getByRole('button', { name: 'Send OTP' }).click();
      await expect(page.getByText('UIDAI sent an OTP to XXXXXX0007').isVisible()).resolves.toBe(true);
      await expectAccessible(page, 'link Aadhaar: OTP');
      await page.getByLabel('One-time code').fill(sandbox.lastOtp(`+91${ARJUN.mobile}`)!);
      await page.getByRole('button', { name: 'Verify and link' }).click();

      // Back to the driving licence form; the verified DOB goes with it.
      await page.waitForURL(`${base}/issuers/in.gov.transport/DRVLC`);
      await page.getByLabel('Driving License No').fill(ARJUN.dl);
      await page.getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Get document' }).click();
      await page.waitForURL(/\/issued\?done=added/);
      await expect(page.getByRole('status').textContent()).resolves.toContain('Driving License is now in your Issued Documents.');

      // A CBSE marksheet through the Issuers section.
      await page.goto(`${base}/issuers/in.gov.cbse`);
      await page.getByRole('link', { name: 'Class XII Marksheet' }).click();
      await page.waitForURL(`${base}/issuers/in.gov.cbse/HSCER`);
      await page.getByLabel('Roll No').fill(ARJUN.roll);
      await page.getByLabel('Year').fill(ARJUN.year);
      await page.getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Get document' }).click();
      await page.waitForURL(/\/issued\?done=added/);
      await expectAccessible(page, 'issued: three documents');
      const names = await page.locator('.doc-list li > a').allTextContents();
      expect(names).toEqual(['Class XII Marksheet', 'Driving License', 'Aadhaar Card']);

      // Open it: the PDF, fetched live from the sandbox CBSE, inline.
      const href = await page.getByRole('link', { name: 'Open Class XII Marksheet (PDF)' }).getAttribute('href');
      expect(href).toBe('/issued/view/in.gov.cbse-HSCER-20232310003');
      const res = await page.request.get(base + href!);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toBe('application/pdf');
      expect(res.headers()['content-disposition']).toMatch(/^inline;/);
      const body = await res.body();
      expect(body.subarray(0, 5).toString()).toBe('%PDF-');
      expect(body.length).toBeGreaterThan(1000);
      expect(body.subarray(-8).toString()).toContain('%%EOF');

      // An issuer outage gives a clear page, not a broken one.
      sandbox.control.fault('in.gov.cbse', { mode: 'error', status: 503 });
      await page.goto(base + href!);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This document cannot be opened right now');
      await expectAccessible(page, 'issued: issuer outage');
      sandbox.control.clear();

      // The same in Hindi.
      await page.goto(`${base}/lang/hi?next=/issued`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('जारी दस्तावेज़');
      await expectAccessible(page, 'issued: Hindi');
      await page.goto(`${base}/profile/aadhaar`);
      await expectAccessible(page, 'Aadhaar verified details: Hindi');
    } finally {
      await page.close();
    }
  });
});
