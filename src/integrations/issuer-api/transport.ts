/**
 * The HTTP transport of the Issuer API client: one POST, its answer read as UTF-8 up to a
 * size cap, all within a time limit, over kept-alive connections (node:http / node:https).
 *
 * It replaces `fetch`, whose WHATWG streams cost about 4 ms of CPU per 80 KB Pull Doc answer
 * on Node 20 — more than the rest of opening a document. Redirects are not followed (an
 * issuer endpoint that redirects is misconfigured or hijacked).
 */
import http from 'node:http';
import https from 'node:https';

export interface TransportRequest {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Bytes of answer accepted; a larger one is refused without reading it all. */
  maxBytes: number;
}

/** The answer: `text` only for 2xx (other bodies are discarded unread). */
export interface TransportResponse {
  status: number;
  text: string | null;
}

export class TransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'connect' | 'too_large',
    readonly detail: string,
  ) {
    super(detail);
  }
}

export type IssuerTransport = (url: string, request: TransportRequest) => Promise<TransportResponse>;

// Idle connections are closed after 4 s, before the 5 s at which Node servers (and many
// others) close theirs, so a request is rarely sent on a connection the issuer is closing.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 4000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16, timeout: 4000, minVersion: 'TLSv1.2' }),
};

export const nodeHttpTransport: IssuerTransport = (url, r) =>
  new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return reject(new TransportError('connect', 'invalid endpoint URL'));
    }
    const protocol = target.protocol === 'https:' ? 'https:' : target.protocol === 'http:' ? 'http:' : null;
    if (!protocol) return reject(new TransportError('connect', `unsupported protocol ${target.protocol}`));
    const body = Buffer.from(r.body, 'utf8');
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      return true;
    };
    const fail = (err: TransportError) => {
      if (!settle()) return;
      req?.destroy();
      reject(err);
    };
    const succeed = (response: TransportResponse) => settle() && resolve(response);
    let req: http.ClientRequest;
    try {
      req = (protocol === 'https:' ? https : http).request(
        target,
        { method: 'POST', agent: agents[protocol], headers: { ...r.headers, 'content-length': String(body.length) } },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            res.resume();
            res.once('end', () => succeed({ status, text: null }));
            return;
          }
          const declared = Number(res.headers['content-length'] ?? NaN);
          if (declared > r.maxBytes) return fail(new TransportError('too_large', `answer of ${declared} bytes`));
          const chunks: Buffer[] = [];
          let total = 0;
          res.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > r.maxBytes) return fail(new TransportError('too_large', `answer over ${r.maxBytes} bytes`));
            chunks.push(chunk);
          });
          res.once('end', () => succeed({ status, text: Buffer.concat(chunks, total).toString('utf8') }));
          res.once('aborted', () => fail(new TransportError('connect', 'the connection closed mid-answer')));
          res.once('error', (err: NodeJS.ErrnoException) => fail(new TransportError('connect', err.code ?? err.message)));
        },
      );
    } catch (err) {
      // Refused before sending (e.g. a header value Node will not send).
      return reject(new TransportError('connect', (err as Error).message));
    }
    // One deadline for connecting, sending and reading the whole answer.
    const timer = setTimeout(() => fail(new TransportError('timeout', `no answer within ${r.timeoutMs} ms`)), r.timeoutMs);
    req.once('error', (err: NodeJS.ErrnoException) => fail(new TransportError('connect', err.code ?? err.message)));
    req.end(body);
  });
