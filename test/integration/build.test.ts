/**
 * The precompiled build bin/openlocker.js runs (scripts/build.mjs): a changed source gets
 * a new build, racing builds of the same sources end with one intact build, and the
 * command runs from it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module without types
import { buildKey, ensureBuild } from '../../scripts/build.mjs';
import { BIN, serve } from '../support/cli.ts';

const run = promisify(execFile);
const roots: string[] = [];

function fakeRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-build-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'cli', 'index.ts'), "import { greet } from '../greet.ts';\nexport const runCli = (): string => greet();\n");
  fs.writeFileSync(path.join(root, 'src', 'greet.ts'), "export const greet = (): string => 'hello';\n");
  // The worker thread the build has as its second entry (verification of uploaded files).
  fs.mkdirSync(path.join(root, 'src', 'domain', 'verification'), { recursive: true });
  fs.writeFileSync(path.join(root, 'src', 'domain', 'verification', 'file-verifier-thread.ts'), "import { greet } from '../../greet.ts';\nexport const thread = (): string => greet();\n");
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
  fs.writeFileSync(path.join(root, 'package-lock.json'), '{}');
  return root;
}

afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

describe('precompiled build', () => {
  it('names the build after the sources: an edit (or a touch) means a new build', async () => {
    const root = fakeRoot();
    const first = buildKey(root) as string;
    expect(buildKey(root)).toBe(first);
    const entry = (await ensureBuild({ root })) as string;
    expect(entry).toBe(path.join(root, 'dist', `build-${first}`, 'index.js'));
    expect((await import(entry)).runCli()).toBe('hello');
    // The thread's entry sits beside index.js (file-verifier-threads.ts looks for it there).
    expect((await import(path.join(path.dirname(entry), 'file-verifier-thread.js'))).thread()).toBe('hello');

    fs.writeFileSync(path.join(root, 'src', 'greet.ts'), "export const greet = (): string => 'namaste';\n");
    const second = buildKey(root) as string;
    expect(second).not.toBe(first);
    const entry2 = (await ensureBuild({ root })) as string;
    expect((await import(entry2)).runCli()).toBe('namaste');
    // The older build stays for a server still running from it.
    expect(fs.existsSync(entry)).toBe(true);
    // Tests are not part of the build.
    fs.writeFileSync(path.join(root, 'src', 'greet.test.ts'), '// test\n');
    expect(buildKey(root)).toBe(second);
  });

  it('racing builds of the same sources leave one complete build and no half-written files', async () => {
    const root = fakeRoot();
    const entries = await Promise.all(Array.from({ length: 4 }, () => ensureBuild({ root })));
    expect(new Set(entries).size).toBe(1);
    expect(fs.readdirSync(path.join(root, 'dist'))).toEqual([`build-${buildKey(root)}`]);
  });

  it('the command runs from the build, and from the sources when asked', async () => {
    const built = await run(process.execPath, [BIN, 'config', '--markdown'], { env: { ...process.env, NODE_ENV: 'test' } });
    const source = await run(process.execPath, [BIN, 'config', '--markdown'], { env: { ...process.env, NODE_ENV: 'test', OPENLOCKER_FROM_SOURCE: '1' } });
    expect(built.stdout).toContain('| Setting | Default | Meaning |');
    expect(built.stdout).toBe(source.stdout);
    expect(fs.existsSync(path.join(import.meta.dirname, '..', '..', 'dist', `build-${buildKey()}`, 'index.js'))).toBe(true);

    // Served from the build, the files it reads from the project (static assets, the issuer
    // directory, the sandbox photos) are found.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-build-serve-'));
    roots.push(dataDir);
    const s = await serve({ NODE_ENV: 'test', DATA_DIR: dataDir, SANDBOX: 'false' });
    try {
      expect((await fetch(`${s.url}/static/app.css`)).status).toBe(200);
      const issuers = await fetch(`${s.url}/issuers?q=cbse`);
      expect(issuers.status).toBe(200);
      expect(await issuers.text()).toContain('Central Board of Secondary Education');
    } finally {
      await s.stop();
    }
  }, 90_000);
});
