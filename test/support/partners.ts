/**
 * Partners for tests: registered through the admin API, and a citizen's side of the
 * authorization-code flow driven through the real pages with the test web client (sign-in
 * with OTP + PIN from the dev outbox, then the consent screen).
 */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import * as oc from 'openid-client';
import { afterAll, beforeAll, describe } from 'vitest';
import { STACKS, startTestApp, type Stack, type TestApp, type TestAppOptions } from './app.ts';
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
  const u = new URL(url, 'http://relative.invalid');
  return u.pathname + u.search;
}

const browsers = new Map<string, WebClient>();

/**
 * The browser part of an authorization: opens `authorizeUrl`, signs `citizen` in through
 * the sign-in pages if the consent screen asks, and submits the consent form with
 * `decision` (and the ticked documents, default all). Returns the redirect to the partner.
 */
export async function authorizeInBrowser(app: FastifyInstance, deps: Pick<AppDeps, 'outbox'>, authorizeUrl: string, citizen: Pick<TestCitizen, 'mobile' | 'pin'>, o: { decision?: 'allow' | 'deny'; docs?: string[]; web?: WebClient } = {}): Promise<{ location: string; web: WebClient; consentPage: string }> {
  // One browser per citizen: signed in once, later authorizations go straight to the consent screen.
  let web = o.web ?? browsers.get(citizen.mobile);
  if (!web) {
    web = new WebClient(app, { ip: `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}` });
    browsers.set(citizen.mobile, web);
  }
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

/** A test app listening on loopback, with PUBLIC_URL (and so the issuer) naming its real address. */
type EnvOption = Record<string, string> | (() => Record<string, string>);

export async function startOAuthApp(o: Omit<TestAppOptions, 'env'> & { env?: EnvOption } = {}): Promise<{ t: TestApp; base: string; issuer: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = typeof o.env === 'function' ? o.env() : (o.env ?? {});
  const t = await startTestApp({ ...o, env: { PUBLIC_URL: base, ...env } });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { t, base, issuer: `${base}/public/oauth2` };
}

/** Runs `body` once per stack (SQLite + fs, PostgreSQL + S3) against a listening app. */
export function describeEachOAuthStack(name: string, body: (get: () => { t: TestApp; base: string; issuer: string }, stack: Stack) => void, o: Omit<TestAppOptions, 'env' | 'stack'> & { env?: EnvOption } = {}): void {
  for (const stack of STACKS) {
    describe(`${name} [${stack.dialect}+${stack.blob}]`, () => {
      let s: { t: TestApp; base: string; issuer: string } | undefined;
      beforeAll(async () => {
        s = await startOAuthApp({ ...o, stack });
      });
      afterAll(async () => {
        await s?.t.close();
      });
      body(() => {
        if (!s) throw new Error('app not started');
        return s;
      }, stack);
    });
  }
}

/** openid-client configured for a partner against the locker's discovery document. */
export async function oidcClient(issuer: string, p: TestPartner, auth: 'post' | 'basic' = 'post', tokenPath?: '1/token' | '2/token'): Promise<oc.Configuration> {
  const config = await oc.discovery(new URL(issuer), p.clientId, p.clientSecret, auth === 'post' ? oc.ClientSecretPost(p.clientSecret) : oc.ClientSecretBasic(p.clientSecret), { execute: [oc.allowInsecureRequests] });
  if (tokenPath === '1/token') {
    const { supportsPKCE: _s, ...m } = config.serverMetadata();
    const v1 = new oc.Configuration({ ...m, token_endpoint: `${issuer}/1/token` }, p.clientId, p.clientSecret, auth === 'post' ? oc.ClientSecretPost(p.clientSecret) : oc.ClientSecretBasic(p.clientSecret));
    oc.allowInsecureRequests(v1);
    return v1;
  }
  return config;
}

/** An authorization URL with S256 PKCE; returns the verifier too. */
export async function authorizeUrl(config: oc.Configuration, p: TestPartner, params: Record<string, string> = {}): Promise<{ url: string; verifier: string; state: string }> {
  const verifier = oc.randomPKCECodeVerifier();
  const state = oc.randomState();
  const url = oc.buildAuthorizationUrl(config, { redirect_uri: p.redirectUri, scope: 'openid userdetails', code_challenge: await oc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, ...params });
  return { url: url.href, verifier, state };
}

/** The whole flow for a citizen: authorize in the browser, then exchange the code with openid-client. */
export async function connect(s: { t: TestApp; issuer: string }, p: TestPartner, citizen: Pick<TestCitizen, 'mobile' | 'pin'>, params: Record<string, string> = {}, tokenPath: '1/token' | '2/token' = '2/token'): Promise<oc.TokenEndpointResponse & oc.TokenEndpointResponseHelpers> {
  const config = await oidcClient(s.issuer, p, 'post', tokenPath);
  const a = await authorizeUrl(config, p, params);
  const { location } = await authorizeInBrowser(s.t.app, s.t.deps, a.url, citizen);
  return oc.authorizationCodeGrant(config, new URL(location), { pkceCodeVerifier: a.verifier, expectedState: a.state });
}
