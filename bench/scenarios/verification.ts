/**
 * Verification: QR verification requests/second through the locker (POST /api/v1/verify
 * with the QR text: HTTP, key lookup in the database, Ed25519 JWS check, inflate, answer)
 * as a ratio of the raw Ed25519 verification rate of node:crypto on one core measured in
 * this run (bar: at least half). The locker checks signatures on the thread pool, so a
 * second core helps it; the rate of the thread pool on every core is reported beside the
 * bar, with the ratio to it, so nobody mistakes one for the other; and the rate of issuing documents end to end — render the PDF
 * with its QR, sign the XML, the QR payload and the PDF (PAdES) — in documents/second.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import autocannon from 'autocannon';
import { loadConfig } from '../../src/config/index.ts';
import { verificationDeps } from '../../src/compose/verification.ts';
import { closeDeps, openDeps } from '../../src/deps.ts';
import { qrTextToJws } from '../../src/crypto/qr-code.ts';
import { issueSignedDocument } from '../../src/domain/verification/issue-signed-document.ts';
import { verifyPdf } from '../../src/domain/verification/verify-pdf.ts';
import { sampleDocument } from '../../src/sandbox/samples/documents.ts';
import { load } from '../lib/load.ts';
import { startLocker } from '../lib/processes.ts';
import { ms, type BenchRow, type Scenario } from '../lib/report.ts';

/** Ed25519 verifications per second on one core, over a JWS signing input of the QR's size. */
function rawEd25519Rate(signingInputLength: number, seconds: number): number {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const data = crypto.randomBytes(signingInputLength);
  const sig = crypto.sign(null, data, privateKey);
  for (let i = 0; i < 2000; i++) crypto.verify(null, data, publicKey, sig);
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) if (!crypto.verify(null, data, publicKey, sig)) throw new Error('verify failed');
    n += 200;
  }
  return n / seconds;
}

/**
 * The same verification through node:crypto's thread pool (the callback form, 64 in
 * flight), as the locker now verifies: what every core of this machine can do together.
 * Reported beside the bar, not as its baseline.
 */
async function pooledEd25519Rate(signingInputLength: number, seconds: number): Promise<number> {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const data = crypto.randomBytes(signingInputLength);
  const sig = crypto.sign(null, data, privateKey);
  const once = () => new Promise<void>((resolve, reject) => crypto.verify(null, data, publicKey, sig, (err, ok) => (err || !ok ? reject(err ?? new Error('verify failed')) : resolve())));
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (performance.now() < end) {
      await once();
      n++;
    }
  }));
  return n / ((performance.now() - t0) / 1000);
}

export const verification: Scenario = {
  name: 'verification',
  async run(): Promise<BenchRow[]> {
    const seconds = Number(process.env.BENCH_SECONDS ?? 5);
    const locker = await startLocker();
    const rows: BenchRow[] = [];
    try {
      const { config } = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SANDBOX: 'false', DATA_DIR: locker.dataDir });
      const deps = await openDeps(config, { migrate: false });
      let qrText: string;
      let pdf: Buffer;
      let docsPerSecond: number;
      let pdfVerifyMs: number;
      try {
        const v = verificationDeps(deps);
        const first = await issueSignedDocument(v, sampleDocument('in.gov.cbse', 'HSCER', { seed: 'bench' })); // creates the keys
        qrText = first.qrText;
        pdf = first.pdf;
        const n = Math.max(8, seconds * 3);
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await issueSignedDocument(v, sampleDocument('in.gov.cbse', 'HSCER', { seed: `bench-${i}` }));
        docsPerSecond = n / ((performance.now() - t0) / 1000);
        const t1 = performance.now();
        for (let i = 0; i < 10; i++) await verifyPdf({ directory: v.keys, now: () => new Date() }, pdf);
        pdfVerifyMs = (performance.now() - t1) / 10;
      } finally {
        await closeDeps(deps);
      }

      const jws = qrTextToJws(qrText)!;
      const body = JSON.stringify({ qr: qrText });
      const req = { url: `${locker.url}/api/v1/verify`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body };
      const check = await fetch(req.url, { method: 'POST', headers: req.headers, body });
      const answer = (await check.json()) as { status?: string };
      if (answer.status !== 'valid') throw new Error(`the locker answered ${JSON.stringify(answer)}`);
      // Warm until the route runs optimised code (V8 tiers it up over several seconds of
      // load here): a server's steady state is what the ratio is about, not its first seconds.
      await load({ ...req, connections: 20, durationSec: 5 });
      // The machine is shared and its background load changes by the second: alternate short
      // slices of the baseline and of the load, so both see the same conditions.
      const slices = Math.max(3, Math.round(seconds / 1.5));
      let rawSum = 0;
      let requests = 0;
      let errors = 0;
      let p99 = 0;
      for (let i = 0; i < slices; i++) {
        rawSum += rawEd25519Rate(jws.lastIndexOf('.'), 1);
        const slice = await load({ ...req, connections: 20, durationSec: 2 });
        requests += slice.rps;
        errors += slice.errors + slice.non2xx;
        p99 = Math.max(p99, slice.p99);
      }
      // The same load with HTTP pipelining: less load-generator CPU per request on this
      // 2-core machine, so closer to what the server alone can do (reported, not the bar).
      const piped = await autocannon({ url: req.url, method: 'POST', headers: req.headers, body, connections: 10, pipelining: 4, duration: 2 });
      const raw = rawSum / slices;
      const pooled = await pooledEd25519Rate(jws.lastIndexOf('.'), 2);
      const r = { rps: Math.round(requests / slices), p99, errors };
      const ratio = r.rps / raw;
      rows.push(
        { scenario: 'verification', measure: 'raw Ed25519 verify (node:crypto, 1 core)', value: `${Math.round(raw)} /s (mean of ${slices} one-second slices; load average ${os.loadavg()[0]!.toFixed(1)})` },
        { scenario: 'verification', measure: 'POST /api/v1/verify {qr}', value: `${r.rps} req/s (mean of ${slices} two-second slices), max p99 ${ms(r.p99)}, errors ${r.errors}, QR ${qrText.length} chars` },
        { scenario: 'verification', measure: 'QR verify ÷ raw Ed25519 verify', value: ratio.toFixed(2), bar: '≥ 0.50', ok: ratio >= 0.5 && r.errors === 0 },
        { scenario: 'verification', measure: `raw Ed25519 verify on the thread pool (${os.availableParallelism()} cores, for information)`, value: `${Math.round(pooled)} /s; QR verify ÷ this ${(r.rps / pooled).toFixed(2)}` },
        { scenario: 'verification', measure: 'same, HTTP pipelining ×4 (for information)', value: `${Math.round(piped.requests.average)} req/s, ratio ${(piped.requests.average / raw).toFixed(2)}, non-2xx ${piped.non2xx}` },
        { scenario: 'verification', measure: 'issue: render + sign PDF, XML, QR', value: `${docsPerSecond.toFixed(1)} documents/s (${ms(1000 / docsPerSecond)} each)` },
        { scenario: 'verification', measure: 'verify a signed PDF (in process)', value: ms(pdfVerifyMs) },
      );
      return rows;
    } finally {
      await locker.stop();
    }
  },
};
