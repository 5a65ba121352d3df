/**
 * `openlocker issuers …`: the operator's issuer registry from the command line, on the
 * database in DATABASE_URL (the same use cases as the admin API).
 *
 *   issuers add --id ID [--name …] [--category …] [--pull-uri-url U --pull-doc-url U]
 *               [--hmac-key-file F | --hmac-key-stdin] [--doctype CODE:Name] [--param CODE:name:Label[:pattern]] …
 *   issuers list [--category C] [--q WORDS] [--connected] [--all] [--json]
 *   issuers show ID [--json]      issuers disable ID      issuers enable ID
 *   issuers import FILE.json      issuers seed [--force]
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, processEnv } from '../config/index.ts';
import { closeDeps, openDeps } from '../deps.ts';
import { CATEGORIES, PROFILE_FIELDS, type Category } from '../domain/issuers/model.ts';
import { getIssuer } from '../domain/issuers/get-issuer.ts';
import { importIssuers } from '../domain/issuers/import-issuers.ts';
import { listIssuers } from '../domain/issuers/list-issuers.ts';
import { registerIssuer } from '../domain/issuers/register-issuer.ts';
import { seedIssuerDirectory } from '../domain/issuers/seed-directory.ts';
import { setIssuerStatus } from '../domain/issuers/set-issuer-status.ts';
import { presentAdminIssuer } from '../http/routes/issuers/present.ts';
import { issuerServices, type IssuerServices } from '../wiring/issuers.ts';

async function withServices<T>(fn: (s: IssuerServices) => Promise<T>): Promise<T> {
  const { config } = loadConfig(processEnv());
  const deps = await openDeps(config);
  try {
    return await fn(issuerServices(deps));
  } finally {
    await closeDeps(deps);
  }
}

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const collect = (v: string, prev: string[] = []) => [...prev, v];

interface AddOptions {
  id: string;
  name?: string;
  category?: string;
  state?: string;
  description?: string;
  pullUriUrl?: string;
  pullDocUrl?: string;
  hmacKey?: string;
  hmacKeyFile?: string;
  hmacKeyStdin?: boolean;
  hmacEncoding?: string;
  timeoutMs?: string;
  orgId?: string;
  doctype?: string[];
  param?: string[];
  profile?: string[];
  formats?: string[];
}

/** A flag that must be a whole number ≥ 1: anything else is an error, not page 1 in silence. */
function positiveInt(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(String(v)) || !Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} must be a whole number of at least 1 (got ${JSON.stringify(v)}).`);
  return n;
}

function readKey(o: AddOptions): string | undefined {
  if ([o.hmacKeyFile, o.hmacKeyStdin, o.hmacKey].filter(Boolean).length > 1) throw new Error('Give the HMAC key one way: --hmac-key-file, --hmac-key-stdin or --hmac-key.');
  if (o.hmacKeyFile) return fs.readFileSync(o.hmacKeyFile, 'utf8').replace(/\r?\n$/, '');
  if (o.hmacKeyStdin) return fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (o.hmacKey) {
    process.stderr.write('warning: --hmac-key is visible in the process list and shell history; prefer --hmac-key-file or --hmac-key-stdin.\n');
    return o.hmacKey;
  }
  return undefined;
}

/** Flags → an admin-API body; fields not given keep the existing registration's values. */
async function addBody(s: IssuerServices, o: AddOptions): Promise<Record<string, unknown>> {
  const existing = await s.issuers.get(o.id);
  const body: Record<string, unknown> = existing ? { ...presentAdminIssuer({ ...existing, doctypes: await s.issuers.doctypes(o.id) }) } : { id: o.id };
  for (const k of ['connected', 'doctype_count', 'source', 'hmac_key_set', 'hmac_key_hint', 'created_at', 'updated_at']) delete body[k];
  if (Array.isArray(body.doctypes)) body.doctypes = (body.doctypes as Array<Record<string, unknown>>).map((d) => ({ ...d }));
  const set = (k: string, v: unknown) => v !== undefined && (body[k] = v);
  set('name', o.name);
  set('category', o.category);
  set('state', o.state);
  set('description', o.description);
  set('pull_uri_url', o.pullUriUrl);
  set('pull_doc_url', o.pullDocUrl);
  set('hmac_encoding', o.hmacEncoding);
  set('org_id', o.orgId);
  if (o.timeoutMs !== undefined) body.timeout_ms = Number(o.timeoutMs);
  set('hmac_key', readKey(o));
  if (o.doctype?.length) {
    body.doctypes = o.doctype.map((spec) => {
      const i = spec.indexOf(':');
      if (i < 1) throw new Error(`--doctype must be CODE:Name, got "${spec}"`);
      return { code: spec.slice(0, i), name: spec.slice(i + 1), parameters: [], profile_fields: [], formats: ['pdf'] };
    });
  }
  const doctypes = (body.doctypes ?? []) as Array<Record<string, unknown> & { parameters: unknown[] }>;
  const byCode = (code: string, flag: string) => {
    const d = doctypes.find((x) => x.code === code);
    if (!d) throw new Error(`${flag} names document type ${code}, which is not among the --doctype values`);
    return d;
  };
  for (const spec of o.param ?? []) {
    const [code, name, label, ...pattern] = spec.split(':');
    if (!code || !name || !label) throw new Error(`--param must be CODE:name:Label[:pattern], got "${spec}"`);
    byCode(code, '--param').parameters.push({ name, label, ...(pattern.length ? { pattern: pattern.join(':') } : {}) });
  }
  for (const spec of o.profile ?? []) {
    const [code, fields = ''] = spec.split(':');
    byCode(code!, '--profile').profile_fields = fields.split(',').filter(Boolean);
  }
  for (const spec of o.formats ?? []) {
    const [code, formats = ''] = spec.split(':');
    byCode(code!, '--formats').formats = formats.split(',').filter(Boolean);
  }
  return body;
}

export function registerIssuerCommands(program: Command): void {
  const issuers = program.command('issuers').description('The issuer registry: register, list, disable and import issuers (same rules as the admin API).');

  issuers
    .command('add')
    .description('Register an issuer or update one (fields not given keep their values); with endpoints and a key it is live at once.')
    .requiredOption('--id <id>', 'issuer id, e.g. in.gov.cbse')
    .option('--name <name>', 'display name')
    .option('--category <category>', `one of ${CATEGORIES.join(', ')}`)
    .option('--state <state>', 'state or union territory (state issuers)')
    .option('--description <text>', 'what it issues')
    .option('--pull-uri-url <url>', 'the issuer\'s Pull URI endpoint')
    .option('--pull-doc-url <url>', 'the issuer\'s Pull Doc endpoint')
    .option('--hmac-key-file <file>', 'file holding the HMAC (API) key the issuer verifies x-digilocker-hmac with')
    .option('--hmac-key-stdin', 'read the HMAC key from standard input')
    .option('--hmac-key <key>', 'the HMAC key itself (visible in the process list; prefer a file)')
    .option('--hmac-encoding <encoding>', 'base64-hex (default) or base64-raw')
    .option('--timeout-ms <ms>', 'per-call timeout for this issuer')
    .option('--org-id <orgId>', 'orgId the issuer gave this locker (default: the issuer id)')
    .option('--doctype <CODE:Name>', 'a document type (repeat); replaces the existing list', collect)
    .option('--param <CODE:name:Label[:pattern]>', 'a search parameter of a document type (repeat)', collect)
    .option('--profile <CODE:fields>', `verified profile fields sent for a type: ${PROFILE_FIELDS.join(',')}`, collect)
    .option('--formats <CODE:pdf,xml>', 'formats of a document type (default pdf)', collect)
    .action((o: AddOptions) =>
      withServices(async (s) => {
        const { created, issuer } = await registerIssuer(s, await addBody(s, o), 'admin');
        out(`${created ? 'created' : 'updated'} ${issuer.id}: ${issuer.name} (${issuer.connected ? 'connected' : 'not connected'}, ${issuer.doctypeCount} document type${issuer.doctypeCount === 1 ? '' : 's'}${issuer.hmacKeyHint ? `, key ${issuer.hmacKeyHint}` : ''})`);
      }),
    );

  issuers
    .command('list')
    .description('List issuers: connected first, then by name.')
    .option('--category <category>', 'only this category')
    .option('--q <words>', 'search names, ids, states and document types')
    .option('--connected', 'only connected issuers')
    .option('--all', 'include disabled issuers')
    .option('--page <n>', 'page number', '1')
    .option('--per-page <n>', 'rows per page (max 100)', '50')
    .option('--json', 'print JSON')
    .action((o: { category?: string; q?: string; connected?: boolean; all?: boolean; page: string; perPage: string; json?: boolean }) =>
      withServices(async (s) => {
        if (o.category && !(CATEGORIES as readonly string[]).includes(o.category)) throw new Error(`--category must be one of ${CATEGORIES.join(', ')}`);
        const page = await listIssuers(s, { ...(o.category ? { category: o.category as Category } : {}), ...(o.q ? { q: o.q } : {}), connectedOnly: Boolean(o.connected), includeDisabled: Boolean(o.all), page: positiveInt(o.page, '--page'), perPage: positiveInt(o.perPage, '--per-page') });
        if (o.json) return out(JSON.stringify({ items: page.items, page: page.page, per_page: page.perPage, total: page.total }, null, 2));
        out(['ID'.padEnd(34), 'STATUS'.padEnd(9), 'CONNECTED'.padEnd(10), 'CATEGORY'.padEnd(15), 'TYPES', 'NAME'].join(' '));
        for (const i of page.items) out([i.id.padEnd(34), i.status.padEnd(9), (i.connected ? 'yes' : 'no').padEnd(10), i.category.padEnd(15), String(i.doctypeCount).padStart(5), i.name].join(' '));
        const first = page.total === 0 ? 0 : (page.page - 1) * page.perPage + 1;
        out(`${first}-${Math.min(page.total, page.page * page.perPage)} of ${page.total}`);
      }),
    );

  issuers
    .command('show <id>')
    .description('One issuer with its document types and endpoints (the key is never shown, only a hint).')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withServices(async (s) => {
        const i = presentAdminIssuer(await getIssuer(s, id, { includeDisabled: true }));
        if (o.json) return out(JSON.stringify(i, null, 2));
        out(`${i.id}  ${i.name}\n  ${i.status}, ${i.connected ? 'connected' : 'not connected'}, ${i.category}, ${i.scope}${i.state ? ` (${i.state})` : ''}, source ${i.source}`);
        out(`  pull URI: ${i.pull_uri_url ?? '-'}\n  pull doc: ${i.pull_doc_url ?? '-'}\n  key: ${i.hmac_key_hint ?? '(none)'} ${i.hmac_encoding}`);
        for (const d of i.doctypes ?? []) out(`  ${d.code}  ${d.name}  [${d.formats.join(',')}]  ${d.parameters.map((p) => p.name).join(', ')}${d.profile_fields.length ? `  + profile ${d.profile_fields.join(',')}` : ''}`);
      }),
    );

  for (const [action, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    issuers
      .command(`${action} <id>`)
      .description(action === 'disable' ? 'Disable an issuer: hidden from the directory and no longer called (URIs citizens hold are kept).' : 'Enable a disabled issuer.')
      .action((id: string) =>
        withServices(async (s) => {
          await setIssuerStatus(s, id, status);
          out(`${id} ${status}`);
        }),
      );
  }

  issuers
    .command('import <file>')
    .description('Register many issuers from a JSON file (a list, or {"issuers": [...]}) in the admin API shape; all are checked before any is written.')
    .action((file: string) =>
      withServices(async (s) => {
        let data: unknown;
        const text = fs.readFileSync(file, 'utf8'); // a missing file is reported as such (cli/index.ts)
        try {
          data = JSON.parse(text);
        } catch (err) {
          throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
        }
        const r = await importIssuers(s, data, 'admin');
        out(`imported ${r.created.length + r.updated.length} issuers: ${r.created.length} created, ${r.updated.length} updated`);
      }),
    );

  issuers
    .command('seed')
    .description('Seed the public directory (1,493 issuers from API Setu) if it changed; `serve` does this at start.')
    .option('--force', 'rewrite directory entries even if the version is unchanged')
    .action((o: { force?: boolean }) =>
      withServices(async (s) => {
        const r = await seedIssuerDirectory(s, { force: Boolean(o.force) });
        out(r.changed ? `directory ${r.version}: ${r.inserted} added, ${r.updated} refreshed, ${r.skipped} left to their operators` : `directory ${r.version} is up to date`);
      }),
    );
}
