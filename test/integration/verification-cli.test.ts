/**
 * The CLI twins, as an operator runs them: `openlocker sandbox issue` writes a signed
 * sample; `openlocker verify` answers with exit codes (0 valid, 2 tampered/revoked/
 * unknown, 3 undetermined); `keys rotate|revoke|log`; and offline verification against a
 * saved or fetched key log — undetermined when it is unreachable or its chain is broken.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { flipByte, tmpDir } from '../support/verification.ts';

// Each command is a fresh process (2–5 s on a busy 2-core machine): generous timeouts.
describe('openlocker keys / verify / sandbox issue', { timeout: 240_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env, 60_000);

  beforeAll(() => {
    dir = tmpDir('ol-cli-');
    env = { DATA_DIR: path.join(dir, 'data'), NODE_ENV: 'test', LOG_LEVEL: 'silent', MASTER_KEY: 'a'.repeat(64) };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('issues a sample of a sandbox document type and verifies it (PDF, QR PNG, XML, QR text)', async () => {
    const pdf = path.join(dir, 'dl.pdf');
    const issued = await cli('sandbox', 'issue', '--issuer', 'in.gov.transport', '--doctype', 'DRVLC', '--out', pdf, '--qr-png', path.join(dir, 'dl.png'), '--xml', path.join(dir, 'dl.xml'), '--seed', 'cli');
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stdout).toContain('in.gov.transport-DRVLC-');
    const v = await cli('verify', pdf);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('status: valid');
    expect(v.stdout).toContain('[passed] pdf_digest');
    for (const f of ['dl.png', 'dl.xml']) {
      const r = await cli('verify', path.join(dir, f), '--json');
      const answer = JSON.parse(r.stdout);
      expect(answer.status, f).toBe('valid');
      // The API's shape: no translation keys in the checks.
      for (const c of answer.checks) expect(Object.keys(c).sort(), f).toEqual(['detail', 'id', 'result']);
    }
    fs.writeFileSync(path.join(dir, 'flipped.pdf'), flipByte(fs.readFileSync(pdf), 1200));
    const bad = await cli('verify', path.join(dir, 'flipped.pdf'));
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('status: tampered');
  });

  it('offline against a saved key log; undetermined (exit 3) when the log is unreachable or its chain broken', async () => {
    const pdf = path.join(dir, 'dl.pdf');
    const log = await cli('keys', 'log');
    expect(log.code, log.stderr).toBe(0);
    expect(log.stderr).toMatch(/key log: \d+ entries, head [0-9a-f]{64}/);
    const logFile = path.join(dir, 'keys.jsonl');
    fs.writeFileSync(logFile, log.stdout);
    const offline = await runCli(['verify', pdf, '--key-log', logFile], { PATH: process.env.PATH ?? '' });
    expect(offline.code, offline.stderr).toBe(0);
    const lines = log.stdout.trim().split('\n');
    fs.writeFileSync(path.join(dir, 'forged.jsonl'), [lines[0]!.replace('"sandbox"', '"someone"'), ...lines.slice(1)].join('\n'));
    const broken = await runCli(['verify', pdf, '--key-log', path.join(dir, 'forged.jsonl')], {});
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain('status: undetermined');
    const down = await runCli(['verify', pdf, '--key-log', 'http://127.0.0.1:9/keys/log'], {});
    expect(down.code).toBe(3);
    expect(down.stdout).toContain('status: undetermined');
  });

  it('keys rotate keeps old documents valid; keys revoke makes them revoked (exit 2)', async () => {
    const old = path.join(dir, 'pan.pdf');
    expect((await cli('sandbox', 'issue', '--issuer', 'in.gov.pan', '--doctype', 'PANCR', '--out', old)).code).toBe(0);
    const rot = await cli('keys', 'rotate', 'in.gov.pan');
    expect(rot.code, rot.stderr).toBe(0);
    expect(rot.stdout).toMatch(/rotated in\.gov\.pan: retired \S+, \S+; new \S+, \S+/);
    expect((await cli('verify', old)).code).toBe(0);
    const list = await cli('keys', 'list', 'in.gov.pan');
    const retiredX509 = list.stdout.split('\n').find((l) => l.includes('\tx509\t') && l.includes('\tretired\t'))!.split('\t')[1]!;
    const rev = await cli('keys', 'revoke', retiredX509, '--reason', 'key compromise');
    expect(rev.code, rev.stderr).toBe(0);
    const v = await cli('verify', old);
    expect(v.code).toBe(2);
    expect(v.stdout).toContain('status: revoked');
    expect((await cli('keys', 'list', 'in.gov.pan')).stdout).toContain('revoked');
    // A key id may start with "-" (base64url): it is still the id, not an option.
    const dash = await cli('keys', 'revoke', '-z9H7vZm53J5k4dO', '--reason', 'key compromise');
    expect(dash.stderr).toContain('No issuer key has the id -z9H7vZm53J5k4dO.');
    expect(dash.stderr).not.toContain('unknown option');
  });

  it('refuses unknown sandbox document types and missing files with one clear line', async () => {
    const r = await cli('sandbox', 'issue', '--issuer', 'in.gov.cbse', '--doctype', 'NOPE1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown sandbox issuer/document type');
    expect(r.stderr).toContain('in.gov.cbse:HSCER');
    const nokeys = await cli('keys', 'list', 'in.gov.nope');
    expect(nokeys.code).toBe(1);
    expect(nokeys.stderr).toMatch(/No signing keys are known for issuer in\.gov\.nope/);
    const m = await cli('verify', path.join(dir, 'missing.pdf'));
    expect(m.code).toBe(1);
    expect(m.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(m.stderr).toContain('There is no file');
    // With --json, input that cannot be verified is still a JSON answer (exit 1).
    const j = await cli('verify', '--qr', 'garbage', '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: 'invalid_qr' });
    const both = await cli('verify', path.join(dir, 'missing.pdf'), '--qr', 'garbage', '--json');
    expect([both.code, JSON.parse(both.stdout).error]).toEqual([1, 'one_input']);
  });
});
