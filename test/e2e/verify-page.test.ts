/**
 * The verify page in Chromium: upload a signed PDF, upload a photo of the QR code, paste
 * the QR text, scan with the camera (a fake camera showing the code), and see the status;
 * English and Hindi pages are axe-core clean; the page works at 320 px.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verificationDeps } from '../../src/compose/verification.ts';
import { qrPng } from '../../src/crypto/qr-code.ts';
import { issueSignedDocument, type SignedDocument } from '../../src/domain/verification/issue-signed-document.ts';
import { sampleDocument } from '../../src/sandbox/samples/documents.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { CHROMIUM, formatViolations, launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { flipByte, renderPage, tmpDir } from '../support/verification.ts';

/** A one-frame Y4M video (what Chromium's fake camera plays) of `png` centred on white. */
function y4mOf(png: Buffer, width = 640, height = 480): Buffer {
  const img = PNG.sync.read(png);
  const Y = Buffer.alloc(width * height, 235);
  const ox = Math.floor((width - img.width) / 2);
  const oy = Math.floor((height - img.height) / 2);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      const lum = 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
      Y[(y + oy) * width + x + ox] = Math.round(16 + (lum * 219) / 255);
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), Y, chroma, chroma]);
}

describe('verify page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let dir: string;
  let signed: SignedDocument;
  let pdfPath: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { SANDBOX: 'true' } });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    dir = tmpDir('ol-e2e-');
    const doc = { ...sampleDocument('in.gov.cbse', 'SSCER', { seed: 'e2e' }), holder: { name: 'Ananya Sharma', nameHi: 'अनन्या शर्मा' } };
    signed = await issueSignedDocument(verificationDeps(t.deps), doc);
    pdfPath = path.join(dir, 'marksheet.pdf');
    fs.writeFileSync(pdfPath, signed.pdf);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('upload a signed PDF: "Valid", the issuer and the Hindi name; axe-clean', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/verify`);
      expect(formatViolations(await seriousA11yViolations(page))).toBe('');
      await page.getByLabel('File').setInputFiles(pdfPath);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForSelector('#result');
      expect(await page.locator('.status-word').textContent()).toBe('Valid');
      const text = await page.locator('#result').textContent();
      expect(text).toContain('Central Board of Secondary Education');
      expect(text).toContain('अनन्या शर्मा');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('result');
      expect(formatViolations(await seriousA11yViolations(page))).toBe('');
    } finally {
      await page.close();
    }
  });

  it('upload a photo of the QR code (JPEG of the printed page) and a tampered PDF', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${base}/verify`);
      await page.getByLabel('File').setInputFiles(renderPage(pdfPath, 100, 'jpeg'));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForSelector('#result');
      expect(await page.locator('.status-word').textContent()).toBe('Valid');
      await page.goto(`${base}/verify`);
      fs.writeFileSync(path.join(dir, 'bad.pdf'), flipByte(signed.pdf, 1500));
      await page.getByLabel('File').setInputFiles(path.join(dir, 'bad.pdf'));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForSelector('#result');
      expect(await page.locator('.status-word').textContent()).toBe('Tampered');
      expect(formatViolations(await seriousA11yViolations(page))).toBe('');
    } finally {
      await page.close();
    }
  });

  it('works without JavaScript: paste the QR text; an unreadable text explains itself', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    try {
      await page.goto(`${base}/verify`);
      await page.getByLabel('QR code text').fill(signed.qrText);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForSelector('#result');
      expect(await page.locator('.status-word').textContent()).toBe('Valid');
      await page.goto(`${base}/verify`);
      await page.getByLabel('QR code text').fill('not a QR text');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForSelector('.error-summary');
      expect(await page.locator('.error-summary').textContent()).toContain('OL1:/');
    } finally {
      await ctx.close();
    }
  });

  it('in Hindi, at 320 px, axe-clean', async () => {
    const ctx = await browser.newContext({ viewport: { width: 320, height: 640 }, extraHTTPHeaders: { 'accept-language': 'hi' } });
    const page = await ctx.newPage();
    try {
      await page.goto(`${base}/verify`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('दस्तावेज़ सत्यापित करें');
      await page.getByLabel('फ़ाइल').setInputFiles(pdfPath);
      await page.getByRole('button', { name: 'सत्यापित करें' }).click();
      await page.waitForSelector('#result');
      expect(await page.locator('.status-word').textContent()).toBe('मान्य');
      // Each check is named and explained in Hindi; no English detail is left.
      const checks = (await page.locator('#result').textContent()) ?? '';
      expect(checks).toContain('PDF हस्ताक्षर');
      expect(checks).toContain('जारीकर्ता की कुंजी');
      expect(checks).toContain('हस्ताक्षरित सामग्री ठीक वही है जिस पर हस्ताक्षर किए गए थे।');
      expect(await page.locator('#result .checks [lang="en"]').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      expect(formatViolations(await seriousA11yViolations(page))).toBe('');
    } finally {
      await ctx.close();
    }
  });

  it('scan with the camera: the fake camera shows the QR code, the page decodes it and verifies', async () => {
    const video = path.join(dir, 'qr.y4m');
    fs.writeFileSync(video, y4mOf(await qrPng(signed.qrText, 4)));
    const camBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const ctx = await camBrowser.newContext();
      await ctx.grantPermissions(['camera'], { origin: base });
      const page = await ctx.newPage();
      await page.goto(`${base}/verify`);
      await page.getByRole('button', { name: 'Scan with the camera' }).click();
      await page.waitForSelector('#result', { timeout: 20_000 });
      expect(await page.locator('.status-word').textContent()).toBe('Valid');
    } finally {
      await camBrowser.close();
    }
  }, 60_000);
});
