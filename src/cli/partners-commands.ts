/**
 * `openlocker partners …`: authorized partners (requesters) from the command line, on the
 * database in DATABASE_URL — the same use cases as the admin API.
 *
 *   partners add --name N --type bank --redirect-uri U [--redirect-uri U2] --scope S … [--doctype D …] --purpose P [--pkce-compat hex-s256]
 *   partners list [--status pending|approved|suspended|revoked|rejected] [--json]
 *   partners approve ID     partners suspend ID [--reason R]     partners revoke ID [--reason R]
 *   partners rotate-secret ID
 *
 * A client secret is printed once (add, first approval, rotate-secret), on stdout only.
 */
import type { Command } from 'commander';
import { loadConfig, processEnv } from '../config/index.ts';
import { closeDeps, openDeps } from '../deps.ts';
import { PARTNER_STATUSES, type PartnerStatus } from '../domain/consent/model.ts';
import { approvePartner, registerPartner, rotatePartnerSecret } from '../domain/consent/register-partner.ts';
import { setPartnerStatus } from '../domain/consent/set-partner-status.ts';
import { AppError } from '../domain/errors.ts';
import { presentPartner } from '../http/routes/consent/admin.ts';
import { consentServices, type ConsentServices } from '../wiring/consent.ts';

async function withServices<T>(fn: (s: ConsentServices) => Promise<T>): Promise<T> {
  const { config } = loadConfig(processEnv());
  const deps = await openDeps(config);
  try {
    return await fn(consentServices(deps));
  } catch (err) {
    // Use-case refusals are one clear line (the CLI prints the message, exit 1).
    if (err instanceof AppError) throw new Error(`${err.message}${typeof err.details?.field === 'string' ? ` (${err.details.field})` : ''}`);
    throw err;
  } finally {
    await closeDeps(deps);
  }
}

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerPartnerCommands(program: Command): void {
  const partners = program.command('partners').description('Authorized partners (banks, employers, universities, government) that ask citizens for consent.');

  partners
    .command('add')
    .description('Register an approved partner and print its client id and secret (shown once).')
    .requiredOption('--name <name>', 'organisation name citizens see')
    .requiredOption('--type <type>', 'bank, employer, university, government or other')
    .requiredOption('--redirect-uri <url>', 'exact redirect URI (repeat for several)', collect)
    .requiredOption('--scope <scope>', 'approved scope, e.g. userdetails, files.issueddocs, partners.PANCR (repeat)', collect)
    .option('--doctype <code>', 'approved doc type, e.g. PANCR (repeat)', collect)
    .requiredOption('--purpose <text>', 'purpose statement shown on the consent screen')
    .option('--contact-email <email>', 'contact address')
    .option('--pkce-compat <mode>', 'none (default) or hex-s256 (digilocker-sdk 0.1.4)')
    .action(async (o: { name: string; type: string; redirectUri: string[]; scope: string[]; doctype?: string[]; purpose: string; contactEmail?: string; pkceCompat?: string }) =>
      withServices(async (s) => {
        const c = await registerPartner(s, {
          name: o.name,
          type: o.type,
          redirect_uris: o.redirectUri,
          scopes: o.scope,
          doctypes: o.doctype ?? [],
          purpose: o.purpose,
          ...(o.contactEmail ? { contact_email: o.contactEmail } : {}),
          ...(o.pkceCompat ? { pkce_compat: o.pkceCompat } : {}),
        });
        out(`client_id:     ${c.clientId}\nclient_secret: ${c.clientSecret}\n(the secret is shown only now: store it in the partner's secret store)`);
      }),
    );

  partners
    .command('list')
    .description('List partners and applications, newest first.')
    .option('--status <status>', PARTNER_STATUSES.join(' | '))
    .option('--json', 'print JSON')
    .action(async (o: { status?: string; json?: boolean }) =>
      withServices(async (s) => {
        if (o.status && !(PARTNER_STATUSES as readonly string[]).includes(o.status)) throw new Error(`--status must be one of ${PARTNER_STATUSES.join(', ')}`);
        const items = [];
        for (let offset = 0; ; offset += 100) {
          const page = await s.partners.list({ ...(o.status ? { status: o.status as PartnerStatus } : {}), offset, limit: 100 });
          items.push(...page.items);
          if (offset + 100 >= page.total) break;
        }
        if (o.json) return out(JSON.stringify(items.map(presentPartner), null, 2));
        if (items.length === 0) return out('no partners');
        const w = Math.max(9, ...items.map((p) => p.id.length));
        out(`${'CLIENT ID'.padEnd(w)}  ${'STATUS'.padEnd(9)}  ${'TYPE'.padEnd(10)}  NAME  [SCOPES]`);
        for (const p of items) out(`${p.id.padEnd(w)}  ${p.status.padEnd(9)}  ${p.type.padEnd(10)}  ${p.name}  [${p.scopes.join(' ')}]`);
      }),
    );

  partners
    .command('approve <id>')
    .description('Approve a pending or suspended partner (a first approval prints the client secret, once).')
    .action(async (id: string) =>
      withServices(async (s) => {
        const r = await approvePartner(s, id);
        out(`${id} approved`);
        if (r.clientSecret) out(`client_secret: ${r.clientSecret}\n(the secret is shown only now)`);
      }),
    );

  for (const action of ['suspend', 'revoke', 'reject'] as const) {
    partners
      .command(`${action} <id>`)
      .description(action === 'suspend' ? 'Suspend a partner: every token it holds is refused at once.' : action === 'revoke' ? 'Revoke a partner for good: its consents are revoked and tokens deleted.' : 'Reject a pending application.')
      .option('--reason <text>', 'why (kept with the partner)')
      .action(async (id: string, o: { reason?: string }) =>
        withServices(async (s) => {
          const p = await setPartnerStatus(s, id, action, o.reason ?? null);
          out(`${p.id} ${p.status}`);
        }),
      );
  }

  partners
    .command('rotate-secret <id>')
    .description('Issue a new client secret (printed once); the old one stops working at once.')
    .action(async (id: string) =>
      withServices(async (s) => {
        const c = await rotatePartnerSecret(s, id);
        out(`client_id:     ${c.clientId}\nclient_secret: ${c.clientSecret}\n(the secret is shown only now)`);
      }),
    );
}
