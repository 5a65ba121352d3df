/**
 * A hand-written issuer for client tests: a bare node:http server on loopback that records
 * every request and answers with whatever the test scripts — literal spec XML, a 5xx, a
 * hang, a dropped connection — independently of the locker's own wire code.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Answer =
  | { status?: number; body: string | ((req: SeenRequest) => string); delayMs?: number; contentType?: string }
  | { hang: true }
  | { reset: true };

export interface FakeIssuer {
  url: string;
  seen: SeenRequest[];
  /** Answers in order; the last one repeats. */
  answer(...answers: Answer[]): void;
  close(): Promise<void>;
}

export async function startFakeIssuer(): Promise<FakeIssuer> {
  let answers: Answer[] = [{ status: 500, body: 'not scripted' }];
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: SeenRequest = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(r);
      const a = answers.length > 1 ? answers.shift()! : answers[0]!;
      if ('hang' in a) return;
      if ('reset' in a) return void req.socket.destroy();
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/xml' });
        res.end(typeof a.body === 'function' ? a.body(r) : a.body);
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    answer: (...a) => {
      answers = a;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The txn attribute of a request, to echo it as a real issuer does. */
export const txnOf = (body: string) => /txn="([^"]+)"/.exec(body)?.[1] ?? '';
