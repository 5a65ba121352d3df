/**
 * `openlocker serve --dev` (what `npm start` runs) with SANDBOX on, as a child process:
 * the directory is seeded, the sandbox issuers start beside the locker, are registered and
 * connected, their OTP texts reach the locker's dev outbox, a restart is quick and keeps
 * the keys, and stopping the locker stops the sandbox. Without --dev there is no sandbox.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issuerHmac } from '../../src/crypto/issuer-hmac.ts';
import { openSandboxStore } from '../../src/sandbox/store.ts';
import { serve } from '../support/cli.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-dev-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const env = { DATA_DIR: dataDir, SANDBOX: 'true', SANDBOX_PORT: '0', LOG_LEVEL: 'warn' };
const sandboxUrl = (logs: string) => /Sandbox issuers are serving on (http:\/\/\S+)/.exec(logs)?.[1];

describe('npm start with the sandbox', () => {
  it('starts the sandbox beside the locker, registers the five issuers connected, and texts OTPs into the dev outbox', async () => {
    const t0 = performance.now();
    const s = await serve(env, ['serve', '--dev'], 30_000);
    const firstStartMs = performance.now() - t0;
    let sbUrl: string | undefined;
    try {
      sbUrl = sandboxUrl(s.logs());
      expect(sbUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // Logged for the record (about 2.5 s on an idle 2-core machine, tsx compiling the
      // sources included); not asserted, because it measures the machine's load as much.
      process.stderr.write(`[startup-sandbox] first start with directory seed and sandbox: ${Math.round(firstStartMs)} ms\n`);

      const connected = await (await fetch(`${s.url}/api/v1/issuers?connected=true`)).json();
      expect(connected.items.map((i: { id: string }) => i.id).sort()).toEqual(['in.gov.cbse', 'in.gov.pan', 'in.gov.transport', 'in.gov.uidai', 'in.gov.up.edistrict']);
      const all = await (await fetch(`${s.url}/api/v1/issuers?per_page=1`)).json();
      expect(all.total).toBeGreaterThanOrEqual(1494);
      const ids = await (await fetch(`${sbUrl}/demo-identities`)).json();
      expect(ids.length).toBeGreaterThan(5);
      expect(fs.existsSync(path.join(dataDir, 'sandbox', 'sandbox.db'))).toBe(true);

      const store = openSandboxStore(path.join(dataDir, 'sandbox', 'sandbox.db'));
      const key = store.issuerKey('in.gov.uidai');
      store.close();
      const body = JSON.stringify({ uid: '999900000028' });
      const otp = await fetch(`${sbUrl}/uidai/ekyc/otp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-digilocker-hmac': issuerHmac(body, key, 'base64-hex') }, body });
      expect(otp.status).toBe(200);
      const outbox = await (await fetch(`${s.url}/dev/outbox.json?to=${encodeURIComponent('+919000000002')}`)).json();
      expect(outbox.items[0]).toMatchObject({ channel: 'sms', to: '+919000000002' });
      expect(outbox.items[0].body).toMatch(/^\d{6} is the OTP for Aadhaar eKYC/);

      // The demo citizen: Rahul Sharma signs in with an OTP and the README's PIN, and finds his
      // driving licence and RC in Issued.
      const post = (p: string, body: unknown) => fetch(`${s.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, string> }));
      const challenge = await post('/api/v1/auth/otp', { mobile: '9000000002', purpose: 'login' });
      expect(challenge.status).toBe(200);
      const sms = (await (await fetch(`${s.url}/dev/outbox.json?to=${encodeURIComponent('+919000000002')}`)).json()).items[0].body as string;
      const code = /\b(\d{6})\b/.exec(sms)![1]!;
      const login = await post('/api/v1/auth/login', { challenge_id: challenge.json.challenge_id, otp: code, pin: '258036' });
      expect(login.status, JSON.stringify(login.json)).toBe(200);
      const issued = (await (await fetch(`${s.url}/api/v1/issued`, { headers: { authorization: `Bearer ${login.json.token}` } })).json()) as { items: Array<{ uri: string }> };
      expect(issued.items.map((i) => i.uri).sort()).toEqual(['in.gov.transport-DRVLC-UP7820109990001', 'in.gov.transport-RVCER-UP78ZZ9001']);
    } finally {
      expect(await s.stop()).toBe(0);
    }
    // Stopping the locker stopped the sandbox.
    await expect(fetch(`${sbUrl}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('a restart skips the unchanged directory and registers the sandbox again with the same keys', async () => {
    const t0 = performance.now();
    const s = await serve(env, ['serve', '--dev'], 30_000);
    const ms = performance.now() - t0;
    try {
      process.stderr.write(`[startup-sandbox] restart: ${Math.round(ms)} ms\n`);
      const connected = await (await fetch(`${s.url}/api/v1/issuers?connected=true`)).json();
      expect(connected.total).toBe(5);
    } finally {
      await s.stop();
    }
  }, 60_000);

  it('without --dev (plain serve) there is no sandbox, but the directory is there', async () => {
    const s = await serve(env, ['serve'], 30_000);
    try {
      expect(sandboxUrl(s.logs())).toBeUndefined();
      const dir = await (await fetch(`${s.url}/api/v1/issuers?per_page=1`)).json();
      expect(dir.total).toBeGreaterThanOrEqual(1494);
    } finally {
      await s.stop();
    }
  }, 60_000);
});
