/**
 * Aadhaar linking and CBSE pre-provisioning on both stacks, against the sandbox UIDAI and
 * CBSE over real HTTP: a mismatched mobile is refused; a matching one links, stores only a
 * keyed hash and the last 4 digits, shows the verified profile, puts eAadhaar in Issued and
 * makes the driving licence pull use the verified date of birth. A board pre-provisions a
 * student, who signs in with the mobile, an OTP and the last 6 digits of the roll number,
 * must change that PIN before anything else, and finds the documents already issued.
 */
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { latestOtp, requestOtp, randomIp, sessionCookieOf, signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { useSandbox } from '../support/issued.ts';
import { preProvisioningList } from '../../src/sandbox/identities.ts';

const RAHUL = { name: 'Rahul Sharma', mobile: '+919000000002', aadhaar: '999900000028', dob: '1990-07-22' };
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };
const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

describeEachStack('issued documents: Aadhaar linking and CBSE pre-provisioning', (get) => {
  const sandbox = useSandbox(get);
  let rahul: TestCitizen;

  it('refuses to link an Aadhaar whose linked mobile is not the locker’s mobile', async () => {
    const t = get();
    const stranger = await signUpCitizen(t.app, t.deps, { name: 'Rahul Sharma' });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/aadhaar/otp', headers: stranger.headers, payload: { aadhaar: RAHUL.aadhaar } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('aadhaar_mobile_mismatch');
    expect(res.json().error_description).toMatch(/not the mobile number of your locker/);
    const me = await t.app.inject({ url: '/api/v1/me', headers: stranger.headers });
    expect(me.json().aadhaar_linked).toBe(false);
    const page = await t.app.inject({ method: 'GET', url: '/profile/aadhaar', headers: { cookie: stranger.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="aadhaar"');
  });

  it('links Aadhaar with the OTP sent to the Aadhaar-linked mobile; eAadhaar appears in Issued', async () => {
    const t = get();
    // Signed up with a self-declared date of birth that differs from UIDAI's.
    rahul = await signUpCitizen(t.app, t.deps, { mobile: RAHUL.mobile, name: 'Rahul S', dob: '1990-01-01', gender: 'M' });
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/aadhaar/otp', headers: rahul.headers, payload: { aadhaar: '1234' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_uid');
    const otp = await t.app.inject({ method: 'POST', url: '/api/v1/aadhaar/otp', headers: rahul.headers, payload: { aadhaar: '9999 0000 0028' } });
    expect(otp.statusCode, otp.body).toBe(200);
    expect(otp.json().masked_mobile).toBe('XXXXXX0002');
    const code = sandbox().lastOtp(RAHUL.mobile)!;
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/aadhaar/link', headers: rahul.headers, payload: { txn: otp.json().txn, otp: code === '000000' ? '111111' : '000000' } });
    expect(wrong.statusCode).toBe(400);
    // Another account cannot use this account's txn.
    const thief = await signUpCitizen(t.app, t.deps);
    const stolen = await t.app.inject({ method: 'POST', url: '/api/v1/aadhaar/link', headers: thief.headers, payload: { txn: otp.json().txn, otp: code } });
    expect(stolen.statusCode).toBe(410);
    const link = await t.app.inject({ method: 'POST', url: '/api/v1/aadhaar/link', headers: rahul.headers, payload: { txn: otp.json().txn, otp: code } });
    expect(link.statusCode, link.body).toBe(200);
    expect(link.json()).toMatchObject({ name: 'Rahul Sharma', dob: '1990-07-22', gender: 'M', aadhaar_last4: '0028', eaadhaar_uri: expect.stringMatching(/^in\.gov\.uidai-ADHAR-/) });
    const me = await t.app.inject({ url: '/api/v1/me', headers: rahul.headers });
    expect(me.json().aadhaar_linked).toBe(true);
    const items = (await t.app.inject({ url: '/api/v1/issued', headers: rahul.headers })).json().items;
    expect(items).toEqual([expect.objectContaining({ uri: link.json().eaadhaar_uri, issuer_id: 'in.gov.uidai', doctype: 'ADHAR', status: 'issued' })]);
    const pdf = await t.app.inject({ url: `/api/v1/issued/${link.json().eaadhaar_uri}/file`, headers: rahul.headers });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const profile = await t.app.inject({ url: '/profile/aadhaar', headers: { cookie: rahul.cookie } });
    expect(profile.body).toContain('Rahul Sharma');
    expect(profile.body).toContain('XXXX XXXX 0028');
    expect(profile.body).toContain('data:image/jpeg;base64,');
  });

  it('stores the Aadhaar number only as a keyed hash and the last 4 digits, nowhere in clear', async () => {
    const t = get();
    const row = await t.sql.db.selectFrom('aadhaar_links').selectAll().where('account_id', '=', rahul.accountId).executeTakeFirstOrThrow();
    expect(row.uid_last4).toBe('0028');
    expect(row.uid_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(RAHUL.aadhaar);
    const log = await t.deps.activity.list(rahul.accountId, { limit: 20 });
    expect(JSON.stringify(log.items)).not.toContain(RAHUL.aadhaar);
    expect(log.items.find((e) => e.type === 'aadhaar_linked')).toMatchObject({ details: { uid_last4: '0028' } });
  });

  it('the driving licence pull uses the Aadhaar-verified date of birth (the self-declared one would not match)', async () => {
    const t = get();
    const quick = await t.app.inject({ url: '/issued/quick/DRVLC', headers: { cookie: rahul.cookie } });
    expect(quick.statusCode).toBe(303);
    expect(quick.headers.location).toBe('/issuers/in.gov.transport/DRVLC');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/issued/pull', headers: rahul.headers, payload: { issuer_id: 'in.gov.transport', doctype: 'DRVLC', params: { dlno: 'UP7820109990001' } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'issued', uri: 'in.gov.transport-DRVLC-UP7820109990001' });
    const notLinked = await signUpCitizen(t.app, t.deps);
    const q2 = await t.app.inject({ url: '/issued/quick/DRVLC', headers: { cookie: notLinked.cookie } });
    expect(q2.headers.location).toBe('/profile/aadhaar?next=%2Fissuers%2Fin.gov.transport%2FDRVLC');
    const linkPage = await t.app.inject({ url: q2.headers.location as string, headers: { cookie: notLinked.cookie } });
    expect(linkPage.body).toContain('name="next" value="/issuers/in.gov.transport/DRVLC"');
    // Only a path on this site is carried on: not another site, however it is spelled.
    for (const evil of ['%2F%2Fevil.example%2Fx', '/%09/evil.example', 'https%3A%2F%2Fevil.example%2F', '/%5Cevil.example']) {
      const page = await t.app.inject({ url: `/profile/aadhaar?next=${evil}`, headers: { cookie: notLinked.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body, evil).not.toContain('name="next"');
    }
    const dash = await t.app.inject({ url: '/dashboard', headers: { cookie: rahul.cookie } });
    expect(dash.statusCode).toBe(200);
    expect(dash.body).toContain('Get your Digital Driving Licence');
    expect(dash.body).toContain('Ministry of Road Transport and Highways: 1');
  });

  it('a board pre-provisions a student: OTP + last 6 of the roll number, forced PIN change, documents already issued', async () => {
    const t = get();
    const cred = (await t.app.inject({ method: 'POST', url: '/api/v1/admin/issuers/in.gov.cbse/push-credential', headers: ADMIN })).json() as { client_id: string; client_secret: string };
    const ts = String(Math.floor(Date.now() / 1000));
    const student = preProvisioningList(sandbox().store)[0]!;
    const students = [{ mobile: student.mobile, name: student.name, dob: student.dob, gender: student.gender, roll_no: student.roll_no, uris: student.uris }];
    const res = await t.app.inject({ method: 'POST', url: '/public/account/1/provision', payload: { clientid: cred.client_id, ts, hmac: sha(cred.client_secret + cred.client_id + ts), students } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 1, existing: 0, documents: student.uris.length, rejected: [] });
    const again = await t.app.inject({ method: 'POST', url: '/public/account/1/provision', payload: { clientid: cred.client_id, ts, hmac: sha(cred.client_secret + cred.client_id + ts), students } });
    expect(again.json()).toEqual({ created: 0, existing: 1, documents: 0, rejected: [] });

    const mobile = `+91${student.mobile}`;
    const ip = randomIp();
    const challenge = await requestOtp(t.app, mobile, 'login', ip);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { challenge_id: challenge, otp: await latestOtp(t.deps, mobile), pin: student.first_pin } });
    expect(login.statusCode, login.body).toBe(200);
    const headers = { authorization: `Bearer ${login.json().token}` };
    const blocked = await t.app.inject({ url: '/api/v1/issued', headers });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error).toBe('pin_change_required');
    const page = await t.app.inject({ url: '/issued', headers: { cookie: sessionCookieOf(login) } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/profile/pin?required=1');
    const change = await t.app.inject({ method: 'POST', url: '/api/v1/auth/pin/change', headers, payload: { current_pin: student.first_pin, new_pin: '483920' } });
    expect(change.statusCode, change.body).toBe(200);
    const list = await t.app.inject({ url: '/api/v1/issued', headers: { authorization: `Bearer ${change.json().token}` } });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { uri: string }) => i.uri).sort()).toEqual([...student.uris].sort());
  });
});
