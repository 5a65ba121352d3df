// A latency probe in its own process, so the flood's client-side work (in the bench
// process) never delays the probe's own timing. Options as JSON in argv[2]:
// {url, rate (requests/s), connections, duration (s)}. Prints {latency: {p50, p99, max},
// requests, errors, non2xx} as JSON, latencies in milliseconds to the microsecond.
//
// Requests start on a fixed schedule (open loop): when the server stalls, the requests due
// meanwhile wait and their wait counts — a stall is not hidden by sending less during it.
import http from 'node:http';

const opts = JSON.parse(process.argv[2]);
const url = new URL(opts.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections ?? 2 });

function once() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 }));
    });
    req.on('error', () => resolve({ ms: performance.now() - t0, status: 0 }));
  });
}

async function run(seconds) {
  const interval = 1000 / (opts.rate ?? 200);
  const start = performance.now();
  const pending = [];
  for (let i = 0; ; i++) {
    const due = start + i * interval;
    if (due - start >= seconds * 1000) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(once());
  }
  return Promise.all(pending);
}

// One second first, discarded: connections open and this process's code is compiled
// before the measured part, as in a long-running client.
await run(1);
const results = await run(opts.duration);
const ms = results.map((r) => r.ms).sort((a, b) => a - b);
const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
agent.destroy();
process.stdout.write(
  JSON.stringify({
    latency: { p50: at(0.5), p99: at(0.99), max: ms[ms.length - 1] },
    requests: results.length,
    errors: results.filter((r) => r.status === 0).length,
    non2xx: results.filter((r) => r.status >= 300).length,
  }),
);
