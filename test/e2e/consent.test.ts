/**
 * The consent screen and Connected organisations in Chromium: axe-clean (no serious or
 * critical violations) in English and Hindi, no horizontal scrolling at 320 px, and
 * usable by keyboard alone — the citizen allows with the keyboard (the partner gets its
 * code) and withdraws the consent with the keyboard.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchBrowser } from '../support/browser.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { authorizeUrl, createPartner, oidcClient, startOAuthApp, type TestPartner } from '../support/partners.ts';
import type { TestApp } from '../support/app.ts';

// Eight page loads with axe each: generous on a loaded machine (a timeout here is not a speed bar).
describe('consent pages in Chromium', { timeout: 90_000 }, () => {
  let s: { t: TestApp; base: string; issuer: string };
  let browser: Browser;
  let partner: TestPartner;
  let citizen: TestCitizen;

  let callback: http.Server;

  beforeAll(async () => {
    s = await startOAuthApp();
    browser = await launchBrowser();
    // The partner's own site, where the citizen lands with the code.
    callback = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Partner</title><p>back at the partner</p>'));
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    partner = await createPartner(s.t.app, { redirectUri: `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`, name: 'State Bank of Example', scopes: ['openid', 'userdetails', 'files.issueddocs'], doctypes: ['PANCR'] });
    citizen = await signUpCitizen(s.t.app, s.t.deps, { name: 'Kavya Iyer' });
  });
  afterAll(async () => {
    await new Promise((r) => callback?.close(r));
    await browser?.close();
    await s?.t.close();
  });

  async function signedIn(lang: 'en' | 'hi', width = 1024): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: lang === 'hi' ? 'hi-IN' : 'en-IN' });
    const host = new URL(s.base).hostname;
    await context.addCookies([
      { name: 'ol_session', value: citizen.cookie.split('=')[1]!, domain: host, path: '/' },
      { name: 'lang', value: lang, domain: host, path: '/' },
    ]);
    return { context, page: await context.newPage() };
  }

  async function accessible(page: Page, what: string): Promise<void> {
    await expectAccessible(page, what);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${what}: horizontal scrolling`).toBeLessThanOrEqual(0);
  }

  async function openConsent(page: Page, params: Record<string, string> = {}): Promise<void> {
    const config = await oidcClient(s.issuer, partner);
    const a = await authorizeUrl(config, partner, { scope: 'openid userdetails files.issueddocs partners.PANCR', purpose: 'Open a savings account (KYC)', ...params });
    await page.goto(a.url);
    await page.waitForURL(/\/consent\//);
  }

  it('the consent screen is axe-clean in English and Hindi, on a desktop and at 320 px', async () => {
    for (const lang of ['en', 'hi'] as const) {
      for (const width of [1024, 320]) {
        const { context, page } = await signedIn(lang, width);
        try {
          await openConsent(page);
          await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('State Bank of Example');
          await accessible(page, `consent screen (${lang}, ${width}px)`);
        } finally {
          await context.close();
        }
      }
    }
  });

  it('allows by keyboard alone; the partner receives a code', async () => {
    const { context, page } = await signedIn('en', 320);
    try {
      await openConsent(page);
      const checkbox = page.getByLabel(/Fetch your PANCR document/);
      await checkbox.focus();
      await page.keyboard.press('Space');
      await expect(checkbox.isChecked()).resolves.toBe(false);
      for (let i = 0; i < 15; i++) {
        const name = await page.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.value ?? '');
        if (name === 'allow') break;
        await page.keyboard.press('Tab');
      }
      await expect(page.evaluate(() => (document.activeElement as HTMLButtonElement).value)).resolves.toBe('allow');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${partner.redirectUri}?**`);
      expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();
    } finally {
      await context.close();
    }
    // The unticked doc type was not granted.
    const consents = (await s.t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<{ scopes: string[] }> };
    expect(consents.items[0]!.scopes).toEqual(['openid', 'userdetails']);
  });

  it('Connected organisations is axe-clean in English and Hindi at 320 px, and withdraws by keyboard', async () => {
    for (const lang of ['en', 'hi'] as const) {
      for (const width of [1024, 320]) {
        const { context, page } = await signedIn(lang, width);
        try {
          await page.goto(`${s.base}/connected`);
          await accessible(page, `connected (${lang}, ${width}px)`);
        } finally {
          await context.close();
        }
      }
    }
    const { context, page } = await signedIn('en', 320);
    try {
      await page.goto(`${s.base}/connected`);
      // A record, not a form: no "tick below", and documents by their names, not URIs.
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).not.toContain('tick below');
      expect(text).not.toMatch(/in\.gov\.[a-z.]+-[A-Z0-9]{5}-/);
      const withdraw = page.getByRole('button', { name: /Withdraw consent given to State Bank of Example/ }).first();
      await withdraw.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/connected\?revoked=/);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('can no longer access your locker');
      await accessible(page, 'connected after withdrawing');
    } finally {
      await context.close();
    }
  });
});
