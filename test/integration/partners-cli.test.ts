/** `openlocker partners …` as real processes against a locker's database: add, list, approve, suspend, rotate-secret, revoke. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { runCli } from '../support/cli.ts';

describe('openlocker partners', () => {
  let t: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    env = { NODE_ENV: 'test', DATA_DIR: t.dataDir, DATABASE_URL: t.sql.url, MASTER_KEY: t.blob.masterBytes.toString('hex'), BLOB_URL: t.blob.blobUrl, LOG_LEVEL: 'silent', SANDBOX: 'false' };
  });
  afterAll(() => t?.close());

  it('adds a partner (secret once), lists it, suspends, approves, rotates and revokes it', async () => {
    const add = await runCli(['partners', 'add', '--name', 'CLI Bank', '--type', 'bank', '--redirect-uri', 'https://cli.example/cb', '--scope', 'userdetails', '--scope', 'partners.PANCR', '--purpose', 'Savings account KYC'], env);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toBe('');
    const id = /client_id:\s+(\S+)/.exec(add.stdout)![1]!;
    const secret = /client_secret:\s+(\S+)/.exec(add.stdout)![1]!;
    const list = await runCli(['partners', 'list'], env);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+approved`, 'm'));
    expect(list.stdout.split('\n')[0]).toMatch(/^CLIENT ID\s+STATUS\s+TYPE\s+NAME/);
    expect(list.stdout).not.toContain(secret);
    const json = JSON.parse((await runCli(['partners', 'list', '--json', '--status', 'approved'], env)).stdout) as Array<{ client_id: string; secret_set: boolean }>;
    expect(json.find((p) => p.client_id === id)).toMatchObject({ secret_set: true });
    expect((await runCli(['partners', 'suspend', id, '--reason', 'audit'], env)).stdout).toContain(`${id} suspended`);
    const approve = await runCli(['partners', 'approve', id], env);
    expect(approve.stdout).toContain(`${id} approved`);
    expect(approve.stdout).not.toContain('client_secret');
    const rot = await runCli(['partners', 'rotate-secret', id], env);
    expect(/client_secret:\s+(\S+)/.exec(rot.stdout)![1]).not.toBe(secret);
    expect((await runCli(['partners', 'revoke', id], env)).stdout).toContain(`${id} revoked`);
    const again = await runCli(['partners', 'approve', id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('revoked');
  }, 120_000);

  it('refuses bad input with one clear line', async () => {
    const bad = await runCli(['partners', 'add', '--name', 'X Bank', '--type', 'casino', '--redirect-uri', 'https://x.example/cb', '--scope', 'userdetails', '--purpose', 'Savings account KYC'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('type');
  }, 60_000);
});
