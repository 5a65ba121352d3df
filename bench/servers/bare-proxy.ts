/**
 * The floor of any HTTP hop: a bare node:http server that relays each request to
 * `BENCH_UPSTREAM` over a kept-alive connection and streams the answer back — no checks,
 * no parsing, no logging. The issued scenario reports the latency it adds beside the
 * locker's, so a reader can tell what part of "added latency" any server in front of an
 * issuer pays on this machine.
 */
import http from 'node:http';

const upstream = new URL(process.env.BENCH_UPSTREAM!);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const server = http.createServer((req, res) => {
  const out = http.request(
    { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host }, agent },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  out.on('error', () => {
    res.writeHead(502).end();
  });
  req.pipe(out);
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const a = server.address() as { port: number };
  process.stdout.write(`LISTENING http://127.0.0.1:${a.port}\n`);
});
