/**
 * Share-link open, one of DESIGN §6's hot read paths: `GET /s/{token}` (token hashed and
 * looked up, revocation, expiry and view limit checked, the view counted, the open logged in
 * the citizen's activity chain and queued for the batched notice, the banner page rendered)
 * in requests/second as a ratio of a bare Fastify route returning the same page from memory.
 * Bar: at least half. The share has no view limit; SHARE_LINK_PER_MINUTE is lifted so the
 * per-IP cap does not stand in the way. Beside the bar, the floor under it: the bare route
 * that also commits three rows per request to SQLite before answering (the view count, the
 * activity entry, the notice) — what recording every open costs by itself on this machine;
 * the locker's own /healthz (the per-request protections every route pays); and the ceiling
 * these imply, as in the partner scenario: bare ÷ (healthz⁻¹ + floor⁻¹ − 1).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlStore } from '../../src/storage/sql/database.ts';
import { sqlDevOutbox } from '../../src/storage/sql/repositories/dev-outbox.ts';
import { load, warmUp } from '../lib/load.ts';
import { startBareServer, startLocker } from '../lib/processes.ts';
import { boundRows, ms, type BenchRow, type Scenario } from '../lib/report.ts';
import { signUp } from './uploads.ts';

export async function shareLink(url: string, dataDir: string): Promise<string> {
  const token = await signUp(url, dataDir);
  const auth = { authorization: `Bearer ${token}` };
  const form = new FormData();
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n%bench share\n'), Buffer.alloc(60 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'Shared marksheet.pdf');
  const up = await fetch(`${url}/api/v1/uploads`, { method: 'POST', headers: auth, body: form });
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${await up.text()}`);
  const { id } = (await up.json()) as { id: string };
  const email = 'verifier@example.in';
  const sh = await fetch(`${url}/api/v1/shares`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ upload_id: id, email, expires_in_days: 30 }) });
  if (sh.status !== 201) throw new Error(`share: ${sh.status} ${await sh.text()}`);
  const store = await openSqlStore({ kind: 'sqlite', file: path.join(dataDir, 'openlocker.db'), display: 'bench' });
  try {
    const mail = (await sqlDevOutbox(store).list({ to: email, channel: 'email', limit: 1 }))[0];
    const m = mail && /\/s\/([A-Za-z0-9_-]{43})/.exec(mail.body);
    if (!m) throw new Error('no share link in the outbox');
    return `${url}/s/${m[1]}`;
  } finally {
    await store.close();
  }
}

export const shares: Scenario = {
  name: 'shares',
  async run(): Promise<BenchRow[]> {
    const locker = await startLocker({ PIN_HASH_MEMORY_KIB: '1024', PIN_HASH_ITERATIONS: '1', SHARE_LINK_PER_MINUTE: '10000000' });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-share-'));
    let bare: Awaited<ReturnType<typeof startBareServer>> | undefined;
    try {
      const link = await shareLink(locker.url, locker.dataDir);
      const first = await fetch(link);
      if (first.status !== 200) throw new Error(`the link answered ${first.status}`);
      const page = Buffer.from(await first.arrayBuffer());
      fs.writeFileSync(path.join(tmp, 'page.html'), page);
      bare = await startBareServer({ BENCH_BODY_FILE: path.join(tmp, 'page.html'), BENCH_LOG_DB: path.join(tmp, 'log.db'), BENCH_LOG_ROWS: '3' });
      await warmUp(`${bare.url}/echo`);
      await warmUp(link);
      await warmUp(`${locker.url}/healthz`);
      // Alternate short slices so both sides see the same background load.
      const slices = Math.max(3, Math.round(Number(process.env.BENCH_SECONDS ?? 5) / 1.5));
      let bareRps = 0;
      let linkRps = 0;
      let loggedRps = 0;
      let healthRps = 0;
      let errors = 0;
      let p99 = 0;
      for (let i = 0; i < slices; i++) {
        bareRps += (await load({ url: `${bare.url}/echo`, connections: 20, durationSec: 2 })).rps / slices;
        loggedRps += (await load({ url: `${bare.url}/echo-logged`, connections: 20, durationSec: 2 })).rps / slices;
        healthRps += (await load({ url: `${locker.url}/healthz`, connections: 20, durationSec: 2 })).rps / slices;
        const l = await load({ url: link, connections: 20, durationSec: 2 });
        linkRps += l.rps / slices;
        errors += l.errors + l.non2xx;
        p99 = Math.max(p99, l.p99);
      }
      const ratio = linkRps / bareRps;
      return [
        { scenario: 'shares', measure: `bare route, the same share page from memory (${page.length} bytes)`, value: `${Math.round(bareRps)} req/s (mean of ${slices} two-second slices; load average ${os.loadavg()[0]!.toFixed(1)})` },
        { scenario: 'shares', measure: 'GET /s/{token} (look-up, checks, view counted, open logged, page)', value: `${Math.round(linkRps)} req/s, max p99 ${ms(p99)}, errors ${errors}` },
        { scenario: 'shares', measure: 'share-link open ÷ bare route', value: ratio.toFixed(2), bar: '≥ 0.50', ok: ratio >= 0.5 && errors === 0 },
        { scenario: 'shares', measure: 'floor: bare route + the open committed as 3 rows ÷ bare route', value: `${(loggedRps / bareRps).toFixed(2)} (${Math.round(loggedRps)} req/s; raw better-sqlite3, one transaction per event-loop turn)` },
        ...boundRows('shares', { bare: bareRps, health: healthRps, logged: loggedRps }),
      ];
    } finally {
      await bare?.stop();
      await locker.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
};
