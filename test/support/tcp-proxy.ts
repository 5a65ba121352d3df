/**
 * A TCP proxy on loopback in front of a real server (PostgreSQL, s3rver), for outage
 * tests: `down()` cuts every open connection and resets new ones at once — what clients
 * see when the server restarts or its host drops off the network — and `up()` lets
 * connections through again. The machine's own server is never touched, so tests running
 * beside this one are not disturbed.
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections cut and refused from now on. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let passing = true;
  const server = net.createServer((client) => {
    if (!passing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    down() {
      passing = false;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    up() {
      passing = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
