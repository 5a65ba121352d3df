/**
 * Partners for tests: registered through the admin API, and a citizen's side of the
 * authorization-code flow driven through the real pages with the test web client (sign-in
 * with OTP + PIN from the dev outbox, then the consent screen).
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../src/deps.ts';
import { latestOtp, type TestCitizen } from './citizen.ts';
import { WebClient } from './web-client.ts';

export const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

export interface TestPartner {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export async function createPartner(app: FastifyInstance, o: { scopes?: string[]; doctypes?: string[]; redirectUri?: string; name?: string; pkceCompat?: string } = {}): Promise<TestPartner> {
  const redirectUri = o.redirectUri ?? 'http://127.0.0.1:9/callback';
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/partners',
    headers: ADMIN,
    payload: {
      name: o.name ?? 'Bank of Example',
      type: 'bank',
      redirect_uris: [redirectUri],
      scopes: o.scopes ?? ['openid', 'userdetails'],
      ...(o.doctypes ? { doctypes: o.doctypes } : {}),
      purpose: 'Opening a savings account (KYC)',
      ...(o.pkceCompat ? { pkce_compat: o.pkceCompat } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`partner: ${res.statusCode} ${res.body}`);
  const j = res.json() as { client_id: string; client_secret: string };
  return { clientId: j.client_id, clientSecret: j.client_secret, redirectUri };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Path + query of an absolute URL on the locker (the web client injects paths). */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/**
 * The browser part of an authorization: opens `authorizeUrl`, signs `citizen` in through
 * the sign-in pages if the consent screen asks, and submits the consent form with
 * `decision` (and the ticked documents, default all). Returns the redirect to the partner.
 */
export async function authorizeInBrowser(app: FastifyInstance, deps: Pick<AppDeps, 'outbox'>, authorizeUrl: string, citizen: Pick<TestCitizen, 'mobile' | 'pin'>, o: { decision?: 'allow' | 'deny'; docs?: string[]; web?: WebClient } = {}): Promise<{ location: string; web: WebClient; consentPage: string }> {
  const web = o.web ?? new WebClient(app, { ip: `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}` });
  let res = await web.get(pathOf(authorizeUrl));
  for (let hops = 0; hops < 10 && (res.statusCode === 302 || res.statusCode === 303); hops++) {
    const loc = String(res.headers.location);
    if (!loc.startsWith('/') && !loc.startsWith('http://127.0.0.1') && !loc.startsWith('http://localhost')) break;
    if (loc.startsWith('/signin')) {
      await web.get(loc);
      await web.post('/signin', { mobile: citizen.mobile, next: new URL(loc, 'http://x').searchParams.get('next') ?? '' });
      await web.get('/signin/otp');
      await web.post('/signin/otp', { otp: await latestOtp(deps, citizen.mobile) });
      await web.get('/signin/pin');
      res = await web.post('/signin/pin', { pin: citizen.pin });
      continue;
    }
    const u = new URL(loc, 'http://127.0.0.1');
    if (!u.pathname.startsWith('/public/') && !u.pathname.startsWith('/consent/')) return { location: loc, web, consentPage: '' };
    res = await web.get(u.pathname + u.search);
  }
  if (res.statusCode !== 200 || !/action="\/consent\//.test(res.body)) throw new Error(`no consent screen: ${res.statusCode} ${String(res.headers.location ?? '')} ${res.body.slice(0, 500)}`);
  const consentPage = res.body;
  const action = /action="(\/consent\/[^"]+)"/.exec(consentPage)![1]!;
  const docs = o.docs ?? [...consentPage.matchAll(/name="doc" id="[^"]+" value="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  const body = new URLSearchParams({ _csrf: web.csrf(), decision: o.decision ?? 'allow' });
  for (const d of docs) body.append('doc', d);
  const post = await app.inject({ method: 'POST', url: action, payload: body.toString(), headers: { cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } });
  if (post.statusCode !== 303) throw new Error(`consent post: ${post.statusCode} ${post.body.slice(0, 300)}`);
  // Keep the cookies oidc-provider set, then resume the authorization.
  const set = post.headers['set-cookie'];
  for (const c of Array.isArray(set) ? set : set ? [set] : []) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    web.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
  }
  const resume = await web.get(pathOf(String(post.headers.location)));
  if (resume.statusCode !== 303 && resume.statusCode !== 302) throw new Error(`resume: ${resume.statusCode} ${resume.body.slice(0, 300)}`);
  return { location: String(resume.headers.location), web, consentPage };
}
