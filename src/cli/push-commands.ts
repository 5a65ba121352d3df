/**
 * `openlocker push …`: mass issuance by an operator on behalf of an issuer, on the database
 * in DATABASE_URL, and issuers' push credentials.
 *
 *   push import FILE.csv --issuer ID     stream a CSV of URIs into citizens' lockers (progress bar)
 *   push credential ID                   create or replace the issuer's push clientid + secret (shown once)
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, processEnv } from '../config/index.ts';
import { closeDeps, openDeps } from '../deps.ts';
import { importPushCsv } from '../domain/issued/import-push-csv.ts';
import { setPushCredential } from '../domain/issued/push-uri.ts';
import { issuedServices } from '../wiring/issued.ts';
import { cliProgressBars } from './progress.ts';

const out = (s: string): void => void process.stdout.write(s.endsWith('\n') ? s : s + '\n');

/** The size of a readable regular file, or an error that says what is wrong with the path. */
function fileSize(file: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `There is no file ${file}.` : code === 'EACCES' ? `${file} cannot be read (permission denied).` : `${file} cannot be read (${code ?? (err as Error).message}).`);
  }
  if (!st.isFile()) throw new Error(`${file} is not a file: give the path of a CSV file.`);
  return st.size;
}

export function registerPushCommands(program: Command): void {
  const push = program.command('push').description('Push documents into citizens’ lockers for an issuer (mass issuance) and manage push credentials.');

  push
    .command('import <file>')
    .description('Stream a CSV (columns: uri, digilockerid or mobile, optional docname, issuedate, action A/U/D) into lockers, in batches of 1,000 rows.')
    .requiredOption('--issuer <id>', 'the issuer pushing (URIs must be in its namespace)')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, o: { issuer: string; json?: boolean }) => {
      const size = fileSize(file);
      const { config } = loadConfig(processEnv());
      const deps = await openDeps(config);
      try {
        const services = issuedServices(deps);
        const issuer = await services.issuers.get(o.issuer);
        if (!issuer) throw new Error(`No issuer ${o.issuer} is registered (see openlocker issuers list).`);
        const bar = cliProgressBars().phase('push import', size, 'bytes');
        const started = performance.now();
        let sum;
        try {
          sum = await importPushCsv(services, { issuerId: issuer.id, issuerName: issuer.name }, fs.createReadStream(file), (_rows, bytes) => bar.tick(bytes));
        } finally {
          // Also on a failure: a running bar's timer would keep the process alive for ever.
          bar.done();
        }
        const seconds = (performance.now() - started) / 1000;
        if (o.json) out(JSON.stringify({ ...sum, seconds: Number(seconds.toFixed(2)) }));
        else {
          out(`${sum.rows} rows: ${sum.written} written, ${sum.deleted} deleted, ${sum.rejected} rejected, in ${seconds.toFixed(1)} s (${Math.round(sum.rows / Math.max(seconds, 0.001))} rows/s).`);
          for (const r of sum.firstRejections.slice(0, 20)) out(`  row ${r.row}: ${r.error} ${r.uri}`);
        }
        if (sum.rejected) process.exitCode = 2;
      } finally {
        await closeDeps(deps);
      }
    });

  push
    .command('credential <issuerId>')
    .description('Create (or replace) the push clientid and secret the issuer signs account/1/pushuri with; the secret is shown only now.')
    .action(async (issuerId: string) => {
      const { config } = loadConfig(processEnv());
      const deps = await openDeps(config);
      try {
        const c = await setPushCredential(issuedServices(deps), issuerId);
        out(`clientid: ${c.clientId}\nsecret:   ${c.clientSecret}\n(the secret is not shown again; hmac = hex SHA-256 of secret + clientid + ts)`);
      } finally {
        await closeDeps(deps);
      }
    });
}
