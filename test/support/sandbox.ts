/** Starts the sandbox issuers on loopback for a test and registers them in a test app's registry. */
import type { AppDeps } from '../../src/deps.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { registerIssuer } from '../../src/domain/issuers/register-issuer.ts';
import { sandboxRegistrations, startSandbox, type RunningSandbox } from '../../src/sandbox/app.ts';
import type { DocumentRenderer } from '../../src/sandbox/render/renderer.ts';
import { openSandboxStore } from '../../src/sandbox/store.ts';
import { issuerServices } from '../../src/wiring/issuers.ts';

export interface TestSandbox extends RunningSandbox {
  sms: Array<{ to: string; message: string }>;
  /** The last OTP texted to `to` (+91…). */
  lastOtp(to: string): string | undefined;
}

export async function startTestSandbox(options: { slowMs?: number; clock?: Clock; otpTtlMs?: number; renderer?: DocumentRenderer } = {}): Promise<TestSandbox> {
  const sms: Array<{ to: string; message: string }> = [];
  const sb = await startSandbox({
    store: openSandboxStore(':memory:'),
    sendSms: (to, message) => void sms.push({ to, message }),
    port: 0,
    host: '127.0.0.1',
    ...(options.slowMs !== undefined ? { slowMs: options.slowMs } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.otpTtlMs ? { otpTtlMs: options.otpTtlMs } : {}),
    ...(options.renderer ? { renderer: options.renderer } : {}),
  });
  return {
    ...sb,
    sms,
    lastOtp: (to) => [...sms].reverse().find((m) => m.to === to)?.message.match(/^(\d{6}) /)?.[1],
  };
}

/** Registers the five sandbox issuers (source `sandbox`) in the app's registry, as `npm start` does. */
export async function registerSandboxIssuers(deps: AppDeps, sandbox: RunningSandbox): Promise<void> {
  const services = issuerServices(deps);
  for (const body of sandboxRegistrations(sandbox.store, sandbox.url)) await registerIssuer(services, body, 'sandbox');
}
