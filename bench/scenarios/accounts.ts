/**
 * Accounts: PIN hashing must never block the event loop. While 50 clients hammer sign-in
 * with wrong PINs (argon2id at the production cost, every request a real PIN check), the
 * p99 of /healthz at a steady rate stays within 3x of its idle p99.
 *
 * The bar is measured on PostgreSQL, whose writes are asynchronous, so it isolates the
 * hashing. The same run on the embedded SQLite store is reported beside it: there each
 * commit's fsync (synchronous=FULL) runs on the event loop, which shows in the ratio.
 * Also reported: PIN checks per second, and an authenticated read (GET /api/v1/me with a
 * bearer token) against a bare route answering the same bytes and the locker's /healthz.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { withDefaultUser } from '../../src/storage/sql/database.ts';
import { load, warmUp } from '../lib/load.ts';
import { startBareServer, startLocker } from '../lib/processes.ts';
import { ms, type BenchRow, type Scenario } from '../lib/report.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';

async function json(url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function otp(base: string, mobile: string, purpose: string): Promise<{ challenge: string; code: string }> {
  const r = await json(`${base}/api/v1/auth/otp`, { mobile, purpose });
  if (r.status !== 200) throw new Error(`OTP ${purpose} for ${mobile}: ${r.status} ${JSON.stringify(r.body)}`);
  const box = await json(`${base}/dev/outbox.json?to=${encodeURIComponent(mobile)}`);
  return { challenge: r.body.challenge_id as string, code: /\b(\d{6})\b/.exec((box.body.items as Array<{ body: string }>)[0]!.body)![1]! };
}

const ROUNDS = 3;
/** Length of each idle and each busy measurement. */
const ROUND_SECONDS = Math.max(2, Math.round(SECONDS / 2));

/**
 * Steady-rate /healthz load: latency, not throughput, is what we watch. The probe runs in
 * its own process, so the flood's client work in this process cannot delay its timing.
 */
async function healthz(base: string, seconds: number): Promise<{ latency: { p99: number } }> {
  const opts = { url: `${base}/healthz`, connections: 2, rate: 200, duration: seconds };
  const child = spawn(process.execPath, [path.join(import.meta.dirname, '..', 'lib', 'probe-child.mjs'), JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the /healthz probe exited with ${code}`);
  return JSON.parse(out) as { latency: { p99: number } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Prepared {
  pairs: Array<{ challenge_id: string; otp: string }>;
  bearer: string;
}

/** Citizens with a verified-to-be sign-in challenge each; enough that none locks during the run. */
async function prepare(base: string): Promise<Prepared> {
  // At most 4 wrong PINs each (the 5th locks). Up to ~100 checks/s here (2 cores), and
  // requests autocannon cuts off at the end of a round still reach the server: plan for
  // 150/s and 3 checks per citizen.
  const n = Math.max(150, Math.ceil((ROUNDS * ROUND_SECONDS * 150) / 3));
  const pairs: Prepared['pairs'] = [];
  let bearer = '';
  for (let i = 0; i < n; i++) {
    const mobile = `+9170${String(10_000_000 + i).slice(-8)}`;
    const s = await otp(base, mobile, 'signup');
    const up = await json(`${base}/api/v1/auth/signup`, { challenge_id: s.challenge, otp: s.code, name: 'Bench Citizen', dob: '1990-01-01', gender: 'F', pin: '583914' });
    if (up.status !== 201) throw new Error(`sign-up: ${up.status} ${JSON.stringify(up.body)}`);
    bearer ||= up.body.token as string;
    const l = await otp(base, mobile, 'login');
    pairs.push({ challenge_id: l.challenge, otp: l.code });
  }
  return { pairs, bearer };
}

/**
 * Rounds of (idle, busy) /healthz measurements, so that load from elsewhere on a shared
 * machine falls on both sides alike; the bar compares the medians.
 */
async function flood(label: string, base: string, p: Prepared, bar: boolean): Promise<BenchRow[]> {
  await warmUp(`${base}/healthz`);
  const round = ROUND_SECONDS;
  const idle: number[] = [];
  const busy: number[] = [];
  let next = 0;
  const statuses = new Map<number, number>();
  let total = 0;
  for (let r = 0; r < ROUNDS; r++) {
    idle.push((await healthz(base, round)).latency.p99);
    const hammer = autocannon({
      url: base,
      connections: 50,
      duration: round,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ ...p.pairs[next++ % p.pairs.length], pin: '111112' }) }),
          onResponse: (status) => void statuses.set(status, (statuses.get(status) ?? 0) + 1),
        },
      ],
    });
    const [b, f] = await Promise.all([healthz(base, round), hammer]);
    busy.push(b.latency.p99);
    total += f.requests.total;
  }
  const ratio = median(busy) / Math.max(median(idle), 1);
  const checks = statuses.get(401) ?? 0;
  const locked = statuses.get(429) ?? 0;
  const s = `accounts (${label})`;
  return [
    { scenario: s, measure: '/healthz p99 idle, 200 req/s (rounds)', value: idle.map((x) => ms(x)).join(', ') },
    { scenario: s, measure: '/healthz p99 during the sign-in flood', value: busy.map((x) => ms(x)).join(', ') },
    { scenario: s, measure: 'flood: 50 clients, wrong PINs', value: `${checks} PIN checks = ${(checks / (round * ROUNDS)).toFixed(1)}/s; ${locked} locked; ${total - checks - locked} other` },
    { scenario: s, measure: '/healthz p99 busy ÷ idle (medians)', value: ratio.toFixed(2), ...(bar ? { bar: '≤ 3', ok: ratio <= 3 && checks > 0 && locked === 0 } : {}) },
  ];
}

async function readPath(base: string, bearer: string): Promise<BenchRow[]> {
  const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${bearer}` } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-me-'));
  const bodyFile = path.join(dir, 'me.json');
  fs.writeFileSync(bodyFile, Buffer.from(await me.arrayBuffer()));
  const bare = await startBareServer({ BENCH_BODY_FILE: bodyFile });
  try {
    await warmUp(`${bare.url}/echo`);
    const echo = await load({ url: `${bare.url}/echo` });
    await warmUp(`${base}/healthz`);
    const health = await load({ url: `${base}/healthz` });
    const auth = { authorization: `Bearer ${bearer}` };
    await warmUp(`${base}/api/v1/me`, auth);
    const meLoad = await load({ url: `${base}/api/v1/me`, headers: auth });
    const s = 'accounts (SQLite)';
    return [
      { scenario: s, measure: 'bare Fastify /echo (the /me body)', value: `${echo.rps} req/s, p99 ${ms(echo.p99)}` },
      { scenario: s, measure: 'locker /healthz (no session, no query)', value: `${health.rps} req/s, p99 ${ms(health.p99)}` },
      { scenario: s, measure: 'GET /api/v1/me (bearer session + account read)', value: `${meLoad.rps} req/s, p99 ${ms(meLoad.p99)}, errors ${meLoad.errors + meLoad.non2xx}` },
      { scenario: s, measure: '/me ÷ bare; /me ÷ locker /healthz', value: `${(meLoad.rps / echo.rps).toFixed(2)}; ${(meLoad.rps / health.rps).toFixed(2)}` },
    ];
  } finally {
    await bare.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const accounts: Scenario = {
  name: 'accounts',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const env = { OTP_MAX_PER_IP_HOUR: '1000000', AUTH_MAX_PER_IP_HOUR: '1000000' };

    const schema = `bench_${crypto.randomBytes(4).toString('hex')}`;
    const onPg = await startLocker({ ...env, DATABASE_URL: `${PG_URL}?schema=${schema}` });
    try {
      rows.push(...(await flood('PostgreSQL', onPg.url, await prepare(onPg.url), true)));
    } finally {
      await onPg.stop();
      const client = new pg.Client({ connectionString: withDefaultUser(PG_URL) });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`).finally(() => client.end());
    }

    const onSqlite = await startLocker(env);
    try {
      const p = await prepare(onSqlite.url);
      rows.push(...(await flood('SQLite', onSqlite.url, p, false)));
      rows.push(...(await readPath(onSqlite.url, p.bearer)));
    } finally {
      await onSqlite.stop();
    }
    return rows;
  },
};
