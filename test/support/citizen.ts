/**
 * Citizens for tests of every module: signed up and signed in through the real HTTP API,
 * reading OTPs from the dev outbox (`deps.outbox`), as a person reading their SMS would.
 *
 *   const asha = await signUpCitizen(t.app, t.deps);
 *   await t.app.inject({ url: '/api/v1/me', headers: asha.headers });        // bearer
 *   await t.app.inject({ url: '/dashboard', headers: { cookie: asha.cookie } }); // web
 *
 * Each call uses a fresh random mobile and client IP, so per-number and per-IP limits never
 * get in the way of unrelated tests. The test app's argon2id cost is low (still argon2id),
 * so a sign-up costs a few milliseconds.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppDeps } from '../../src/deps.ts';

export interface TestCitizen {
  accountId: string;
  /** E.164 */
  mobile: string;
  pin: string;
  name: string;
  dob: string;
  gender: 'M' | 'F' | 'T';
  /** Bearer token. */
  token: string;
  /** `ol_session=…`, for page requests. */
  cookie: string;
  /** `{ authorization: 'Bearer …' }` */
  headers: Record<string, string>;
}

export function randomMobile(): string {
  return `+91${6 + crypto.randomInt(0, 4)}${String(crypto.randomInt(0, 1e9)).padStart(9, '0')}`;
}

export function randomIp(): string {
  return `10.${crypto.randomInt(0, 256)}.${crypto.randomInt(0, 256)}.${crypto.randomInt(1, 255)}`;
}

/** A PIN the weak-PIN rules accept. */
export function randomPin(): string {
  for (;;) {
    const pin = String(crypto.randomInt(0, 1e6)).padStart(6, '0');
    if (!/^(\d)\1{5}$/.test(pin) && !'01234567890'.includes(pin) && !'09876543210'.includes(pin) && !/^(\d\d)\1\1$/.test(pin) && !/^(\d\d\d)\1$/.test(pin)) return pin;
  }
}

/** The newest OTP sent to `mobile` (E.164), from the dev outbox. */
export async function latestOtp(deps: Pick<AppDeps, 'outbox'>, mobile: string): Promise<string> {
  // The newest message with a code (lockout and PIN notices carry none).
  const code = (await deps.outbox.list({ to: mobile, channel: 'sms', limit: 20 })).map((m) => /\b(\d{6})\b/.exec(m.body)?.[1]).find(Boolean);
  if (!code) throw new Error(`no OTP SMS found for ${mobile}`);
  return code;
}

export function sessionCookieOf(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  const all = Array.isArray(set) ? set : set ? [set] : [];
  const c = all.find((s) => s.startsWith('ol_session='));
  if (!c) throw new Error('no session cookie in the response');
  return c.split(';')[0]!;
}

function expectOk(res: LightMyRequestResponse, what: string): void {
  if (res.statusCode >= 300) throw new Error(`${what} failed: ${res.statusCode} ${res.body}`);
}

export async function requestOtp(app: FastifyInstance, mobile: string, purpose: 'signup' | 'login' | 'reset_pin', ip = randomIp()): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { mobile, purpose }, remoteAddress: ip });
  expectOk(res, `OTP for ${purpose}`);
  return res.json().challenge_id as string;
}

export interface CitizenOptions {
  mobile?: string;
  name?: string;
  dob?: string;
  gender?: 'M' | 'F' | 'T';
  pin?: string;
  email?: string;
}

export async function signUpCitizen(app: FastifyInstance, deps: Pick<AppDeps, 'outbox'>, o: CitizenOptions = {}): Promise<TestCitizen> {
  const mobile = o.mobile ?? randomMobile();
  const pin = o.pin ?? randomPin();
  const name = o.name ?? 'Asha Devi';
  const dob = o.dob ?? '1990-04-12';
  const gender = o.gender ?? 'F';
  const ip = randomIp();
  const challenge = await requestOtp(app, mobile, 'signup', ip);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    remoteAddress: ip,
    payload: { challenge_id: challenge, otp: await latestOtp(deps, mobile), name, dob, gender, pin, ...(o.email ? { email: o.email } : {}) },
  });
  expectOk(res, 'sign-up');
  const { token, account_id } = res.json() as { token: string; account_id: string };
  return { accountId: account_id, mobile, pin, name, dob, gender, token, cookie: sessionCookieOf(res), headers: { authorization: `Bearer ${token}` } };
}

/** Signs an existing citizen in again (a new session); returns the updated citizen. */
export async function signIn(app: FastifyInstance, deps: Pick<AppDeps, 'outbox'>, c: Pick<TestCitizen, 'mobile' | 'pin'> & Partial<TestCitizen>, userAgent = 'test-agent'): Promise<TestCitizen> {
  const ip = randomIp();
  const challenge = await requestOtp(app, c.mobile, 'login', ip);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: ip,
    headers: { 'user-agent': userAgent },
    payload: { challenge_id: challenge, otp: await latestOtp(deps, c.mobile), pin: c.pin },
  });
  expectOk(res, 'sign-in');
  const { token, account_id } = res.json() as { token: string; account_id: string };
  return { name: 'Asha Devi', dob: '1990-04-12', gender: 'F', ...c, accountId: account_id, token, cookie: sessionCookieOf(res), headers: { authorization: `Bearer ${token}` } } as TestCitizen;
}
