import type { Command } from 'commander';
import { loadConfig, processEnv, SETTINGS } from '../config/index.ts';
import { installSignalHandlers, startServer } from '../main.ts';
import { migrateToLatest, openSqlStore } from '../storage/sql/database.ts';
import { startHooks } from './start-hooks.ts';

export function registerCoreCommands(program: Command): void {
  program
    .command('serve')
    .description('Start the locker (migrates the database first). With --dev: readable logs, and the sandbox issuers and demo data when SANDBOX is on.')
    .option('--dev', 'development conveniences (pretty logs, sandbox, demo data)')
    .action(async (opts: { dev?: boolean }) => {
      const running = await startServer(processEnv(), { pretty: Boolean(opts.dev), hooks: startHooks({ dev: Boolean(opts.dev) }) });
      installSignalHandlers(running);
    });

  program
    .command('migrate')
    .description('Bring the database schema to the latest version and exit.')
    .action(async () => {
      const { config } = loadConfig(processEnv());
      const store = await openSqlStore(config.databaseUrl);
      try {
        const result = await migrateToLatest(store);
        const applied = result.results ?? [];
        process.stdout.write(applied.length ? applied.map((r) => `applied ${r.migrationName}`).join('\n') + '\n' : 'database is up to date\n');
        process.stdout.write(`database: ${store.describe}\n`);
      } finally {
        await store.close();
      }
    });

  program
    .command('config')
    .description('List every setting with its default, or check the current environment with --check.')
    .option('--check', 'validate the current environment and print the effective settings (secrets hidden)')
    .option('--markdown', 'print the settings table as Markdown (for the README)')
    .action((opts: { check?: boolean; markdown?: boolean }) => {
      if (opts.check) {
        const { config, warnings } = loadConfig(processEnv());
        for (const w of warnings) process.stdout.write(`warning: ${w}\n`);
        process.stdout.write(`ok: listening on ${config.host}:${config.port}, public URL ${config.publicUrl}\n`);
        process.stdout.write(`database: ${config.databaseUrl.display}\nblobs: ${config.blobUrl.display}\n`);
        return;
      }
      const rows = Object.values(SETTINGS).map((s) => [`\`${s.env}\``, s.defaultDoc ? `\`${s.defaultDoc}\`` : '', s.doc]);
      if (opts.markdown) {
        process.stdout.write('| Setting | Default | Meaning |\n|---|---|---|\n' + rows.map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n');
      } else {
        // Columns as wide as their longest entry (ISSUER_BREAKER_COOLDOWN_SECONDS is 31 characters).
        const plain = rows.map(([env, def, doc]) => [env!.replace(/`/g, ''), def!.replace(/`/g, ''), doc] as const);
        const w0 = Math.max(...plain.map((r) => r[0].length));
        const w1 = Math.min(30, Math.max(...plain.map((r) => r[1].length)));
        for (const [env, def, doc] of plain) process.stdout.write(`${env.padEnd(w0)}  ${def.padEnd(w1)}  ${doc}\n`);
      }
    });
}
