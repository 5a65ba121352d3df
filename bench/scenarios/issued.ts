/**
 * Issued documents.
 *  1. The list (100 documents for one citizen, GET /api/v1/issued with a bearer session)
 *     against a bare Fastify route returning the same bytes from memory. Bar: ≥ 0.5.
 *  2. Opening one document through the locker (session, ownership check, registry, HMAC,
 *     Pull Doc to the sandbox CBSE, base64 decode, stream) against calling the sandbox's
 *     Pull Doc directly with the same signed XML; the sandbox runs in its own process, as
 *     a real issuer would. Bar: p50 adds < 20%.
 *  3. Bulk push of 1,000,000 URIs (10,000 citizens × 100) with `openlocker push import`
 *     on SQLite: time and rate. Bar: < 120 s.
 *  4. List latency (the store query, 100 rows for a random citizen) with 10,000,000 URIs
 *     in the table — those 1,000,000 plus 9,000,000 of 90,000 other citizens, written
 *     straight into the table in key order (40 s here, where pushing them would take
 *     minutes) — against a table of 10,000. Bar: ≤ 2×. BENCH_SCALE_ROWS sets the total.
 */
import { spawn } from 'node:child_process';
import SQLite from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.ts';
import { closeDeps, openDeps } from '../../src/deps.ts';
import { registerIssuer } from '../../src/domain/issuers/register-issuer.ts';
import { issuerHmac, HMAC_HEADER } from '../../src/crypto/issuer-hmac.ts';
import { buildPullDocRequest, istTimestamp } from '../../src/integrations/issuer-api/wire.ts';
import { issuedServices } from '../../src/wiring/issued.ts';
import { issuerServices } from '../../src/wiring/issuers.ts';
import { latency, load, warmUp } from '../lib/load.ts';
import { startBareProxy, startBareServer, startLocker } from '../lib/processes.ts';
import { ms, type BenchRow, type Scenario } from '../lib/report.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');
const ADMIN = 'bench-admin-token-0123456789abcdef';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

interface Running {
  url: string;
  sandboxUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The sandbox issuers in a process of their own (`openlocker sandbox serve`), as a real
 * issuer is a server of its own, and the locker (`openlocker serve`) with them registered
 * through the admin API.
 */
async function startLockerAndSandbox(): Promise<Running & { keys: Map<string, string> }> {
  const sbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-sandbox-'));
  const env = { ...process.env, DATA_DIR: sbDir, NODE_ENV: 'test', SANDBOX: 'true', LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/openlocker.js'), 'sandbox', 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const sandboxUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${out}`)), 60_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = /Sandbox issuers are serving on (http\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}):\n${out}`)));
  });
  const regs = JSON.parse(
    await new Promise<string>((resolve, reject) => {
      const r = spawn(process.execPath, [path.join(ROOT, 'bin/openlocker.js'), 'sandbox', 'registrations', '--url', sandboxUrl], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      r.stdout.on('data', (d: Buffer) => (out += d.toString()));
      r.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`sandbox registrations exited ${code}`))));
    }),
  ) as { issuers: Array<{ id: string; hmac_key: string }> };
  const stopSandbox = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  let locker: Awaited<ReturnType<typeof startLocker>>;
  try {
    locker = await startLocker({ ADMIN_TOKEN: ADMIN, OTP_MAX_PER_IP_HOUR: '1000000', AUTH_MAX_PER_IP_HOUR: '1000000', PIN_HASH_MEMORY_KIB: '4096', PIN_HASH_ITERATIONS: '1', ISSUED_FILE_PER_HOUR: '10000000' });
  } catch (err) {
    await stopSandbox();
    throw err;
  }
  try {
    for (const body of regs.issuers) {
      const r = await call(`${locker.url}/api/v1/admin/issuers`, { headers: { authorization: `Bearer ${ADMIN}` }, body });
      if (r.status >= 300) throw new Error(`register ${body.id}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  } catch (err) {
    await locker.stop();
    await stopSandbox();
    throw err;
  }
  return {
    url: locker.url,
    sandboxUrl,
    dataDir: locker.dataDir,
    keys: new Map(regs.issuers.map((i) => [i.id, i.hmac_key])),
    stop: async () => {
      await locker.stop();
      await stopSandbox();
      fs.rmSync(sbDir, { recursive: true, force: true });
    },
  };
}

async function call(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers }, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function citizen(base: string): Promise<{ token: string; accountId: string }> {
  const mobile = `+9171${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`;
  const otp = await call(`${base}/api/v1/auth/otp`, { body: { mobile, purpose: 'signup' } });
  const box = await call(`${base}/dev/outbox.json?to=${encodeURIComponent(mobile)}`);
  const code = /\b(\d{6})\b/.exec((box.body.items as Array<{ body: string }>)[0]!.body)![1]!;
  const up = await call(`${base}/api/v1/auth/signup`, { body: { challenge_id: otp.body.challenge_id, otp: code, name: 'Asha Verma', dob: '2006-03-14', gender: 'F', pin: '583914' } });
  if (up.status !== 201) throw new Error(`sign-up: ${up.status} ${JSON.stringify(up.body)}`);
  return { token: up.body.token as string, accountId: up.body.account_id as string };
}

async function listAndFetch(): Promise<BenchRow[]> {
  const locker = await startLockerAndSandbox();
  const rows: BenchRow[] = [];
  try {
    const base = locker.url;
    const c = await citizen(base);
    const auth = { authorization: `Bearer ${c.token}` };
    const pulled = await call(`${base}/api/v1/issued/pull`, { headers: auth, body: { issuer_id: 'in.gov.cbse', doctype: 'HSCER', params: { rollno: '2410001', year: '2024' } } });
    if (pulled.status !== 200) throw new Error(`pull: ${pulled.status} ${JSON.stringify(pulled.body)}`);
    const uri = pulled.body.uri as string;
    const cred = await call(`${base}/api/v1/admin/issuers/in.gov.cbse/push-credential`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    const ts = String(Math.floor(Date.now() / 1000));
    const clientid = cred.body.client_id as string;
    const hmac = crypto.createHash('sha256').update(`${cred.body.client_secret as string}${clientid}${ts}`).digest('hex');
    const items = Array.from({ length: 99 }, (_, i) => ({ digilockerid: c.accountId, uri: `in.gov.cbse-SSCER-2022${String(8000000 + i)}`, issuedate: '13052022' }));
    const pushed = await call(`${base}/public/account/1/pushuri/bulk`, { body: { clientid, ts, hmac, items } });
    if (pushed.body.written !== 99) throw new Error(`bulk push: ${JSON.stringify(pushed.body)}`);

    // 1. The list against the same bytes from memory.
    const listRes = await fetch(`${base}/api/v1/issued`, { headers: auth });
    const listBody = Buffer.from(await listRes.arrayBuffer());
    const n = (JSON.parse(listBody.toString()) as { items: unknown[] }).items.length;
    const bodyFile = path.join(locker.dataDir, 'issued-list.json');
    fs.writeFileSync(bodyFile, listBody);
    const bare = await startBareServer({ BENCH_BODY_FILE: bodyFile });
    try {
      await warmUp(`${bare.url}/echo`);
      await warmUp(`${base}/api/v1/issued`, auth);
      // Alternate short slices of the baseline and the list so both see the same background
      // load (this machine's changes by the second), as the partner and verification benches do.
      const slices = Math.max(3, Math.round(SECONDS / 1.5));
      const echo = { rps: 0, p99: 0 };
      const list = { rps: 0, p99: 0, errors: 0, non2xx: 0 };
      for (let i = 0; i < slices; i++) {
        const e = await load({ url: `${bare.url}/echo`, durationSec: 2 });
        const l = await load({ url: `${base}/api/v1/issued`, headers: auth, durationSec: 2 });
        echo.rps += e.rps / slices;
        echo.p99 = Math.max(echo.p99, e.p99);
        list.rps += l.rps / slices;
        list.p99 = Math.max(list.p99, l.p99);
        list.errors += l.errors;
        list.non2xx += l.non2xx;
      }
      echo.rps = Math.round(echo.rps);
      list.rps = Math.round(list.rps);
      const r = list.rps / echo.rps;
      rows.push(
        { scenario: 'issued', measure: `bare Fastify /echo (the ${n}-item list, ${listBody.length} bytes)`, value: `${echo.rps} req/s (mean of ${slices} two-second slices), max p99 ${ms(echo.p99)}` },
        { scenario: 'issued', measure: `GET /api/v1/issued (${n} documents, bearer)`, value: `${list.rps} req/s (mean of ${slices} two-second slices), max p99 ${ms(list.p99)}, errors ${list.errors + list.non2xx}` },
        { scenario: 'issued', measure: 'list ÷ bare', value: r.toFixed(2), bar: '≥ 0.5', ok: r >= 0.5 && list.errors + list.non2xx === 0 },
      );
    } finally {
      await bare.stop();
    }

    // 2. One document through the locker against the sandbox issuer directly.
    const key = locker.keys.get('in.gov.cbse')!;
    const xml = buildPullDocRequest({ ver: '1.0', ts: istTimestamp(new Date()), txn: crypto.randomUUID(), orgId: 'in.gov.cbse', format: 'pdf', uri, digiLockerId: c.accountId });
    // Timed per request in this process: autocannon's whole milliseconds make a ~1 ms issuer read as 0 ms.
    const directReq = { url: `${locker.sandboxUrl}/issuers/in.gov.cbse/pulldoc`, method: 'POST' as const, body: xml, headers: { 'content-type': 'application/xml', [HMAC_HEADER]: issuerHmac(xml, key, 'base64-hex') }, connections: 2 };
    const platformReq = { url: `${base}/api/v1/issued/${uri}/file`, headers: auth, connections: 2 };
    // Both warmed first, as the list is: a route's first seconds measure the JIT, not the route.
    await latency({ ...directReq, durationSec: 2 });
    await latency({ ...platformReq, durationSec: 2 });
    const direct = await latency({ ...directReq, durationSec: SECONDS });
    const platform = await latency({ ...platformReq, durationSec: SECONDS });
    const added = platform.p50 / direct.p50 - 1;
    // The floor: the same Pull Doc through a bare relay that does nothing but forward.
    const relay = await startBareProxy(new URL(locker.sandboxUrl).origin);
    let relayed: Awaited<ReturnType<typeof latency>>;
    try {
      const relayReq = { ...directReq, url: `${relay.url}${new URL(directReq.url).pathname}` };
      await latency({ ...relayReq, durationSec: 1 });
      relayed = await latency({ ...relayReq, durationSec: SECONDS });
    } finally {
      await relay.stop();
    }
    rows.push(
      { scenario: 'issued', measure: 'Pull Doc direct to the sandbox CBSE (2 clients)', value: `p50 ${ms(direct.p50)}, p99 ${ms(direct.p99)}, ${direct.rps} req/s, non-2xx ${direct.non2xx}` },
      { scenario: 'issued', measure: 'GET /api/v1/issued/{uri}/file (2 clients)', value: `p50 ${ms(platform.p50)}, p99 ${ms(platform.p99)}, ${platform.rps} req/s, non-2xx ${platform.non2xx}` },
      { scenario: 'issued', measure: 'the same Pull Doc through a bare relay (floor of any hop)', value: `p50 ${ms(relayed.p50)}: adds ${((relayed.p50 / direct.p50 - 1) * 100).toFixed(1)}% (${ms(relayed.p50 - direct.p50)}), non-2xx ${relayed.non2xx}` },
      { scenario: 'issued', measure: 'latency added by the locker (p50)', value: `${(added * 100).toFixed(1)}% (${ms(platform.p50 - direct.p50)} on a ${ms(direct.p50)} local issuer)`, bar: '< 20%', ok: added < 0.2 && platform.non2xx === 0 && direct.non2xx === 0 },
    );
  } finally {
    await locker.stop();
  }
  return rows;
}

/** A data dir with `accounts` citizens and a registered board, for the push and scale measures. */
async function seedStore(accounts: number): Promise<{ dataDir: string; ids: string[] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-push-'));
  const { config } = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test', SANDBOX: 'false', LOG_LEVEL: 'silent' });
  const deps = await openDeps(config);
  try {
    await registerIssuer(issuerServices(deps), { id: 'in.gov.benchboard', name: 'Bench Board', category: 'education', doctypes: [{ code: 'HSCER', name: 'Class XII Marksheet', formats: ['pdf'], parameters: [{ name: 'rollno', label: 'Roll No' }] }] }, 'admin');
    const ids = Array.from({ length: accounts }, () => crypto.randomUUID());
    const now = new Date().toISOString();
    for (let i = 0; i < ids.length; i += 500) {
      await deps.sql.db
        .insertInto('accounts')
        .values(ids.slice(i, i + 500).map((id, j) => ({ id, mobile: `+9172${String(i + j).padStart(8, '0')}`, name: 'Bench Student', dob: '2006-01-01', gender: 'F', email: null, email_verified: 0, pin_hash: 'x', must_change_pin: 0, aadhaar_linked: 0, failed_pins: 0, lockouts: 0, locked_until: null, status: 'active', created_at: now, updated_at: now })))
        .execute();
    }
    return { dataDir, ids };
  } finally {
    await closeDeps(deps);
  }
}

/**
 * Tops the store's issued_documents up to `total` rows with other citizens' documents (100
 * each, random account ids), written with raw prepared inserts in account order: the table
 * and its indexes grow as they would, in a fraction of the time a push would take.
 */
function fillIssued(dataDir: string, total: number): number {
  const db = new SQLite(path.join(dataDir, 'openlocker.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1000000');
    const have = Number(db.prepare('select count(*) from issued_documents').pluck().get());
    const accounts = Array.from({ length: Math.max(0, Math.floor((total - have) / 100)) }, () => crypto.randomUUID()).sort();
    const insert = db.prepare('insert into issued_documents (account_id, uri, issuer_id, doctype, name, issued_on, source, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const now = new Date().toISOString();
    const batch = db.transaction((ids: string[]) => {
      for (const a of ids) for (let k = 0; k < 100; k++) insert.run(a, `in.gov.fillboard-HSCER-${a}-${k}`, 'in.gov.fillboard', 'HSCER', 'Class XII Marksheet', '2024-05-13', 'push', now, now);
    });
    for (let i = 0; i < accounts.length; i += 1000) {
      batch(accounts.slice(i, i + 1000));
      if (process.stderr.isTTY) process.stderr.write(`\r  filling issued_documents: ${((have + (i + 1000) * 100) / 1e6).toFixed(1)} M of ${(total / 1e6).toFixed(1)} M`);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return Number(db.prepare('select count(*) from issued_documents').pluck().get());
  } finally {
    db.close();
  }
}

async function listLatency(dataDir: string, ids: string[], samples: number): Promise<number> {
  const { config } = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test', SANDBOX: 'false', LOG_LEVEL: 'silent' });
  const deps = await openDeps(config);
  try {
    const docs = issuedServices(deps).docs;
    for (let i = 0; i < 200; i++) await docs.list(ids[i % ids.length]!, { limit: 100 });
    const t0 = performance.now();
    for (let i = 0; i < samples; i++) {
      const got = await docs.list(ids[crypto.randomInt(0, ids.length)]!, { limit: 100 });
      if (got.length !== 100) throw new Error(`expected 100 documents, got ${got.length}`);
    }
    return (performance.now() - t0) / samples;
  } finally {
    await closeDeps(deps);
  }
}

async function bulkAndScale(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const PER = 100;
  const big = await seedStore(10_000);
  const small = await seedStore(100);
  try {
    const csv = path.join(big.dataDir, 'results.csv');
    const out = fs.createWriteStream(csv);
    out.write('digilockerid,uri,issuedate,action\n');
    let n = 0;
    for (const id of big.ids) {
      let chunk = '';
      for (let k = 0; k < PER; k++) chunk += `${id},in.gov.benchboard-HSCER-2024${String(n++).padStart(8, '0')},13052024,A\n`;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end(r));
    const t0 = performance.now();
    const summary = await new Promise<Record<string, number>>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/openlocker.js'), 'push', 'import', csv, '--issuer', 'in.gov.benchboard', '--json'], { env: { ...process.env, DATA_DIR: big.dataDir, NODE_ENV: 'test', SANDBOX: 'false', LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number>) : reject(new Error(`push import exited ${code}: ${stderr}`))));
    });
    const seconds = (performance.now() - t0) / 1000;
    rows.push(
      { scenario: 'issued push', measure: `openlocker push import: ${n.toLocaleString('en')} URIs, ${big.ids.length.toLocaleString('en')} citizens (SQLite)`, value: `${seconds.toFixed(1)} s, ${Math.round(n / seconds).toLocaleString('en')} URIs/s, written ${summary.written}, rejected ${summary.rejected}`, bar: '< 120 s', ok: seconds < 120 && summary.written === n },
    );

    const { config } = loadConfig({ DATA_DIR: small.dataDir, NODE_ENV: 'test', SANDBOX: 'false', LOG_LEVEL: 'silent' });
    const deps = await openDeps(config);
    try {
      const docs = issuedServices(deps).docs;
      let k = 0;
      for (const id of small.ids) {
        await docs.saveMany(Array.from({ length: PER }, () => ({ accountId: id, uri: `in.gov.benchboard-HSCER-2024${String(k++).padStart(8, '0')}`, issuerId: 'in.gov.benchboard', doctype: 'HSCER', name: 'Class XII Marksheet', issuedOn: '2024-05-13', source: 'push' as const })), new Date());
      }
    } finally {
      await closeDeps(deps);
    }
    const fillStart = performance.now();
    const total = fillIssued(big.dataDir, Number(process.env.BENCH_SCALE_ROWS ?? 10_000_000));
    const fillSeconds = (performance.now() - fillStart) / 1000;
    const samples = 2000;
    const smallMs = await listLatency(small.dataDir, small.ids, samples);
    const bigMs = await listLatency(big.dataDir, big.ids, samples);
    const r = bigMs / smallMs;
    const label = total >= 1e6 ? `${(total / 1e6).toFixed(total % 1e6 ? 1 : 0)} M` : total.toLocaleString('en');
    rows.push(
      { scenario: 'issued scale', measure: 'list 100 documents, table of 10,000 URIs (mean)', value: ms(smallMs) },
      { scenario: 'issued scale', measure: `list 100 documents, table of ${total.toLocaleString('en')} URIs (mean; filled in ${fillSeconds.toFixed(0)} s)`, value: ms(bigMs) },
      { scenario: 'issued scale', measure: `${label} ÷ 10,000`, value: r.toFixed(2), bar: '≤ 2', ok: r <= 2 && total >= 10_000_000 },
    );
  } finally {
    fs.rmSync(big.dataDir, { recursive: true, force: true });
    fs.rmSync(small.dataDir, { recursive: true, force: true });
  }
  return rows;
}

export const issued: Scenario = {
  name: 'issued',
  async run(): Promise<BenchRow[]> {
    // BENCH_ISSUED_PARTS=list or =push runs one half (default both).
    const parts = (process.env.BENCH_ISSUED_PARTS ?? 'list,push').split(',');
    return [...(parts.includes('list') ? await listAndFetch() : []), ...(parts.includes('push') ? await bulkAndScale() : [])];
  },
};
