/**
 * `openlocker backup DIR`, `openlocker backup --verify DIR` and `openlocker restore DIR`
 * (the work is in storage/backup/). Progress bars go to stderr, the summary to stdout;
 * an expected failure is one clear message and exit code 1.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, processEnv } from '../config/index.ts';
import { createBackup } from '../storage/backup/create-backup.ts';
import { BackupError } from '../storage/backup/format.ts';
import { restoreBackup } from '../storage/backup/restore-backup.ts';
import { verifyBackup } from '../storage/backup/verify-backup.ts';
import { formatBytes, formatDuration, table } from './format.ts';
import { cliProgressBars } from './progress.ts';

async function clearly(work: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  }
}

const rate = (bytes: number, ms: number) => `${formatBytes(Math.round(bytes / Math.max(ms / 1000, 0.001)))}/s`;

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Write a consistent online snapshot of the whole locker (database, blobs, DATA_DIR key files) into DIR, ' +
        'with a manifest of SHA-256 hashes. Safe while the locker is serving. With --verify, check an existing backup instead.',
    )
    .argument('<dir>', 'a new or empty directory (or, with --verify, a backup)')
    .option('--verify', 'check the backup in DIR: every hash, every blob decrypted against its key, the database snapshot; exit 1 on any problem')
    .option('--quick', 'with --verify: hashes only (skip decrypting blobs and opening the database snapshot)')
    .action((dir: string, opts: { verify?: boolean; quick?: boolean }) =>
      clearly(async () => {
        const { config } = loadConfig(processEnv());
        if (opts.quick && !opts.verify) throw new Error('--quick only goes with --verify (a backup is always complete).');
        const progress = cliProgressBars();
        if (opts.verify) {
          const r = await verifyBackup(dir, { deep: !opts.quick, progress, ...(config.masterKey ? { masterKey: config.masterKey } : {}) });
          const m = r.manifest;
          let out = `Backup ${path.resolve(dir)}\n`;
          out += table([
            ['made', `${m.createdAt} from ${m.source.database} + ${m.source.blobStore}`],
            ['contents', `${m.counts.tables} tables, ${m.counts.rows} rows, ${m.counts.blobs} blobs (${formatBytes(m.blobs.bytes)}), ${m.counts.files} key files`],
            ['files checked', `${r.filesChecked} (${formatBytes(r.bytesChecked)}) in ${formatDuration(r.ms)}`],
            ['blob contents', r.deepChecked ? (r.problems.length ? 'decrypted and checked against their keys (see the problems below)' : 'decrypted and matched against their keys') : opts.quick ? 'not decrypted (--quick)' : 'not decrypted: the master key is not available (set MASTER_KEY)'],
            ['signature', r.signature === 'valid' ? 'valid' : r.signature === 'invalid' ? 'INVALID' : 'not checked (no master key)'],
          ]);
          if (r.problems.length === 0) {
            process.stdout.write(`${out}OK: the backup is intact.\n`);
            return 0;
          }
          process.stdout.write(`${out}${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}:\n${r.problems.map((p) => `  - ${p}`).join('\n')}\n`);
          return 1;
        }
        const r = await createBackup({ config, dir, progress });
        const m = r.manifest;
        let out = `Backup complete: ${r.dir}\n`;
        out += table([
          ['database', `${m.source.database}: ${m.counts.tables} tables, ${m.counts.rows} rows (${m.database.format === 'sqlite-file' ? 'SQLite online backup' : 'PostgreSQL REPEATABLE READ snapshot'})`],
          ['blobs', `${m.blobs.count} (${formatBytes(m.blobs.bytes)} encrypted, ${formatBytes(m.blobs.plainBytes)} plain), each checked against its key`],
          ['key files', m.files.length ? m.files.map((f) => f.path.replace(/^files\//, '')).join(', ') : 'none'],
          ['master key', m.masterKey.source === 'file' ? 'in the backup (files/master.key): keep the backup as secret as the locker' : 'from MASTER_KEY: NOT in the backup, keep it safe'],
          ['written', `${formatBytes(r.bytes)} in ${formatDuration(r.ms)} (${rate(r.bytes, r.ms)})`],
          ['manifest', `${path.join(r.dir, 'manifest.json')} (${m.checksums.entries} files in SHA256SUMS)`],
        ]);
        process.stdout.write(out);
        for (const w of m.warnings) process.stderr.write(`warning: ${w}\n`);
        if (m.blobs.missing.length || m.blobs.corrupt.length) {
          process.stderr.write('The backup was written but is INCOMPLETE: see the warnings above.\n');
          return 1;
        }
        return 0;
      }),
    );

  program
    .command('restore')
    .description(
      'Restore the backup in DIR into this locker (DATA_DIR, DATABASE_URL, BLOB_URL), which must be empty. ' +
        'Stop the locker first. Checks every hash and the master key before touching anything.',
    )
    .argument('<dir>', 'a backup written by `openlocker backup`')
    .option('--force', 'restore even if the target has data: ERASES its database rows and blobs first')
    .action((dir: string, opts: { force?: boolean }) =>
      clearly(async () => {
        const { config } = loadConfig(processEnv());
        const r = await restoreBackup({ config, dir, force: Boolean(opts.force), progress: cliProgressBars() });
        let out = `Restored ${path.resolve(dir)} (made ${r.manifest.createdAt})\n`;
        out += table([
          ['database', `${config.databaseUrl.display}: ${r.tables} tables, ${r.rows} rows (${r.method})`],
          ['blobs', `${r.blobs} (${formatBytes(r.blobBytes)}) into ${config.blobUrl.display}`],
          ['key files', r.files.length ? r.files.join(', ') : 'none'],
          ['took', `${formatDuration(r.ms)} (blobs at ${rate(r.blobBytes, r.ms)}, the database included in the time)`],
        ]);
        process.stdout.write(out);
        for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
        return 0;
      }),
    );
}
