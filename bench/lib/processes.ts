/** Servers under test run in child processes, so load generation never shares their event loop. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(import.meta.dirname, '..', '..');

export interface ChildServer {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Resolves with the first match of `pattern` in the child's output (stdout or stderr). */
export function waitForOutput(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start:\n${out}`));
    }, 90_000); // a loaded 2-core machine can take a minute to start a server
    const on = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}):\n${out}`)));
  });
}

async function waitForUrl(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return (await waitForOutput(child, pattern, what))[1]!.replace('localhost', '127.0.0.1');
}

export function wrap(child: ChildProcess, url: string): ChildServer {
  return {
    url,
    pid: child.pid!,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export async function startBareServer(env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/servers/bare-hello.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return wrap(child, await waitForUrl(child, /LISTENING (http\S+)/, 'bare server'));
}

/** The bare relay of bench/servers/bare-proxy.ts in front of `upstream` (an origin URL). */
export async function startBareProxy(upstream: string): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/servers/bare-proxy.ts')], {
    env: { ...process.env, BENCH_UPSTREAM: upstream },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return wrap(child, await waitForUrl(child, /LISTENING (http\S+)/, 'bare proxy'));
}

export interface LockerServer extends ChildServer {
  dataDir: string;
}

/**
 * Node flags for the locker under test only (BENCH_LOCKER_NODE_ARGS), e.g. to profile a
 * scenario: `BENCH_LOCKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- partner`.
 */
export function lockerNodeArgs(): string[] {
  return (process.env.BENCH_LOCKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/** Starts `openlocker serve` on a fresh data dir with quiet logs and no rate limit in the way. */
export async function startLocker(env: Record<string, string> = {}): Promise<LockerServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-'));
  const child = spawn(process.execPath, [...lockerNodeArgs(), path.join(ROOT, 'bin/openlocker.js'), 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SANDBOX: 'false', NODE_ENV: 'test', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '10000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await waitForUrl(child, /OpenLocker is serving on (http[^\s"]+)/, 'locker');
  const s = wrap(child, url);
  return { ...s, dataDir, stop: async () => { await s.stop(); fs.rmSync(dataDir, { recursive: true, force: true }); } };
}

/** Peak resident set size (kB) of a process so far, from /proc (Linux). */
export function peakRssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) : NaN;
}
