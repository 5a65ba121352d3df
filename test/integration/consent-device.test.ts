/**
 * DigiLocker's device flow on both stacks, with SMS through a real HTTP gateway on
 * loopback: 1/code sends an OTP naming the partner and answers the same for a number
 * without a locker; the token endpoint takes device_code + dl_otp (client_id only, as a
 * device holds no secret) and answers with DigiLocker's fields and no refresh token; the
 * grant is a consent the citizen can see and withdraw, and is told about by SMS; three
 * wrong codes use the device code up; a code is single-use and bound to its partner.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomMobile, signUpCitizen } from '../support/citizen.ts';
import { createPartner, describeEachOAuthStack } from '../support/partners.ts';
import { startSmsGateway, type SmsGateway } from '../support/sms-gateway.ts';

let gateway: SmsGateway;
beforeAll(async () => {
  gateway = await startSmsGateway();
});
afterAll(async () => {
  await gateway?.close();
});

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';

async function post(url: string, body: Record<string, unknown>, json = true) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' }, body: json ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string>).toString() });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

describeEachOAuthStack(
  'device flow',
  (get) => {
    it('OTP as consent: 1/code → SMS → token with dl_otp; DigiLocker fields, no refresh token; recorded, told and revocable', async () => {
      const s = get();
      const partner = await createPartner(s.t.app, { name: 'Kiosk Bank', scopes: ['userdetails', 'files.issueddocs'] });
      const citizen = await signUpCitizen(s.t.app, s.t.deps, { name: 'Meena Rao' });
      const code = await post(`${s.issuer}/1/code`, { client_id: partner.clientId, response_type: 'device_code', dl_mobile: Number(citizen.mobile.slice(3)) });
      expect(code.status).toBe(200);
      expect(Object.keys(code.json).sort()).toEqual(['device_code', 'dl_masked_email', 'dl_masked_mobile', 'expires_in']);
      expect(code.json.dl_masked_mobile).toBe(`XXXXXX${citizen.mobile.slice(-4)}`);
      expect(code.json.expires_in).toBe(600);
      const sms = gateway.received.filter((m) => m.to === citizen.mobile).at(-1)!;
      expect(sms.message).toContain('Kiosk Bank');
      const otp = gateway.latestOtp(citizen.mobile);
      const token = await post(`${s.issuer}/1/token`, { grant_type: DEVICE, client_id: partner.clientId, device_code: code.json.device_code, dl_otp: otp }, false);
      expect(token.status, JSON.stringify(token.json)).toBe(200);
      expect(Object.keys(token.json).sort()).toEqual(['access_token', 'consent_valid_till', 'digilocker_id', 'digilockerid', 'dob', 'eaadhar', 'expires_in', 'gender', 'name', 'reference_key', 'scope', 'token_type']);
      // Documents need ticking on a screen, so a device grant carries only what needs none.
      expect(token.json).toMatchObject({ name: 'Meena Rao', scope: 'userdetails', token_type: 'Bearer', digilockerid: citizen.accountId });
      const u = await fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${token.json.access_token}` } });
      expect(u.status).toBe(200);
      expect(gateway.received.filter((m) => m.to === citizen.mobile).at(-1)!.message).toMatch(/you allowed Kiosk Bank/);
      const replay = await post(`${s.issuer}/1/token`, { grant_type: DEVICE, client_id: partner.clientId, device_code: code.json.device_code, dl_otp: otp });
      expect(replay.status).toBe(400);
      expect(replay.json.error).toBe('expired_token');
      const consents = (await s.t.app.inject({ url: '/api/v1/consents', headers: citizen.headers })).json() as { items: Array<Record<string, any>> };
      expect(consents.items[0]).toMatchObject({ flow: 'device_code', state: 'active', scopes: ['userdetails'] });
      await s.t.app.inject({ method: 'DELETE', url: `/api/v1/consents/${consents.items[0]!.id}`, headers: citizen.headers });
      expect((await fetch(`${s.base}/public/oauth2/1/user`, { headers: { authorization: `Bearer ${token.json.access_token}` } })).status).toBe(401);
    });

    it('answers alike for a number without a locker; three wrong codes use the device code up', async () => {
      const s = get();
      const partner = await createPartner(s.t.app);
      const citizen = await signUpCitizen(s.t.app, s.t.deps);
      const stranger = randomMobile();
      const known = await post(`${s.issuer}/1/code`, { client_id: partner.clientId, response_type: 'device_code', dl_mobile: citizen.mobile.slice(3) });
      const unknown = await post(`${s.issuer}/1/code`, { client_id: partner.clientId, response_type: 'device_code', dl_mobile: stranger.slice(3) });
      expect(unknown.status).toBe(known.status);
      expect(Object.keys(unknown.json).sort()).toEqual(Object.keys(known.json).sort());
      expect(unknown.json.dl_masked_email).toBe(known.json.dl_masked_email);
      expect(unknown.json.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The stranger's phone gets the code; entering it says (only then) that no locker exists.
      const strangerToken = await post(`${s.issuer}/1/token`, { grant_type: DEVICE, client_id: partner.clientId, device_code: unknown.json.device_code, dl_otp: gateway.latestOtp(stranger) });
      expect(strangerToken.json.error).toBe('invalid_grant');
      const right = gateway.latestOtp(citizen.mobile);
      const wrong = right === '000000' ? '111111' : '000000';
      const tries = [];
      for (let i = 0; i < 3; i++) tries.push(await post(`${s.issuer}/1/token`, { grant_type: DEVICE, client_id: partner.clientId, device_code: known.json.device_code, dl_otp: wrong }));
      expect(tries.map((t) => t.json.error)).toEqual(['otp_error', 'otp_error', 'otp_error']);
      const late = await post(`${s.issuer}/1/token`, { grant_type: DEVICE, client_id: partner.clientId, device_code: known.json.device_code, dl_otp: right });
      expect(late.json.error).toBe('expired_token');
    });

    it('refuses a bad response_type, an unknown client, a code of another partner, and bad input with 4xx codes', async () => {
      const s = get();
      const a = await createPartner(s.t.app);
      const b = await createPartner(s.t.app);
      const citizen = await signUpCitizen(s.t.app, s.t.deps);
      expect((await post(`${s.issuer}/1/code`, { client_id: a.clientId, response_type: 'code', dl_mobile: citizen.mobile })).json.error).toBe('invalid_response_type');
      const unknownClient = await post(`${s.issuer}/1/code`, { client_id: 'OLNOPE', response_type: 'device_code', dl_mobile: citizen.mobile });
      expect(unknownClient.status).toBe(401);
      expect(unknownClient.json.error).toBe('invalid_client_id');
      expect((await post(`${s.issuer}/1/code`, { client_id: a.clientId, response_type: 'device_code', dl_mobile: '12345' })).json.error).toBe('invalid_mobile');
      expect((await post(`${s.issuer}/1/code`, { client_id: a.clientId, response_type: 'device_code' })).json.error).toBe('invalid_parameter');
      const code = await post(`${s.issuer}/1/code`, { client_id: a.clientId, response_type: 'device_code', dl_username: citizen.accountId });
      expect(code.status).toBe(200);
      const stolen = await post(`${s.issuer}/1/token`, { grant_type: DEVICE, client_id: b.clientId, device_code: code.json.device_code, dl_otp: gateway.latestOtp(citizen.mobile) });
      expect(stolen.json.error).toBe('invalid_grant');
      const missing = await post(`${s.issuer}/1/token`, { grant_type: DEVICE, client_id: a.clientId });
      expect(missing.status).toBe(400);
    });
  },
  { env: () => ({ SMS_PROVIDER: 'http', SMS_HTTP_URL: gateway.url }) },
);
