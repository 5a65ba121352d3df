/**
 * Talking to a real `openlocker serve` child process (see cli.ts) over HTTP, for tests that
 * kill and restart it: JSON calls, and a citizen signed up with the OTP read from the dev
 * outbox in the locker's own database (the child's memory is not reachable).
 */
import { openSqlStore } from '../../src/storage/sql/database.ts';
import { sqlDevOutbox } from '../../src/storage/sql/repositories/dev-outbox.ts';
import type { Served } from './cli.ts';
import { randomMobile, randomPin } from './citizen.ts';

export type ServedDatabase = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };

/** The body as JSON; throws with the status and body when the answer is not 2xx. */
export async function json(res: Response) {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text}`);
  return JSON.parse(text);
}

export function postJson(s: Served, url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${s.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Signs a citizen up on the served locker; returns the bearer token and account id. */
export async function signUpServed(s: Served, db: ServedDatabase, name = 'Crash Test'): Promise<{ token: string; accountId: string; mobile: string }> {
  const mobile = randomMobile();
  const { challenge_id } = await json(await postJson(s, '/api/v1/auth/otp', { mobile, purpose: 'signup' }));
  const store = db.kind === 'sqlite' ? await openSqlStore({ kind: 'sqlite', file: db.file, display: 'sqlite' }) : await openSqlStore({ kind: 'postgres', url: db.url, display: 'pg' }, { schema: db.schema });
  try {
    const sms = await sqlDevOutbox(store).list({ to: mobile, channel: 'sms', limit: 1 });
    const otp = /\b(\d{6})\b/.exec(sms[0]!.body)![1];
    const r = await json(await postJson(s, '/api/v1/auth/signup', { challenge_id, otp, name, dob: '1990-01-01', gender: 'F', pin: randomPin() }));
    return { token: r.token as string, accountId: r.account_id as string, mobile };
  } finally {
    await store.close();
  }
}
