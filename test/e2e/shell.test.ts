/**
 * The web shell in a real browser: it renders, works at 320 px, switches language, reaches
 * the main content by keyboard, and axe-core finds no serious or critical violation.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { formatViolations, launchBrowser, seriousA11yViolations } from '../support/browser.ts';

describe('web shell in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { SANDBOX: 'true' } });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const [name, path] of [
    ['home', '/'],
    ['help', '/help'],
    ['a section, signed out', '/issued'],
    ['the 404 page', '/no/such/page'],
  ] as const) {
    it(`${name} has no serious accessibility violations`, async () => {
      const page = await browser.newPage();
      try {
        await page.goto(base + path);
        const violations = await seriousA11yViolations(page);
        expect(violations, formatViolations(violations)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('switches to Hindi and stays accessible', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(base + '/');
      await page.getByRole('link', { name: 'हिन्दी' }).click();
      await page.waitForURL(base + '/');
      expect(await page.getAttribute('html', 'lang')).toBe('hi');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('आपके दस्तावेज़');
      const violations = await seriousA11yViolations(page);
      expect(violations, formatViolations(violations)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('fits a 320 px phone without horizontal scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    try {
      await page.goto(base + '/');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await expect(page.getByRole('navigation', { name: 'Locker sections' }).isVisible()).resolves.toBe(true);
      // The sections are one row that scrolls on its own (five wrapped rows pushed the page's heading down a third of the screen).
      const nav = await page.getByRole('navigation', { name: 'Locker sections' }).boundingBox();
      expect(nav!.height).toBeLessThanOrEqual(60);
      const h1 = await page.getByRole('heading', { level: 1 }).boundingBox();
      expect(h1!.y).toBeLessThan(300); // about 250 px: the header (two rows at 320 px) and one row of sections
    } finally {
      await page.close();
    }
  });

  it('the first Tab reaches the skip link, which moves focus to the main content', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(base + '/help');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    } finally {
      await page.close();
    }
  });
});

describe('the accessibility check itself', () => {
  it('catches a page with serious violations (so a clean result means something)', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.setContent('<html><body><img src="/x.png"><input type="text"><p style="color:#bbb;background:#fff">faint</p></body></html>');
      const ids = (await seriousA11yViolations(page)).map((v) => v.id);
      expect(ids).toEqual(expect.arrayContaining(['image-alt', 'label', 'color-contrast']));
    } finally {
      await browser.close();
    }
  });
});
