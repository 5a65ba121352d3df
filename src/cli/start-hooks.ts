/**
 * What `openlocker serve` does around the server: before listening, bring the public issuer
 * directory up to date (one indexed read when it is); after listening, with `--dev` and
 * SANDBOX on (never in production), start the sandbox issuers on SANDBOX_PORT beside the
 * locker — their OTP texts going to the dev outbox — and register the five issuers with
 * their endpoints and keys so they are live at once. Stopping the locker stops them.
 */
import path from 'node:path';
import type { AppDeps } from '../deps.ts';
import { registerIssuer } from '../domain/issuers/register-issuer.ts';
import { seedIssuerDirectory } from '../domain/issuers/seed-directory.ts';
import { StartupError, type StartHooks } from '../main.ts';
import { sandboxRegistrations, startSandbox, type RunningSandbox } from '../sandbox/app.ts';
import { openSandboxStore } from '../sandbox/store.ts';
import { issuerServices } from '../wiring/issuers.ts';
import { signingRenderer } from '../compose/sandbox-renderer.ts';
import { preProvisioningList } from '../sandbox/identities.ts';
import { provisionStudents } from '../domain/issued/provision-students.ts';
import { issuedServices } from '../wiring/issued.ts';
import { accountsDeps } from '../http/routes/accounts/context.ts';
import { normaliseMobile } from '../domain/accounts/mobile.ts';
import { pushBatch } from '../domain/issued/push-uri.ts';

export function startHooks(opts: { dev: boolean }): StartHooks {
  return {
    async beforeListen(deps) {
      await seedIssuerDirectory(issuerServices(deps));
    },
    async afterListen(running) {
      const { config } = running.deps;
      if (!opts.dev || !config.sandbox || config.nodeEnv === 'production') return;
      let sandbox: RunningSandbox;
      try {
        sandbox = await startSandboxBesideLocker(running.deps);
      } catch (err) {
        await running.app.close();
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new StartupError(`Port ${config.sandboxPort} (SANDBOX_PORT) is already in use, so the sandbox issuers cannot start. Stop the other program, set SANDBOX_PORT, or set SANDBOX=false.`);
        throw err;
      }
      const stop = running.stop.bind(running);
      running.stop = async () => {
        await sandbox.close().catch(() => {});
        await stop();
      };
      process.stderr.write(`Sandbox issuers are serving on ${sandbox.url} (demo identities: ${sandbox.url}/demo-identities)\n`);
    },
  };
}

/**
 * The demo citizen (DESIGN §4: `npm start` seeds one): Rahul Sharma, mobile 9000000002, PIN
 * DEMO_PIN, with his driving licence and vehicle RC from the sandbox MoRTH already in
 * Issued — so the README's walkthroughs start from a locker that has something in it. Only
 * with --dev and SANDBOX on (never in production); an existing locker is left as it is.
 */
export const DEMO_CITIZEN = { mobile: '9000000002', pin: '258036' } as const;

async function seedDemoCitizen(deps: AppDeps, store: ReturnType<typeof openSandboxStore>): Promise<void> {
  const person = store.people().find((p) => p.mobile.endsWith(DEMO_CITIZEN.mobile));
  if (!person) return;
  const a = accountsDeps(deps);
  const mobile = normaliseMobile(DEMO_CITIZEN.mobile);
  let account = await a.accounts.findByMobile(mobile);
  if (!account) {
    account = await a.accounts.create(
      { mobile, name: person.name, dob: person.dob, gender: person.gender as 'M' | 'F' | 'T', email: null, pinHash: await a.pinHasher.hash(DEMO_CITIZEN.pin), mustChangePin: false },
      deps.clock.now(),
    );
  }
  const issued = issuedServices(deps);
  const uris = store.records('in.gov.transport').filter((r) => r.personId === person.id).map((r) => r.uri);
  const missing: string[] = [];
  for (const uri of uris) if (!(await issued.docs.get(account.id, uri))) missing.push(uri);
  if (missing.length) await pushBatch(issued, { issuerId: 'in.gov.transport', issuerName: 'Ministry of Road Transport and Highways' }, missing.map((uri) => ({ digilockerid: account!.id, uri, action: 'U' })), 1, 'preprovision');
}

/** Starts the sandbox on SANDBOX_PORT (loopback) and registers its five issuers in the locker's registry. */
export async function startSandboxBesideLocker(deps: AppDeps): Promise<RunningSandbox> {
  const store = openSandboxStore(path.join(deps.config.dataDir, 'sandbox', 'sandbox.db'));
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({
      store,
      clock: deps.clock,
      port: deps.config.sandboxPort,
      host: '127.0.0.1',
      renderer: signingRenderer(deps),
      sendSms: async (to, message) => {
        await deps.outbox.record({ channel: 'sms', to, subject: null, body: message }, deps.clock.now());
      },
    });
  } catch (err) {
    store.close();
    throw err;
  }
  try {
    const services = issuerServices(deps);
    for (const body of sandboxRegistrations(store, sandbox.url)) await registerIssuer(services, body, 'sandbox');
    // The board pre-provisions its students, so the README's CBSE demo identities work:
    // sign in with the mobile, an OTP and the last 6 digits of the roll number.
    const issued = issuedServices(deps);
    await provisionStudents(
      { ...issued, pinHasher: deps.pinHasher },
      { issuerId: 'in.gov.cbse', issuerName: 'Central Board of Secondary Education' },
      preProvisioningList(store).map((s) => ({ mobile: s.mobile, name: s.name, dob: s.dob, gender: s.gender as 'M' | 'F' | 'T', rollNo: s.roll_no, uris: s.uris })),
    );
    await seedDemoCitizen(deps, store);
  } catch (err) {
    await sandbox.close();
    throw err;
  }
  return sandbox;
}
