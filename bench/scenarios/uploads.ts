/**
 * Upload streaming: 32 concurrent 10 MiB uploads to the real server (a child process,
 * SQLite + filesystem blobs) — throughput as a ratio of writing the same bytes straight to
 * disk (32 concurrent write streams, fsynced) in the same run, and the server's peak
 * resident memory (VmHWM), which shows uploads are streamed, not buffered.
 * Beside it, the floor: the same requests into a bare server that only hashes, encrypts and
 * fsyncs the body — how much of the gap to disk any encrypting server pays on this machine.
 * Bars: ratio ≥ 0.5, peak RSS < 250 MB. BENCH_UPLOADS (default 32), BENCH_UPLOAD_MIB (10).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openSqlStore } from '../../src/storage/sql/database.ts';
import { sqlDevOutbox } from '../../src/storage/sql/repositories/dev-outbox.ts';
import { peakRssKb, startBareServer, startLocker } from '../lib/processes.ts';

/** Current resident set size (kB) of a process, from /proc. */
function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}
import type { BenchRow, Scenario } from '../lib/report.ts';

const mibps = (bytes: number, ms: number) => bytes / 1024 / 1024 / (ms / 1000);
const SLICE = 256 * 1024;

export async function signUp(url: string, dataDir: string): Promise<string> {
  const mobile = `+9198${String(crypto.randomInt(0, 1e8)).padStart(8, '0')}`;
  const post = async (p: string, body: unknown) => {
    const r = await fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<Record<string, string>>;
  };
  const { challenge_id } = await post('/api/v1/auth/otp', { mobile, purpose: 'signup' });
  const store = await openSqlStore({ kind: 'sqlite', file: path.join(dataDir, 'openlocker.db'), display: 'bench' });
  try {
    const sms = await sqlDevOutbox(store).list({ to: mobile, channel: 'sms', limit: 1 });
    const otp = /\b(\d{6})\b/.exec(sms[0]!.body)![1];
    return (await post('/api/v1/auth/signup', { challenge_id, otp, name: 'Bench Citizen', dob: '1990-01-01', gender: 'F', pin: '583920' })).token!;
  } finally {
    await store.close();
  }
}

/** The file bytes: a unique 32-byte head starting `%PDF-` (so each is a PDF and no two deduplicate), then the shared body, in slices. */
function* fileSlices(unique: Buffer, shared: Buffer): Generator<Buffer> {
  yield unique;
  for (let o = 0; o < shared.length; o += SLICE) yield shared.subarray(o, Math.min(shared.length, o + SLICE));
}

/** One upload over node:http (writes Buffers straight to the socket: the client costs little next to the server). */
function uploadOnce(url: string, token: string, unique: Buffer, shared: Buffer, route = '/api/v1/uploads'): Promise<number> {
  const boundary = 'bench' + crypto.randomBytes(6).toString('hex');
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const u = new URL(`${url}${route}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + unique.length + shared.length + tail.length) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    const parts = [head, ...fileSlices(unique, shared), tail];
    let i = 0;
    const write = () => {
      while (i < parts.length) {
        if (!req.write(parts[i++]!)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

async function writeToDisk(dir: string, n: number, unique: (i: number) => Buffer, shared: Buffer): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const fh = await fsp.open(path.join(dir, `f${i}`), 'w');
      try {
        for (const s of fileSlices(unique(i), shared)) await fh.write(s);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }),
  );
}

export const uploads: Scenario = {
  name: 'uploads',
  async run(): Promise<BenchRow[]> {
    const n = Number(process.env.BENCH_UPLOADS ?? 32);
    const size = Number(process.env.BENCH_UPLOAD_MIB ?? 10) * 1024 * 1024;
    const shared = crypto.randomBytes(size - 32);
    const unique = (i: number) => Buffer.concat([Buffer.from('%PDF-1.7\n%'), crypto.randomBytes(22 - String(i).length), Buffer.from(String(i))]);
    const total = n * size;

    // The disk baseline, measured twice (before and after the locker run) and averaged, so load that comes and goes affects both sides alike.
    const diskRun = async () => {
      const diskDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-disk-'));
      const start = performance.now();
      await writeToDisk(diskDir, n, unique, shared);
      const took = performance.now() - start;
      fs.rmSync(diskDir, { recursive: true, force: true });
      return took;
    };
    const diskBefore = await diskRun();
    let t = 0;

    // The floor: the same requests into bench/servers/bare-hello.ts POST /upload (SHA-256 + AES-256-GCM + fsync, no multipart, no database).
    const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-floor-'));
    const bare = await startBareServer({ BENCH_UPLOAD_DIR: floorDir });
    let floorMs: number;
    try {
      await uploadOnce(bare.url, 'none', unique(9999), shared.subarray(0, 1024 * 1024), '/upload');
      const start = performance.now();
      const st = await Promise.all(Array.from({ length: n }, (_, i) => uploadOnce(bare.url, 'none', unique(i), shared, '/upload')));
      floorMs = performance.now() - start;
      if (st.some((s) => s !== 201)) throw new Error(`floor uploads failed (statuses ${[...new Set(st)].join(', ')})`);
    } finally {
      await bare.stop();
      fs.rmSync(floorDir, { recursive: true, force: true });
    }

    const server = await startLocker({ PIN_HASH_MEMORY_KIB: '1024', PIN_HASH_ITERATIONS: '1', UPLOAD_MAX_BYTES: String(size), QUOTA_BYTES: String(Math.max(1024 ** 3, total * 2)) });
    try {
      const token = await signUp(server.url, server.dataDir);
      await uploadOnce(server.url, token, unique(9999), shared.subarray(0, 1024 * 1024)); // warm up
      const idleRssKb = rssKb(server.pid);
      // Resident memory sampled while the uploads run (VmHWM would include start-up's own peak).
      let sampledPeakKb = idleRssKb;
      const sampler = setInterval(() => {
        sampledPeakKb = Math.max(sampledPeakKb, rssKb(server.pid));
      }, 20);
      t = performance.now();
      const statuses = await Promise.all(Array.from({ length: n }, (_, i) => uploadOnce(server.url, token, unique(i), shared))).finally(() => clearInterval(sampler));
      const lockerMs = performance.now() - t;
      const diskMs = (diskBefore + (await diskRun())) / 2;
      const failed = statuses.filter((s) => s !== 201).length;
      if (failed) throw new Error(`${failed} of ${n} uploads failed (statuses ${[...new Set(statuses)].join(', ')})`);
      const peakMb = sampledPeakKb / 1024;
      const hwmMb = peakRssKb(server.pid) / 1024;
      const r = diskMs / lockerMs;
      const label = `${n} × ${(size / 1024 / 1024).toFixed(0)} MiB concurrently`;
      return [
        { scenario: 'uploads', measure: `straight to disk (fsync), ${label}`, value: `${mibps(total, diskMs).toFixed(1)} MiB/s` },
        { scenario: 'uploads', measure: `POST /api/v1/uploads (sniff + encrypt + fsync + row), ${label}`, value: `${mibps(total, lockerMs).toFixed(1)} MiB/s (${(lockerMs / 1000).toFixed(2)} s)` },
        { scenario: 'uploads', measure: 'upload throughput ÷ disk', value: r.toFixed(2), bar: '≥ 0.50', ok: r >= 0.5 },
        { scenario: 'uploads', measure: 'floor: bare Fastify route, body → SHA-256 + AES-256-GCM → fsync, same requests, ÷ disk', value: (diskMs / floorMs).toFixed(2) },
        { scenario: 'uploads', measure: 'server RSS growth during the uploads (what streaming costs)', value: `${(peakMb - idleRssKb / 1024).toFixed(0)} MB for ${(total / 1024 / 1024).toFixed(0)} MiB uploaded` },
        { scenario: 'uploads', measure: `server peak RSS during the uploads (before: ${(idleRssKb / 1024).toFixed(0)} MB; VmHWM incl. start-up ${hwmMb.toFixed(0)} MB)`, value: `${peakMb.toFixed(0)} MB`, bar: '< 250 MB', ok: peakMb < 250 },
      ];
    } finally {
      await server.stop();
    }
  },
};
