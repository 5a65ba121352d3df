/**
 * Partner API: `GET /public/oauth2/2/files/issued` requests/second (bearer token checked,
 * live consent loaded, documents listed through the issued source, access recorded on the
 * consent, in the activity log and the notice batch) as a ratio of a bare Fastify route
 * returning the same body from memory (bar: at least half); and `GET /1/file/{uri}` (the
 * same checks, then the file fetched live from the issuer over HTTP and streamed) against
 * calling that issuer directly: latency at one connection and throughput at ten.
 * Beside the bar, what bounds it, each measured in the same slices:
 * - the bare route that also commits three rows per request to SQLite before answering
 *   (what recording every access costs by itself here);
 * - the locker's cheapest route, /healthz (what the app's per-request protections cost:
 *   security headers, request ids, the auth and flood hooks);
 * - the same 2/files/issued on a second locker whose activity log records nothing (what
 *   the token, the consent, the list and the answer cost without the recording);
 * - the ceiling these imply: costs per request add, so a route paying only the app's
 *   protections and the floor's recording answers at most bare ÷ (healthz⁻¹ + floor⁻¹ − 1).
 */
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { latency, load, warmUp } from '../lib/load.ts';
import { lockerNodeArgs, startBareServer, waitForOutput, wrap, type ChildServer } from '../lib/processes.ts';
import { boundRows, ms, type BenchRow, type Scenario } from '../lib/report.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');

async function startPartnerLocker(issuerUrl: string, env: Record<string, string> = {}): Promise<{ url: string; token: string; uri: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...lockerNodeArgs(), '--import', 'tsx', path.join(ROOT, 'bench/servers/partner-locker.ts')], { env: { ...process.env, ...env, BENCH_ISSUER_URL: issuerUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  const ready = JSON.parse((await waitForOutput(child, /READY (\{.*\})\n/, 'partner locker'))[1]!) as { url: string; token: string; uri: string };
  return { ...ready, stop: wrap(child, ready.url).stop };
}

export const partner: Scenario = {
  name: 'partner',
  async run(): Promise<BenchRow[]> {
    const seconds = Number(process.env.BENCH_SECONDS ?? 5);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-partner-body-'));
    // The issuer's document: a PDF-sized body (60 KB) served from memory.
    const pdfFile = path.join(tmp, 'doc.pdf');
    fs.writeFileSync(pdfFile, Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(60 * 1024)]));
    const servers: Array<{ stop(): Promise<void> }> = [];
    try {
      const issuer: ChildServer = await startBareServer({ BENCH_BODY_FILE: pdfFile });
      servers.push(issuer);
      const locker = await startPartnerLocker(issuer.url);
      servers.push(locker);
      const unrecorded = await startPartnerLocker(issuer.url, { BENCH_NO_RECORD: '1' });
      servers.push(unrecorded);
      const headers = { authorization: `Bearer ${locker.token}` };
      const listUrl = `${locker.url}/public/oauth2/2/files/issued`;
      const first = await fetch(listUrl, { headers });
      if (first.status !== 200) throw new Error(`2/files/issued answered ${first.status}: ${await first.text()}`);
      const listBody = Buffer.from(await first.arrayBuffer());
      const listFile = path.join(tmp, 'list.json');
      fs.writeFileSync(listFile, listBody);
      const bare = await startBareServer({ BENCH_BODY_FILE: listFile, BENCH_LOG_DB: path.join(tmp, 'log.db'), BENCH_LOG_ROWS: '3' });
      servers.push(bare);

      await warmUp(`${bare.url}/echo`);
      await warmUp(listUrl, headers);
      const unrecordedUrl = `${unrecorded.url}/public/oauth2/2/files/issued`;
      const unrecordedHeaders = { authorization: `Bearer ${unrecorded.token}` };
      await warmUp(unrecordedUrl, unrecordedHeaders);
      await warmUp(`${locker.url}/healthz`);
      // Alternate short slices of the baseline and the locker so both see the same background load.
      const slices = Math.max(3, Math.round(seconds / 1.5));
      let bareRps = 0;
      let lockerRps = 0;
      let loggedRps = 0;
      let healthRps = 0;
      let unrecordedRps = 0;
      let errors = 0;
      let p99 = 0;
      for (let i = 0; i < slices; i++) {
        bareRps += (await load({ url: `${bare.url}/echo`, connections: 20, durationSec: 2 })).rps;
        loggedRps += (await load({ url: `${bare.url}/echo-logged`, connections: 20, durationSec: 2 })).rps;
        healthRps += (await load({ url: `${locker.url}/healthz`, connections: 20, durationSec: 2 })).rps;
        const u = await load({ url: unrecordedUrl, headers: unrecordedHeaders, connections: 20, durationSec: 2 });
        unrecordedRps += u.rps;
        errors += u.errors + u.non2xx;
        const l = await load({ url: listUrl, headers, connections: 20, durationSec: 2 });
        lockerRps += l.rps;
        errors += l.errors + l.non2xx;
        p99 = Math.max(p99, l.p99);
      }
      bareRps /= slices;
      loggedRps /= slices;
      healthRps /= slices;
      unrecordedRps /= slices;
      lockerRps /= slices;
      const listRatio = lockerRps / bareRps;

      const fileUrl = `${locker.url}/public/oauth2/1/file/${encodeURIComponent(locker.uri)}`;
      const check = await fetch(fileUrl, { headers });
      if (check.status !== 200 || (await check.arrayBuffer()).byteLength !== fs.statSync(pdfFile).size) throw new Error(`1/file answered ${check.status}`);
      await warmUp(fileUrl, headers);
      const direct1 = await latency({ url: `${issuer.url}/echo`, connections: 1, durationSec: 2 });
      const file1 = await latency({ url: fileUrl, headers, connections: 1, durationSec: 2 });
      const direct10 = await load({ url: `${issuer.url}/echo`, connections: 10, durationSec: 2 });
      const file10 = await load({ url: fileUrl, headers, connections: 10, durationSec: 2 });
      const fileErrors = file1.non2xx + file10.errors + file10.non2xx;
      return [
        { scenario: 'partner', measure: 'bare route, same 2/files/issued body from memory', value: `${Math.round(bareRps)} req/s (mean of ${slices} two-second slices; ${listBody.length} bytes; load average ${os.loadavg()[0]!.toFixed(1)})` },
        { scenario: 'partner', measure: 'GET 2/files/issued (token, consent, list, record access)', value: `${Math.round(lockerRps)} req/s, max p99 ${ms(p99)}, errors ${errors}` },
        { scenario: 'partner', measure: '2/files/issued ÷ bare route', value: listRatio.toFixed(2), bar: '≥ 0.50', ok: listRatio >= 0.5 && errors === 0 },
        { scenario: 'partner', measure: 'floor: bare route + the access committed as 3 rows ÷ bare route', value: `${(loggedRps / bareRps).toFixed(2)} (${Math.round(loggedRps)} req/s; raw better-sqlite3, one transaction per event-loop turn)` },
        ...boundRows('partner', { bare: bareRps, health: healthRps, logged: loggedRps }),
        { scenario: 'partner', measure: '2/files/issued, access not recorded ÷ bare route', value: `${(unrecordedRps / bareRps).toFixed(2)} (${Math.round(unrecordedRps)} req/s; a second locker whose activity log records nothing)` },
        { scenario: 'partner', measure: 'issuer directly, 60 KB, 1 connection', value: `p50 ${ms(direct1.p50)}, p99 ${ms(direct1.p99)}, ${direct1.rps} req/s` },
        { scenario: 'partner', measure: 'GET 1/file/{uri} (live from issuer), 1 connection', value: `p50 ${ms(file1.p50)}, p99 ${ms(file1.p99)}, ${file1.rps} req/s, errors ${fileErrors}` },
        { scenario: 'partner', measure: '1/file latency − issuer latency (p50)', value: ms(file1.p50 - direct1.p50) },
        { scenario: 'partner', measure: '1/file ÷ issuer directly, 10 connections (req/s)', value: `${(file10.rps / direct10.rps).toFixed(2)} (${file10.rps} vs ${direct10.rps} req/s)` },
      ];
    } finally {
      for (const s of servers.reverse()) await s.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
};
