/** Load generation with autocannon, reported the same way for every scenario. */
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
}

export interface LoadOptions {
  url: string;
  connections?: number;
  durationSec?: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: string;
}

export async function load(opts: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({
    url: opts.url,
    connections: opts.connections ?? 50,
    duration: opts.durationSec ?? Number(process.env.BENCH_SECONDS ?? 5),
    headers: opts.headers,
    method: opts.method ?? 'GET',
    body: opts.body,
  });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    requests: r.requests.total,
  };
}

export async function warmUp(url: string, headers?: Record<string, string>): Promise<void> {
  await autocannon({ url, connections: 10, duration: 1, headers });
}

export interface LatencyResult {
  /** Milliseconds, to the microsecond (autocannon reports whole milliseconds). */
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  non2xx: number;
}

/**
 * Per-request latency measured in this process with performance.now(), for comparisons
 * where whole milliseconds hide the difference (a 1 ms issuer against the locker in front
 * of it). `connections` clients each send requests one after another for `durationSec`
 * over kept-alive connections, reading every body to the end.
 */
export async function latency(opts: LoadOptions): Promise<LatencyResult> {
  const http = await import('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections ?? 1 });
  const url = new URL(opts.url);
  const samples: number[] = [];
  let non2xx = 0;
  const end = performance.now() + (opts.durationSec ?? Number(process.env.BENCH_SECONDS ?? 5)) * 1000;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          samples.push(performance.now() - t0);
          if ((res.statusCode ?? 0) >= 300) non2xx++;
          resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(opts.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.connections ?? 1 }, async () => {
      while (performance.now() < end) await once();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), rps: Math.round(samples.length / seconds), requests: samples.length, non2xx };
}
