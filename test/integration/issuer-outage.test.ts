/**
 * DESIGN §7, the issuer half: "issuer restarts under load: clear errors while down, full
 * service after". The sandbox CBSE is reached through a TCP proxy that cuts every
 * connection (kept-alive ones included) and resets new ones, as an issuer's restart does.
 * While it is down, opening a document answers DigiLocker's `repository_service_unresponsive`
 * with a sentence a citizen understands — at once once the circuit is open, never a 500 or
 * a hang — and the rest of the locker (the Issued list, uploads) works. When it is back,
 * the next open after the breaker's cool-down fetches the document again, byte-identical.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerIssuer } from '../../src/domain/issuers/register-issuer.ts';
import { sandboxRegistrations } from '../../src/sandbox/app.ts';
import { issuerServices } from '../../src/wiring/issuers.ts';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { startTestSandbox, type TestSandbox } from '../support/sandbox.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const URI = 'in.gov.cbse-HSCER-20242410001';

describeEachStack(
  'an issuer restarting',
  (get) => {
    let sandbox: TestSandbox;
    let proxy: TcpProxy;
    let asha: TestCitizen;

    beforeAll(async () => {
      sandbox = await startTestSandbox({ slowMs: 6000 });
      proxy = await startTcpProxy(Number(new URL(sandbox.url).port));
      const services = issuerServices(get().deps);
      for (const body of sandboxRegistrations(sandbox.store, `http://127.0.0.1:${proxy.port}`)) await registerIssuer(services, body, 'sandbox');
      asha = await signUpCitizen(get().app, get().deps, { name: 'Asha Verma', dob: '2006-03-14', gender: 'F' });
      const pulled = await get().app.inject({ method: 'POST', url: '/api/v1/issued/pull', headers: asha.headers, payload: { issuer_id: 'in.gov.cbse', doctype: 'HSCER', params: { rollno: '2410001', year: '2024' } } });
      expect(pulled.statusCode, pulled.body).toBe(200);
    });

    afterAll(async () => {
      proxy?.up();
      await proxy?.close();
      await sandbox?.close();
    });

    it('while down: clear DigiLocker errors, fast once the circuit opens, the rest of the locker unaffected; back: the same bytes', { timeout: 60_000 }, async () => {
      const { app } = get();
      const open = () => app.inject({ url: `/api/v1/issued/${URI}/file`, headers: asha.headers });
      const before = await open();
      expect(before.statusCode, before.body).toBe(200);

      proxy.down();
      try {
        // Opens at once, as citizens do on a results day: each a clear error, none a 500.
        const burst = await Promise.all(Array.from({ length: 20 }, () => open()));
        for (const r of burst) {
          expect([502, 503, 504], r.body).toContain(r.statusCode);
          const body = r.json() as { error: string; error_description: string };
          expect(body.error).toBe('repository_service_unresponsive');
          expect(body.error_description).toMatch(/Central Board of Secondary Education/);
          expect(body.error_description).not.toMatch(/ECONN|socket|stack/i);
        }
        // The circuit is open now: the next citizen is told at once instead of waiting on retries.
        const t0 = performance.now();
        const fast = await open();
        expect(fast.statusCode).toBe(503);
        expect(fast.headers['retry-after']).toBeDefined();
        expect(performance.now() - t0).toBeLessThan(5000); // no retries, no timeout: the breaker answers
        // Nothing else depends on the issuer.
        const list = await app.inject({ url: '/api/v1/issued', headers: asha.headers });
        expect(list.statusCode).toBe(200);
        expect((list.json() as { items: Array<{ uri: string }> }).items.map((i) => i.uri)).toEqual([URI]);
        expect((await app.inject({ url: '/api/v1/uploads', headers: asha.headers })).statusCode).toBe(200);
      } finally {
        proxy.up();
      }

      // Back: after the cool-down (1 s here) one trial call closes the circuit again.
      let after = await open();
      for (let i = 0; i < 30 && after.statusCode !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        after = await open();
      }
      expect(after.statusCode, after.body).toBe(200);
      expect(after.rawPayload.equals(before.rawPayload)).toBe(true);
    });
  },
  { env: { ISSUER_BREAKER_COOLDOWN_SECONDS: '1', ISSUER_TIMEOUT_MS: '2000' } },
);
