/**
 * A sample partner web app for OpenLocker (or DigiLocker: only LOCKER_URL changes).
 *
 * It sends the citizen to the locker's consent screen with the OAuth 2.0 authorization-code
 * flow and PKCE (S256), exchanges the code at `/public/oauth2/1/token`, then shows the
 * documents the citizen allowed: `2/files/issued` (issued) and `1/files/` (uploaded), each
 * downloadable through `1/file/{uri}`. When the locker refuses (consent withdrawn, expired)
 * it says so and offers to connect again.
 *
 * No dependencies beyond Node 20: node:http, node:crypto and fetch.
 *   LOCKER_URL=http://localhost:3000 CLIENT_ID=… CLIENT_SECRET=… npx tsx examples/partner-app/server.ts
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PartnerAppOptions {
  /** The locker's base URL, e.g. https://locker.example.gov.in (no trailing slash). */
  lockerUrl: string;
  clientId: string;
  clientSecret: string;
  /** Where this app listens; its /callback must be a registered redirect URI. */
  port?: number;
  host?: string;
  /** The address the locker sends the citizen back to (default http://host:port). */
  publicUrl?: string;
  scope?: string;
  purpose?: string;
}

interface Session {
  verifier?: string;
  state?: string;
  accessToken?: string;
}

interface Item {
  name: string;
  uri: string;
  type?: string;
  mime?: string | string[];
  issuer?: string;
  id?: string;
}

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5}a.button{display:inline-block;padding:.6rem 1rem;background:#0b5;color:#fff;text-decoration:none;border-radius:.3rem}.error{border-left:4px solid #b00;padding-left:.6rem}</style></head>
<body><header><p><strong>Example Bank</strong> — a sample OpenLocker partner</p></header><main>${body}</main></body></html>`;
}

const b64url = (b: Buffer) => b.toString('base64url');

export async function startPartnerApp(o: PartnerAppOptions): Promise<{ url: string; close(): Promise<void> }> {
  const sessions = new Map<string, Session>();
  const scope = o.scope ?? 'openid files.issueddocs files.uploadeddocs';
  const oauth = `${o.lockerUrl}/public/oauth2`;
  let publicUrl = o.publicUrl ?? '';

  const sessionOf = (req: http.IncomingMessage, res: http.ServerResponse): Session => {
    const sid = /(?:^|;\s*)sid=([A-Za-z0-9_-]{20,})/.exec(req.headers.cookie ?? '')?.[1];
    if (sid && sessions.has(sid)) return sessions.get(sid)!;
    const id = b64url(crypto.randomBytes(24));
    const s: Session = {};
    sessions.set(id, s);
    res.setHeader('set-cookie', `sid=${id}; HttpOnly; SameSite=Lax; Path=/`);
    return s;
  };
  const send = (res: http.ServerResponse, status: number, html: string) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  const api = (s: Session, path: string) => fetch(`${oauth}/${path}`, { headers: { authorization: `Bearer ${s.accessToken}` } });

  async function documents(s: Session): Promise<{ issued: Item[]; uploaded: Item[] } | { error: string; description: string }> {
    const issuedRes = await api(s, '2/files/issued');
    if (!issuedRes.ok) return (await issuedRes.json().catch(() => ({ error: `http_${issuedRes.status}`, error_description: '' }))) as { error: string; description: string };
    const issued = ((await issuedRes.json()) as { items: Item[] }).items;
    const uploaded: Item[] = [];
    // Walk the uploaded folders the citizen shared (breadth-first, bounded).
    const queue: string[] = [''];
    for (let n = 0; queue.length && n < 20; n++) {
      const r = await api(s, `1/files/${encodeURIComponent(queue.shift()!)}`);
      if (r.status === 403) break; // no uploaded-documents scope in this consent
      if (!r.ok) return (await r.json()) as { error: string; description: string };
      for (const i of ((await r.json()) as { items: Item[] }).items) {
        if (i.type === 'dir') queue.push(i.id!);
        else uploaded.push(i);
      }
    }
    return { issued, uploaded };
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://partner.invalid');
      const s = sessionOf(req, res);
      if (url.pathname === '/') {
        if (!s.accessToken) {
          return send(res, 200, page('Example Bank', `<h1>Open a savings account</h1><p>Share your documents from your locker instead of uploading copies.</p><p><a class="button" href="/login">Connect your locker</a></p>`));
        }
        const docs = await documents(s);
        if ('error' in docs) {
          s.accessToken = undefined;
          return send(res, 200, page('Example Bank', `<h1>Your documents</h1><p class="error" role="alert">The locker refused: <code id="error">${esc(docs.error)}</code>. ${esc((docs as { error_description?: string }).error_description ?? '')}</p><p><a class="button" href="/login">Connect again</a></p>`));
        }
        const li = (i: Item) => `<li><a href="/file?uri=${encodeURIComponent(i.uri)}" data-uri="${esc(i.uri)}">${esc(i.name)}</a>${i.issuer ? ` — ${esc(i.issuer)}` : ''}</li>`;
        return send(res, 200, page('Your documents — Example Bank', `<h1>Your documents</h1>
<h2>Issued documents (${docs.issued.length})</h2><ul id="issued">${docs.issued.map(li).join('')}</ul>
<h2>Uploaded documents (${docs.uploaded.length})</h2><ul id="uploaded">${docs.uploaded.map(li).join('')}</ul>`));
      }
      if (url.pathname === '/login') {
        s.verifier = b64url(crypto.randomBytes(32));
        s.state = b64url(crypto.randomBytes(16));
        const challenge = b64url(crypto.createHash('sha256').update(s.verifier).digest());
        const q = new URLSearchParams({ response_type: 'code', client_id: o.clientId, redirect_uri: `${publicUrl}/callback`, state: s.state, code_challenge: challenge, code_challenge_method: 'S256', scope, purpose: o.purpose ?? 'Open a savings account (KYC)' });
        return res.writeHead(303, { location: `${oauth}/1/authorize?${q}` }).end();
      }
      if (url.pathname === '/callback') {
        const code = url.searchParams.get('code');
        if (!code || !s.state || url.searchParams.get('state') !== s.state) {
          const why = url.searchParams.get('error') ?? 'state_mismatch';
          return send(res, 400, page('Not connected — Example Bank', `<h1>Not connected</h1><p class="error" role="alert">${esc(why)}</p><p><a href="/">Back</a></p>`));
        }
        s.state = undefined;
        const tr = await fetch(`${oauth}/1/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: s.verifier!, redirect_uri: `${publicUrl}/callback`, client_id: o.clientId, client_secret: o.clientSecret }),
        });
        const tok = (await tr.json()) as { access_token?: string; error?: string };
        if (!tok.access_token) return send(res, 502, page('Not connected — Example Bank', `<h1>Not connected</h1><p class="error" role="alert">${esc(tok.error ?? 'token_error')}</p>`));
        s.accessToken = tok.access_token;
        return res.writeHead(303, { location: '/' }).end();
      }
      if (url.pathname === '/file' && s.accessToken) {
        const r = await api(s, `1/file/${encodeURIComponent(url.searchParams.get('uri') ?? '')}`);
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream', 'cache-control': 'no-store' });
        return res.end(Buffer.from(await r.arrayBuffer()));
      }
      return send(res, 404, page('Not found', '<h1>Not found</h1><p><a href="/">Home</a></p>'));
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 502, page('Error — Example Bank', `<h1>Something went wrong</h1><p class="error" role="alert">${esc(err instanceof Error ? err.message : 'error')}</p>`));
    });
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', r));
  const addr = server.address() as AddressInfo;
  publicUrl ||= `http://${o.host ?? '127.0.0.1'}:${addr.port}`;
  return { url: publicUrl, close: () => new Promise((r) => server.close(() => r())) };
}

// Run directly: configuration from the environment.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const env = process.env;
  if (!env.CLIENT_ID || !env.CLIENT_SECRET) {
    console.error('Set CLIENT_ID and CLIENT_SECRET (and LOCKER_URL, PORT). See examples/partner-app/README.md.');
    process.exit(2);
  }
  const app = await startPartnerApp({ lockerUrl: (env.LOCKER_URL ?? 'http://localhost:3000').replace(/\/$/, ''), clientId: env.CLIENT_ID, clientSecret: env.CLIENT_SECRET, port: Number(env.PORT ?? 4000), ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}), ...(env.SCOPE ? { scope: env.SCOPE } : {}) });
  console.log(`Example partner app on ${app.url} (redirect URI: ${app.url}/callback)`);
}
