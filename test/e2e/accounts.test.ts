/**
 * The accounts pages in Chromium: a citizen signs up, signs out, signs in and reads the
 * activity page, taking each OTP from the dev outbox page as a person would read an SMS.
 * axe-core checks every page on the way (with and without form errors, in English and
 * Hindi) for serious or critical violations, and the forms fit a 320 px phone.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { expectAccessible, launchBrowser } from '../support/browser.ts';
import { randomMobile } from '../support/citizen.ts';

// Many page loads with axe each: generous on a loaded machine (a timeout here is not a speed bar).
describe('accounts in Chromium', { timeout: 90_000 }, () => {
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

  /** Reads the newest code for `mobile` from the /dev/outbox page, in its own tab. */
  async function otpFromOutbox(mobile: string): Promise<string> {
    const outbox = await browser.newPage();
    try {
      await outbox.goto(`${base}/dev/outbox?to=${encodeURIComponent(mobile)}`);
      const text = await outbox.locator('.message-body').first().textContent();
      const code = /\b(\d{6})\b/.exec(text ?? '')?.[1];
      if (!code) throw new Error(`no code in the outbox for ${mobile}: ${text}`);
      return code;
    } finally {
      await outbox.close();
    }
  }

  it('signs up, signs out, signs in and sees the activity page', async () => {
    const mobile = randomMobile();
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/signup`);
      await expectAccessible(page, 'sign-up: mobile');
      await page.getByLabel('Mobile number').fill(mobile.slice(3));
      await page.getByRole('button', { name: 'Send code' }).click();

      await page.waitForURL(`${base}/signup/otp`);
      await expectAccessible(page, 'sign-up: code');
      await page.getByLabel('One-time code').fill('000000' === (await otpFromOutbox(mobile)) ? '000001' : '000000');
      await page.getByRole('button', { name: 'Continue' }).click();
      await expect(page.locator('.error-summary').textContent()).resolves.toContain('You have 2 tries left');
      await expectAccessible(page, 'sign-up: wrong code');
      await page.getByLabel('One-time code').fill(await otpFromOutbox(mobile));
      await page.getByRole('button', { name: 'Continue' }).click();

      await page.waitForURL(`${base}/signup/details`);
      await expectAccessible(page, 'sign-up: details');
      await page.getByRole('button', { name: 'Create my locker' }).click();
      await expect(page.locator('.error-summary').isVisible()).resolves.toBe(true);
      await expectAccessible(page, 'sign-up: details with errors');
      await page.getByLabel('Full name').fill('Kavya Iyer');
      await page.getByLabel('Day').fill('14');
      await page.getByLabel('Month').fill('8');
      await page.getByLabel('Year').fill('1995');
      await page.getByLabel('Female').check();
      await page.getByLabel('Choose a 6-digit security PIN').fill('407218');
      await page.getByLabel('Enter the PIN again').fill('407218');
      await page.getByRole('button', { name: 'Create my locker' }).click();

      await page.waitForURL(`${base}/dashboard?welcome=1`);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Welcome, Kavya Iyer');
      expect(await page.getAttribute('body', 'data-idle-seconds')).toMatch(/^\d+$/);
      await expectAccessible(page, 'dashboard');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${base}/signin?done=signed_out`);
      await expectAccessible(page, 'sign-in after sign-out');

      await page.getByLabel('Mobile number').fill(mobile);
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.waitForURL(`${base}/signin/otp`);
      await page.getByLabel('One-time code').fill(await otpFromOutbox(mobile));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${base}/signin/pin`);
      await expectAccessible(page, 'sign-in: PIN');
      await page.getByLabel('Security PIN').fill('407218');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${base}/dashboard`);

      await page.getByRole('navigation', { name: 'Locker sections' }).getByRole('link', { name: 'Activity' }).click();
      await page.waitForURL(`${base}/activity`);
      const rows = await page.locator('table.activity tbody tr').allTextContents();
      expect(rows.join('\n')).toMatch(/Signed in[\s\S]*Signed out[\s\S]*Locker created/);
      await expectAccessible(page, 'activity');
      await page.getByLabel('What happened').selectOption('signed_out');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/\/activity\?type=signed_out/);
      expect(await page.locator('table.activity tbody tr').count()).toBe(1);

      for (const path of ['/profile', '/profile/sessions', '/profile/pin', '/profile/mobile', '/profile/delete', '/activity/verify']) {
        await page.goto(base + path);
        await expectAccessible(page, path);
      }

      await page.goto(`${base}/activity`);
      await page.getByRole('link', { name: 'हिन्दी' }).click();
      await page.waitForURL(`${base}/activity`);
      expect(await page.getAttribute('html', 'lang')).toBe('hi');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('गतिविधि');
      await expectAccessible(page, 'activity in Hindi');
    } finally {
      await page.close();
    }
  });

  it('the forms fit a 320 px phone and work by keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    try {
      for (const path of ['/signup', '/signin', '/forgot-pin']) {
        await page.goto(base + path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await page.goto(`${base}/signin`);
      await page.getByLabel('Mobile number').focus();
      await page.keyboard.type('12345');
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      await expect(page.locator('.error-summary').textContent()).resolves.toContain('10-digit Indian mobile number');
      // Focus starts at the summary (what to fix), and the summary links to the field.
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      await page.locator('.error-summary a').click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('mobile');
      await expectAccessible(page, 'sign-in with an error at 320 px');
    } finally {
      await page.close();
    }
  });
});
