/**
 * `openlocker sandbox …`: the sandbox issuers on their own (for integrators who want a
 * DigiLocker-compatible issuer to test against), their demo identities, and the CBSE
 * pre-provisioning list. `npm start` runs the sandbox beside the locker instead.
 *
 *   sandbox serve [--port N] [--host H]     sandbox identities [--json]
 *   sandbox students [--issuer ID] [--csv]   sandbox registrations [--url URL]
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, processEnv, type Config } from '../config/index.ts';
import { signingRenderer } from '../compose/sandbox-renderer.ts';
import { closeDeps, openDeps } from '../deps.ts';
import { sandboxRegistrations, startSandbox } from '../sandbox/app.ts';
import { demoIdentities, preProvisioningList } from '../sandbox/identities.ts';
import { openSandboxStore, type SandboxStore } from '../sandbox/store.ts';

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : s + '\n');

function sandboxConfig(): Config {
  const { config } = loadConfig(processEnv());
  if (config.nodeEnv === 'production') throw new Error('The sandbox issuers hand out synthetic documents and never run in production (NODE_ENV=production).');
  return config;
}

function withStore<T>(fn: (store: SandboxStore, config: Config) => T): T {
  const config = sandboxConfig();
  const store = openSandboxStore(path.join(config.dataDir, 'sandbox', 'sandbox.db'));
  try {
    return fn(store, config);
  } finally {
    store.close();
  }
}

export function registerSandboxCommands(program: Command): void {
  const sandbox = program.command('sandbox').description('The sandbox issuers (UIDAI, CBSE, MoRTH, Income Tax, e-District UP): synthetic data for development and testing.');

  sandbox
    .command('serve')
    .description('Run the sandbox issuers on their own (Issuer API, eKYC, demo identities); OTP texts are printed and listed at /sms.')
    .option('--port <port>', 'port (default SANDBOX_PORT)')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .action(async (o: { port?: string; host: string }) => {
      const config = sandboxConfig();
      const store = openSandboxStore(path.join(config.dataDir, 'sandbox', 'sandbox.db'));
      const port = o.port === undefined ? config.sandboxPort : Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${o.port}"`);
      // Signing keys live in the locker's key directory (DATA_DIR / DATABASE_URL), which
      // publishes them for verification.
      const deps = await openDeps(config);
      let running;
      try {
        running = await startSandbox({
          store,
          port,
          host: o.host,
          renderer: signingRenderer(deps),
          exposeSms: true,
          sendSms: (to, message) => {
            store.recordSms(to, message, new Date());
            process.stderr.write(`SMS to ${to}: ${message}\n`);
          },
        });
      } catch (err) {
        store.close();
        await closeDeps(deps);
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`Port ${port} is already in use. Stop the other program or pass --port.`);
        throw err;
      }
      const stop = () => {
        running
          .close()
          .then(() => closeDeps(deps))
          .then(() => process.exit(0))
          .catch(() => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stderr.write(`Sandbox issuers are serving on ${running.url}\n`);
      out(`Register them in a locker: openlocker sandbox registrations --url ${running.url} > sandbox-issuers.json && openlocker issuers import sandbox-issuers.json`);
    });

  sandbox
    .command('identities')
    .description('The demo identities: who they are, their mobile and Aadhaar, and what to type to fetch each document.')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withStore((store) => {
        const people = demoIdentities(store);
        if (o.json) return out(JSON.stringify(people, null, 2));
        for (const p of people) {
          out(`${p.name} (${p.name_hi}), born ${p.dob}, mobile ${p.mobile}, Aadhaar ${p.aadhaar ?? '(none)'}`);
          for (const d of p.documents) {
            const find = Object.entries(d.find_with).map(([k, v]) => `${k}=${v}`).join(' ');
            out(`  ${d.issuer_id} ${d.doctype} ${d.name}${find ? `: ${find}` : ''}${d.note ? `  [${d.note}]` : ''}`);
          }
        }
      }),
    );

  sandbox
    .command('students')
    .description('The pre-provisioning list a board pushes: mobile, roll number, year, first PIN and URIs of each student.')
    .option('--issuer <id>', 'the board', 'in.gov.cbse')
    .option('--csv', 'print CSV instead of JSON')
    .action((o: { issuer: string; csv?: boolean }) =>
      withStore((store) => {
        if (o.issuer !== 'in.gov.cbse') throw new Error(`In the sandbox only the board in.gov.cbse pre-provisions students (got ${o.issuer}).`);
        const list = preProvisioningList(store, o.issuer);
        if (!o.csv) return out(JSON.stringify(list, null, 2));
        out('mobile,roll_no,year,class,name,dob,gender,first_pin,uris');
        for (const s of list) out([s.mobile, s.roll_no, s.year, s.class, `"${s.name}"`, s.dob, s.gender, s.first_pin, s.uris.join(' ')].join(','));
      }),
    );

  sandbox
    .command('registrations')
    .description('The five sandbox issuers as an `openlocker issuers import` file (with their HMAC keys), for a sandbox at --url.')
    .option('--url <url>', 'where the sandbox serves', '')
    .action((o: { url: string }) =>
      withStore((store, config) => {
        out(JSON.stringify({ issuers: sandboxRegistrations(store, o.url || `http://127.0.0.1:${config.sandboxPort}`) }, null, 2));
      }),
    );
}
