/**
 * Uploads and sharing in Chromium: a citizen uploads a document, renames it and sets its
 * type, shares it by email; the recipient opens the link in a second browser context (no
 * session) and sees the banner and the document; the citizen revokes the share, the
 * recipient's page stops working, and the Activity section shows all of it. axe-core finds
 * no serious or critical violation on any of these pages, and the pages fit a 320 px phone.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { expectAccessible, launchBrowser } from '../support/browser.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { samplePng, upload } from '../support/uploads.ts';

describe('uploads and sharing in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function fitsPhone(page: Page, what: string): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${what} scrolls sideways on a 320 px phone`).toBeLessThanOrEqual(0);
  }

  it('uploads, renames, sets a type, shares, opens the link elsewhere, revokes, and shows it all in Activity', { timeout: 120_000 }, async () => {
    const citizen = await signUpCitizen(t.app, t.deps, { name: 'Kavya Iyer' });
    const mine: BrowserContext = await browser.newContext({ viewport: { width: 320, height: 640 } });
    await mine.addCookies([{ name: 'ol_session', value: citizen.cookie.split('=')[1]!, url: base }]);
    const page = await mine.newPage();
    const other: BrowserContext = await browser.newContext();
    try {
      await page.goto(`${base}/uploaded`);
      await expectAccessible(page, 'uploaded: empty');
      await fitsPhone(page, 'uploaded');
      await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'scan-2024.png', mimeType: 'image/png', buffer: samplePng(21, 40) });
      await page.getByRole('button', { name: 'Upload' }).click();
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('Uploaded “scan-2024.png”');
      await expectAccessible(page, 'uploaded: one document');
      await fitsPhone(page, 'uploaded with a document');

      await page.getByRole('link', { name: 'scan-2024.png' }).click();
      await expectAccessible(page, 'document details');
      await page.getByLabel('Name', { exact: true }).fill('Caste certificate');
      await page.getByLabel('Document type').selectOption('OTHER');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('Your changes were saved');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Caste certificate');
      await fitsPhone(page, 'document details');

      await page.getByRole('link', { name: 'Share by email' }).click();
      await expectAccessible(page, 'share form');
      await page.getByLabel('Their email address').fill('officer@example.in');
      await page.getByLabel('View limit (optional)').fill('5');
      await page.getByRole('button', { name: 'Share' }).click();
      await page.waitForURL(/\/shared\?/);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('officer@example.in will get an email');
      await expectAccessible(page, 'shared');
      await fitsPhone(page, 'shared');

      // The recipient, in another browser with no session, follows the emailed link.
      const mail = (await t.deps.outbox.list({ to: 'officer@example.in', channel: 'email', limit: 1 }))[0]!;
      const link = /https?:\/\/\S+(\/s\/[A-Za-z0-9_-]{43})/.exec(mail.body)![1]!;
      const theirs = await other.newPage();
      await theirs.goto(`${base}${link}`);
      await expect(theirs.getByRole('status').textContent()).resolves.toContain('Kavya Iyer shared “Caste certificate” with officer@example.in');
      await expect(theirs.getByRole('img', { name: 'Caste certificate' }).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(40);
      await expectAccessible(theirs, 'share link');

      await page.reload();
      await expect(page.locator('td[data-label="Views"]').first().textContent()).resolves.toContain('1 / 5');
      await page.getByRole('link', { name: 'Revoke the share of Caste certificate with officer@example.in' }).click();
      // It asks first; the link still works until the citizen says yes.
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Stop sharing Caste certificate with officer@example.in?');
      await expectAccessible(page, 'revoke question');
      await fitsPhone(page, 'revoke question');
      expect((await theirs.goto(`${base}${link}`))?.status()).toBe(200);
      await page.getByRole('button', { name: 'Yes, stop sharing' }).click();
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('The link was revoked');
      await expectAccessible(page, 'shared after revoking');

      const gone = await theirs.goto(`${base}${link}`);
      expect(gone?.status()).toBe(410);
      await expect(theirs.locator('main').textContent()).resolves.toContain('stopped sharing');
      await expectAccessible(theirs, 'revoked link');

      await page.goto(`${base}/activity`);
      const log = (await page.locator('table.activity').textContent()) ?? '';
      for (const what of ['Document uploaded', 'Document renamed', 'Document details changed', 'Document shared', 'Shared link opened', 'Share revoked']) expect(log).toContain(what);
      await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/Log intact since/);
      await expectAccessible(page, 'activity');

      // Folders: create one, land in it, rename it.
      await page.goto(`${base}/uploaded`);
      await page.getByLabel('Folder name').fill('Certificates');
      await page.getByRole('button', { name: 'Create folder' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Certificates');
      await expectAccessible(page, 'a folder');
      await fitsPhone(page, 'a folder');
      await page.getByLabel('Rename this folder').fill('School certificates');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('School certificates');
    } finally {
      await mine.close();
      await other.close();
    }
  });
  it('a 100-character name without a space wraps: no page scrolls sideways on a 320 px phone', { timeout: 60_000 }, async () => {
    const citizen = await signUpCitizen(t.app, t.deps, { name: 'Long Name' });
    const name = `Scan_2024_${'X'.repeat(90)}.png`;
    const doc = (await upload(t.app, citizen.headers, await samplePng(), name)).json() as { id: string };
    const ctx: BrowserContext = await browser.newContext({ viewport: { width: 320, height: 640 } });
    await ctx.addCookies([{ name: 'ol_session', value: citizen.cookie.split('=')[1]!, url: base }]);
    const page = await ctx.newPage();
    for (const path of ['/uploaded', `/uploaded/${doc.id}`, `/shared/new?upload=${doc.id}`]) {
      await page.goto(`${base}${path}`);
      await fitsPhone(page, path);
    }
    await ctx.close();
  });
});
