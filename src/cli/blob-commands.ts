/**
 * `openlocker blobs gc [--dry-run] [--include-untracked]`: one garbage-collection sweep,
 * safe while the locker is serving (see storage/sql/repositories/blob-gc.ts).
 */
import type { Command } from 'commander';
import { loadConfig, processEnv } from '../config/index.ts';
import { closeDeps, openDeps } from '../deps.ts';
import type { GcReport } from '../domain/blobs/ports.ts';
import { formatBytes, formatDuration, table } from './format.ts';

export function registerBlobCommands(program: Command): void {
  const blobs = program.command('blobs').description('Blob storage maintenance.');
  blobs
    .command('gc')
    .description(
      'Delete blobs no reference has pointed at for BLOB_GC_GRACE_SECONDS, and temporary writes abandoned by crashes. ' +
        'Safe while the locker is serving; paused while a backup runs.',
    )
    .option('--dry-run', 'report what would be deleted, delete nothing')
    .option('--include-untracked', 'also delete blobs that were never referenced (crash leftovers), a grace period after they were first seen')
    .action(async (opts: { dryRun?: boolean; includeUntracked?: boolean }) => {
      const { config } = loadConfig(processEnv());
      const deps = await openDeps(config);
      try {
        const started = Date.now();
        const report = await deps.blobRefs.collectGarbage(deps.clock.now(), { dryRun: Boolean(opts.dryRun), includeUntracked: Boolean(opts.includeUntracked) });
        process.stdout.write(describeGcReport(report, { database: deps.sql.describe, blobs: deps.blobs.describe, graceSeconds: config.blobGcGraceSeconds, ms: Date.now() - started, includeUntracked: Boolean(opts.includeUntracked) }));
      } finally {
        await closeDeps(deps);
      }
    });
}

export function describeGcReport(r: GcReport, ctx: { database: string; blobs: string; graceSeconds: number; ms: number; includeUntracked: boolean }): string {
  const verb = r.dryRun ? 'would delete' : 'deleted';
  let out = `Blob garbage collection${r.dryRun ? ' (dry run: nothing deleted)' : ''}\n  database ${ctx.database}\n  blobs    ${ctx.blobs}\n`;
  out += table([
    ['stored blobs', String(r.storedBlobs)],
    ['in grace period', `${r.inGracePeriod} (unreferenced for less than ${formatDuration(ctx.graceSeconds * 1000)})`],
    [verb, `${r.deleted} blob${r.deleted === 1 ? '' : 's'} (${formatBytes(r.deletedBytes)})`],
    ['already missing', String(r.alreadyMissing)],
    ['newly seen untracked', `${r.newlyUntracked}${ctx.includeUntracked ? '' : ' (never referenced; kept unless --include-untracked)'}`],
    ['temp writes removed', String(r.tempRemoved)],
    ['took', formatDuration(ctx.ms)],
  ]);
  if (r.heldBy.length) out += `Deletion is paused while a backup runs (${r.heldBy.join('; ')}). Run again when it has finished.\n`;
  return out;
}
