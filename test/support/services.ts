/**
 * Makes sure the machine's PostgreSQL and Redis are up before tests use them, starting them
 * with the commands this machine documents if they are down. Tests never need the internet.
 */
import { execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function waitFor(port: number, what: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up on 127.0.0.1:${port}`);
}

export async function ensurePostgres(): Promise<void> {
  if (await portOpen(5432)) return;
  const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed and not running on 127.0.0.1:5432');
  spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0]!, 'main', 'start'], { stdio: 'inherit' });
  await waitFor(5432, 'PostgreSQL');
}

export async function ensureRedis(): Promise<void> {
  if (await portOpen(6379)) return;
  execSync('redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no', { stdio: 'inherit' });
  await waitFor(6379, 'Redis');
}
