/**
 * The Issuers section in Chromium: every page axe-clean (no serious or critical
 * violation) in English and Hindi, usable at 320 px, searchable without JavaScript, and
 * the pull form enforcing its parameters' patterns in the browser.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIssuer } from '../../src/domain/issuers/register-issuer.ts';
import { seedIssuerDirectory } from '../../src/domain/issuers/seed-directory.ts';
import type { AppModule } from '../../src/modules.ts';
import { issuerServices, issuersModule } from '../../src/wiring/issuers.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { formatViolations, launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { buildIssuerBody } from '../support/issuers.ts';

const fakeCitizen: AppModule = {
  name: 'fake-citizen',
  register(app) {
    app.addHook('onRequest', async (req) => {
      if (req.headers['x-test-citizen']) req.citizen = { accountId: 'acc-1', sessionId: 's-1', name: 'Asha Verma', idleSeconds: 900 };
    });
  },
};

describe('Issuers pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let boardId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { SANDBOX: 'true' }, build: { modules: [fakeCitizen, issuersModule] } });
    const services = issuerServices(t.deps);
    await seedIssuerDirectory(services);
    const body = buildIssuerBody({
      name: 'Browser Test Board',
      doctypes: [
        {
          code: 'HSCER',
          name: 'Class XII Marksheet',
          formats: ['pdf', 'xml'],
          parameters: [
            { name: 'rollno', label: 'Roll No', example: '1100040', pattern: '[0-9]{7}' },
            { name: 'year', label: 'Year', values: ['2023', '2024'] },
          ],
          profile_fields: ['FullName'],
        },
      ],
    });
    boardId = String(body.id);
    await registerIssuer(services, body);
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const pages = () => [
    ['categories', '/issuers'],
    ['a category', '/issuers?category=education'],
    ['search results', '/issuers?q=driving+licence'],
    ['no results', '/issuers?q=zzzzzz'],
    ['an issuer (not connected)', '/issuers/in.gov.cbse'],
    ['an issuer (connected)', `/issuers/${boardId}`],
    ['a document type, signed out', `/issuers/${boardId}/HSCER`],
    ['a document type, not connected', '/issuers/in.gov.transport/DRVLC'],
  ];

  for (const lang of ['en', 'hi'] as const) {
    it(`every Issuers page is axe-clean (${lang})`, async () => {
      const context = await browser.newContext();
      await context.addCookies([{ name: 'lang', value: lang, url: base }]);
      const page = await context.newPage();
      try {
        for (const [name, path] of pages()) {
          await page.goto(base + path);
          expect(await page.getAttribute('html', 'lang')).toBe(lang);
          const violations = await seriousA11yViolations(page);
          expect(violations, `${name}: ${formatViolations(violations)}`).toEqual([]);
        }
      } finally {
        await context.close();
      }
    });
  }

  it('the signed-in pull form is axe-clean, and Chromium enforces its pattern and required fields', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-citizen': '1' } });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/issuers/${boardId}/HSCER`);
      const violations = await seriousA11yViolations(page);
      expect(violations, formatViolations(violations)).toEqual([]);
      const roll = page.getByLabel('Roll No');
      await roll.fill('12ab');
      expect(await roll.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
      await roll.fill('1100040');
      expect(await roll.evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(true);
      expect(await page.getByLabel('Year').evaluate((el: HTMLSelectElement) => el.validity.valueMissing)).toBe(true);
      await page.getByLabel('Year').selectOption('2024');
      expect(await page.locator('form.pull-form').evaluate((f: HTMLFormElement) => f.checkValidity())).toBe(false); // consent not given yet
      await page.getByLabel(/I agree to share these details/).check();
      expect(await page.locator('form.pull-form').evaluate((f: HTMLFormElement) => f.checkValidity())).toBe(true);
      expect(await roll.getAttribute('inputmode')).toBe('numeric');
    } finally {
      await context.close();
    }
  });

  it('in Hindi, the pull form is axe-clean with Hindi labels for the registry English, and posts the same values', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-test-citizen': '1' } });
    await context.addCookies([{ name: 'lang', value: 'hi', url: base }]);
    const page = await context.newPage();
    try {
      await page.goto(`${base}/issuers/${boardId}/HSCER`);
      const violations = await seriousA11yViolations(page);
      expect(violations, formatViolations(violations)).toEqual([]);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('कक्षा 12 की अंकतालिका');
      const roll = page.getByLabel('अनुक्रमांक');
      await roll.fill('1100040');
      expect(await roll.getAttribute('name')).toBe('params[rollno]');
      await page.getByLabel('वर्ष').selectOption('2024');
      expect(await page.getByLabel('वर्ष').inputValue()).toBe('2024');
    } finally {
      await context.close();
    }
  });

  it('fits a 320 px phone: no horizontal scrolling on the list, issuer and form pages', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, extraHTTPHeaders: { 'x-test-citizen': '1' } });
    const page = await context.newPage();
    try {
      for (const path of ['/issuers', '/issuers?category=education', '/issuers/in.gov.transport', `/issuers/${boardId}/HSCER`, '/issuers/in.gov.cbse/HSCER']) {
        await page.goto(base + path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
    } finally {
      await context.close();
    }
  });

  it('works without JavaScript: search, open an issuer, open a document type', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/issuers`);
      await page.getByLabel('Search issuers and documents').fill('road transport');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/q=road\+transport/);
      await page.getByRole('link', { name: 'Ministry of Road Transport and Highways' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ministry of Road Transport and Highways');
      await page.getByRole('link', { name: 'Driving License' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Driving License');
      await expect(page.getByText('Not connected').first().isVisible()).resolves.toBe(true);
    } finally {
      await context.close();
    }
  });
});
