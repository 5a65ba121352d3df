/**
 * A real HTTP SMS gateway for tests, on 127.0.0.1:0: it records every POST (body and
 * headers) and can be told to fail or hang, to test the locker's timeouts and retries.
 * The SMS gateway is outside our system, so this is the allowed test double — spoken to
 * over the real protocol.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSms {
  to: string;
  message: string;
  authorization: string | undefined;
  contentType: string | undefined;
}

export interface SmsGateway {
  url: string;
  received: ReceivedSms[];
  /** Answers for the next requests, in order (then 200). `'hang'` never answers. */
  script: Array<number | 'hang'>;
  /** The newest 6-digit code sent to `to`. */
  latestOtp(to: string): string;
  close(): Promise<void>;
}

export async function startSmsGateway(): Promise<SmsGateway> {
  const received: ReceivedSms[] = [];
  const script: Array<number | 'hang'> = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const step = script.shift() ?? 200;
      if (step === 'hang') {
        hanging.push(res);
        return;
      }
      if (step === 200) {
        try {
          const j = JSON.parse(body) as { to: string; message: string };
          received.push({ to: j.to, message: j.message, authorization: req.headers.authorization, contentType: req.headers['content-type'] });
        } catch {
          res.writeHead(400).end();
          return;
        }
      }
      res.writeHead(step, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: step === 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    received,
    script,
    latestOtp(to) {
      for (let i = received.length - 1; i >= 0; i--) {
        if (received[i]!.to === to) {
          const m = /\b(\d{6})\b/.exec(received[i]!.message);
          if (m) return m[1]!;
        }
      }
      throw new Error(`no SMS to ${to}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
