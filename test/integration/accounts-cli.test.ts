/** The operator's account commands, run as real `openlocker` processes against a locker's database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { runCli } from '../support/cli.ts';

describe('openlocker accounts / activity', () => {
  let t: TestApp;
  let c: TestCitizen;
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    c = await signUpCitizen(t.app, t.deps);
    env = { NODE_ENV: 'test', DATA_DIR: t.dataDir, DATABASE_URL: t.sql.url, MASTER_KEY: t.blob.masterBytes.toString('hex'), BLOB_URL: t.blob.blobUrl, LOG_LEVEL: 'silent', SANDBOX: 'false' };
  });
  afterAll(() => t?.close());

  it('shows an account by mobile or id, with the number masked', async () => {
    const byMobile = await runCli(['accounts', 'show', c.mobile.slice(3)], env);
    expect(byMobile.code, byMobile.stderr).toBe(0);
    expect(byMobile.stdout).toContain(`account:   ${c.accountId}`);
    expect(byMobile.stdout).toContain(`+91 ******${c.mobile.slice(-4)}`);
    expect(byMobile.stdout).not.toContain(c.mobile.slice(3));
    expect(byMobile.stdout).toContain('sessions:  1 signed in');
    const byId = await runCli(['accounts', 'show', c.accountId], env);
    expect(byId.stdout).toContain(c.accountId);
    const missing = await runCli(['accounts', 'show', '9000000000'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no locker for 9000000000');
  });

  it('ends every session and unlocks, writing both to the citizen’s activity', async () => {
    const ended = await runCli(['accounts', 'end-sessions', c.accountId], env);
    expect(ended.stdout).toContain('ended 1 session(s)');
    const me = await t.app.inject({ url: '/api/v1/me', headers: c.headers });
    expect(me.json()).toMatchObject({ error: 'session_expired', reason: 'ended_by_operator' });
    expect((await runCli(['accounts', 'unlock', c.mobile], env)).stdout).toContain(`unlocked ${c.accountId}`);
    const log = await t.deps.activity.list(c.accountId);
    expect(log.items.slice(0, 2).map((e) => [e.type, e.actor.kind])).toEqual([
      ['unlocked_by_operator', 'admin'],
      ['sessions_ended_by_operator', 'admin'],
    ]);
  });

  it('verifies activity chains and exits 1 when one is broken', async () => {
    const ok = await runCli(['activity', 'verify'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/chain\(s\) checked, 0 broken/);
    await t.deps.sql.db.updateTable('activity_events').set({ type: 'signed_out' }).where('account_id', '=', c.accountId).where('seq', '=', 1).execute();
    const bad = await runCli(['activity', 'verify', c.accountId], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`${c.accountId}: BROKEN at entry 1 (hash_mismatch)`);
  });

  it('runs the housekeeping sweep', async () => {
    const r = await runCli(['accounts', 'sweep'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sessions ended:');
  });
});
