/**
 * Start-up as an operator sees it: the real command in a child process. Good settings serve
 * and pass /readyz on SQLite and on PostgreSQL; bad settings stop with one clear message.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, serve } from '../support/cli.ts';
import { TEST_PG_URL } from '../support/services.ts';
import { dropSchema } from '../support/sql.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ol-start-'));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function noStackTrace(text: string) {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('openlocker serve', () => {
  it('serves on SQLite with the key file created 0600 and /readyz = 200', async () => {
    const dataDir = tmp();
    dirs.push(dataDir);
    const s = await serve({ DATA_DIR: dataDir, SANDBOX: 'false' });
    try {
      const r = await fetch(`${s.url}/readyz`);
      expect(r.status).toBe(200);
      expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
      expect(fs.existsSync(path.join(dataDir, 'openlocker.db'))).toBe(true);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('serves on PostgreSQL (DATABASE_URL=postgres://…) with /readyz = 200', async () => {
    const dataDir = tmp();
    dirs.push(dataDir);
    const schema = `t_${crypto.randomBytes(5).toString('hex')}`;
    const s = await serve({ DATA_DIR: dataDir, SANDBOX: 'false', DATABASE_URL: `${TEST_PG_URL}?schema=${schema}` });
    try {
      const r = await fetch(`${s.url}/readyz`);
      expect(r.status).toBe(200);
      expect(s.logs()).toContain('database postgres://127.0.0.1:5432/test');
    } finally {
      await s.stop();
      await dropSchema(schema);
    }
  });

  it('PORT=abc stops start-up with one clear message and no stack trace', async () => {
    const r = await runCli(['serve'], { PORT: 'abc', DATA_DIR: tmp() });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('OpenLocker cannot start: 1 setting is wrong:\n  - PORT must be a whole number, got "abc"');
  });

  it('reports every bad setting at once', async () => {
    const r = await runCli(['serve'], { PORT: 'abc', BLOB_URL: 'ftp://x', LOG_LEVEL: 'chatty', DATA_DIR: tmp() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('3 settings are wrong');
    noStackTrace(r.stderr);
  });

  it('an unreachable DATABASE_URL stops start-up with one clear message', async () => {
    const r = await runCli(['serve'], { DATABASE_URL: 'postgres://127.0.0.1:1/nowhere', DATA_DIR: tmp() });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('Cannot open the database postgres://127.0.0.1:1/nowhere: the connection was refused (is the server running and listening there?).');
    noStackTrace(r.stderr);
  });

  it('a port in use is explained', async () => {
    const dataDir = tmp();
    dirs.push(dataDir);
    const s = await serve({ DATA_DIR: dataDir, SANDBOX: 'false' });
    try {
      const port = new URL(s.url).port;
      const r = await runCli(['serve'], { PORT: port, HOST: '127.0.0.1', DATA_DIR: tmp(), SANDBOX: 'false' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Port ${port} is already in use`);
      noStackTrace(r.stderr);
    } finally {
      await s.stop();
    }
  });
});

describe('openlocker migrate, config and --help', () => {
  it('migrate brings a fresh database up to date, then says so', async () => {
    const dataDir = tmp();
    dirs.push(dataDir);
    const first = await runCli(['migrate'], { DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('applied 0001-foundation');
    const again = await runCli(['migrate'], { DATA_DIR: dataDir });
    expect(again.stdout).toContain('database is up to date');
  });

  it('every command has --help', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    const commands = [...top.stdout.matchAll(/^\s{2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['serve', 'migrate', 'config']));
    for (const c of commands) {
      const r = await runCli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toMatch(/^Usage: openlocker/);
    }
    // One process per command group (each 2–5 s on a busy machine), and groups keep being added.
  }, 180_000);

  it('config lists every setting', async () => {
    const r = await runCli(['config', '--markdown']);
    for (const s of ['PORT', 'HOST', 'PUBLIC_URL', 'DATA_DIR', 'DATABASE_URL', 'BLOB_URL', 'MASTER_KEY', 'REDIS_URL', 'LOG_LEVEL', 'TLS_CERT', 'TLS_KEY', 'NODE_ENV']) {
      expect(r.stdout).toContain(`\`${s}\``);
    }
  });
});
