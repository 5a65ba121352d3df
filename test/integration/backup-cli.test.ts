/**
 * `openlocker backup`, `backup --verify` and `restore` as an operator runs them: real child
 * processes, progress bars readable in a log (no terminal control codes), one summary,
 * exit codes that scripts can trust, and one clear message (never a stack trace) on refusal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, serve } from '../support/cli.ts';
import { closeDeps, dumpTables, makeLocker, populate, rawBlobBytes, type TestLocker } from '../support/locker.ts';

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
});

function noStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('openlocker backup / restore (child processes)', () => {
  let source: TestLocker;
  let work: string;
  let n: number;
  let tables: number;
  beforeAll(async () => {
    source = makeLocker('sqlite', 'fs', undefined);
    cleanup.push(() => source.dispose());
    const deps = await source.open();
    await populate(deps, 8);
    await closeDeps(deps);
    n = (await rawBlobBytes(source.openRaw())).size;
    // Every table, whichever modules created it (plus kysely_migration_lock, which dumpTables leaves out).
    const store = await source.openSql();
    tables = Object.keys(await dumpTables(store)).length + 1;
    await store.close();
    work = fs.mkdtempSync(path.join(path.dirname(source.dataDir), 'ol-cli-backup-'));
    cleanup.push(async () => fs.rmSync(work, { recursive: true, force: true }));
  }, 120_000);

  it('backup DIR: progress bars on stderr (plain lines off a terminal), a summary on stdout, exit 0', async () => {
    const dir = path.join(work, 'b1');
    const r = await runCli(['backup', dir], source.env, 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Backup complete: .*b1\n/);
    expect(r.stdout).toMatch(new RegExp(`database: +sqlite:.*: ${tables} tables, \\d+ rows \\(SQLite online backup\\)`));
    expect(r.stdout).toMatch(new RegExp(`blobs: +${n} \\(.* encrypted, .* plain\\), each checked against its key`));
    expect(r.stdout).toMatch(/key files: +admin\.token, master\.key/);
    expect(r.stdout).toMatch(/written: +.* in .* \(.*\/s\)/);
    expect(r.stderr).toMatch(new RegExp(`^database +\\[=+\\] 100% \\| ${tables}/${tables} tables`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^blobs +\\[=+\\] 100% \\| ${n}/${n} blobs \\| .*KiB$`, 'm'));
    expect(r.stderr).toMatch(/^key files +\[=+\] 100% \| 2\/2 files/m);
    expect(r.stderr).not.toContain('\x1b[');
    expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(true);

    const v = await runCli(['backup', '--verify', dir], source.env, 60_000);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('blob contents: decrypted and matched against their keys');
    expect(v.stdout).toContain('signature:     valid');
    expect(v.stdout).toMatch(/OK: the backup is intact\.\n$/);
  }, 120_000);

  it('backup --verify on a damaged backup lists the problem and exits 1', async () => {
    const dir = path.join(work, 'b2');
    expect((await runCli(['backup', dir], source.env, 60_000)).code).toBe(0);
    const admin = path.join(dir, 'files', 'admin.token');
    fs.writeFileSync(admin, 'olat_forged\n');
    const v = await runCli(['backup', '--verify', dir], {}, 60_000);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('1 problem:\n  - files/admin.token: SHA-256 mismatch (tampered or damaged).');
    noStackTrace(v.stdout + v.stderr);
  }, 120_000);

  it('restore DIR into an empty locker, then refuses the same (now non-empty) locker with one clear message', async () => {
    const dir = path.join(work, 'b3');
    expect((await runCli(['backup', dir], source.env, 60_000)).code).toBe(0);
    const target = makeLocker('sqlite', 'fs', undefined);
    cleanup.push(() => target.dispose());
    const r = await runCli(['restore', dir], target.env, 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Restored .*b3 \(made .*\)\n/);
    expect(r.stdout).toMatch(new RegExp(`database: +sqlite:.*: ${tables} tables, \\d+ rows \\(SQLite snapshot file copied into place\\)`));
    expect(r.stdout).toMatch(new RegExp(`blobs: +${n} \\(.*\\) into file:`));
    expect(r.stderr).toMatch(new RegExp(`^blobs +\\[=+\\] 100% \\| ${n}/${n} blobs`, 'm'));
    const a = await source.openSql();
    const b = await target.openSql();
    try {
      expect(await dumpTables(b)).toEqual(await dumpTables(a));
    } finally {
      await a.close();
      await b.close();
    }

    const again = await runCli(['restore', dir], target.env, 60_000);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n').at(-1)).toMatch(/^The target locker is not empty: .* pass --force to ERASE the target's data first\.$/);
    noStackTrace(again.stderr);
  }, 120_000);

  it('refuses to restore under a running locker, even with --force (SQLite and PostgreSQL), and restores once it has stopped', async () => {
    const dir = path.join(work, 'b-serving');
    expect((await runCli(['backup', dir], source.env, 60_000)).code).toBe(0);
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const target = makeLocker(dialect, 'fs', undefined);
      cleanup.push(() => target.dispose());
      const server = await serve(target.env);
      try {
        const r = await runCli(['restore', '--force', dir], target.env, 60_000);
        expect(r.code, `${dialect}: ${r.stdout}${r.stderr}`).toBe(1);
        expect(r.stderr, dialect).toMatch(/A locker is serving from the target database right now \(.+\)\. Stop it first/);
        noStackTrace(r.stderr);
      } finally {
        await server.stop();
      }
      // Stopped (cleanly or not): the way is clear.
      const r = await runCli(['restore', '--force', dir], target.env, 60_000);
      expect(r.code, `${dialect}: ${r.stderr}`).toBe(0);
    }
    // A server killed with -9 leaves a stale marker (its process is gone): it does not block a restore.
    const killed = makeLocker('sqlite', 'fs', undefined);
    cleanup.push(() => killed.dispose());
    const s2 = await serve(killed.env);
    await s2.stop('SIGKILL');
    expect(fs.existsSync(`${path.join(killed.dataDir, 'openlocker.db')}.serving`)).toBe(true);
    expect((await runCli(['restore', '--force', dir], killed.env, 60_000)).code).toBe(0);
  }, 240_000);

  it('clear refusals: no backup there, a data dir without a locker, a non-empty destination', async () => {
    const quick = await runCli(['backup', '--quick', path.join(work, 'b-quick')], source.env, 60_000);
    expect([quick.code, quick.stderr.trim().split('\n').at(-1)]).toEqual([1, 'openlocker: --quick only goes with --verify (a backup is always complete).']);
    const missing = await runCli(['backup', '--verify', path.join(work, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`${path.join(work, 'nope')} does not exist.`);

    const empty = fs.mkdtempSync(path.join(work, 'empty-'));
    const noLocker = await runCli(['backup', path.join(work, 'b4')], { DATA_DIR: empty, NODE_ENV: 'test' });
    expect(noLocker.code).toBe(1);
    expect(noLocker.stderr.trim()).toMatch(/^There is no master key: MASTER_KEY is unset and .*master\.key does not exist\./);
    expect(fs.existsSync(path.join(work, 'b4'))).toBe(false);

    const busy = fs.mkdtempSync(path.join(work, 'busy-'));
    fs.writeFileSync(path.join(busy, 'x'), 'x');
    const r = await runCli(['backup', busy], source.env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`${busy} is not empty. Back up into a new or empty directory.`);
    for (const x of [missing, noLocker, r]) noStackTrace(x.stderr);
  }, 120_000);

  it('--help on backup and restore', async () => {
    const b = await runCli(['backup', '--help']);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/^Usage: openlocker backup \[options\] <dir>/);
    expect(b.stdout).toContain('--verify');
    expect(b.stdout).toContain('--quick');
    const r = await runCli(['restore', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: openlocker restore \[options\] <dir>/);
    expect(r.stdout).toContain('--force');
    expect(r.stdout).toContain('ERASES');
  }, 120_000);
});
