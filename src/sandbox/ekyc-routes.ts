/**
 * The sandbox UIDAI's eKYC API, simplified to JSON (the real one is signed XML with
 * encrypted PID blocks): request an OTP for an Aadhaar number — sent by SMS to the
 * Aadhaar-linked mobile — then verify it to receive the resident's name, date of birth,
 * gender, address and photo, and the URI of their eAadhaar.
 *
 *   POST /uidai/ekyc/otp     {"uid": "999900000016"}           → {txn, masked_mobile, expires_in}
 *   POST /uidai/ekyc/verify  {"txn": "…", "otp": "123456"}      → {name, dob, gender, address, photo, eaadhaar_uri, …}
 *
 * Requests are authenticated like Issuer API calls: `x-digilocker-hmac` over the raw body
 * with the UIDAI issuer's key. Responses carry the same header over their body, so the
 * locker can tell an answer came from the sandbox UIDAI. OTPs: 6 digits from a CSPRNG,
 * stored hashed, valid 10 minutes, single use, 3 wrong tries; 5 requests per number per
 * 15 minutes.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/clock.ts';
import { HMAC_HEADER, issuerHmac, verifyIssuerHmac } from '../crypto/issuer-hmac.ts';
import { isAadhaarNumber } from './verhoeff.ts';
import { sandboxPhoto } from './documents.ts';
import { eaadhaarDocId } from './seed/records.ts';
import type { SandboxStore } from './store.ts';

export const UIDAI_ID = 'in.gov.uidai';
const OTP_REQUESTS_PER_WINDOW = 5;
const WINDOW_MS = 15 * 60_000;

export interface EkycDeps {
  store: SandboxStore;
  clock: Clock;
  sendSms: (to: string, message: string) => Promise<void> | void;
  otpTtlMs: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

export function registerEkycRoutes(app: FastifyInstance, deps: EkycDeps): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (req, body, done) => {
    (req as FastifyRequest).rawBody = body as Buffer;
    try {
      done(null, (body as Buffer).length ? JSON.parse((body as Buffer).toString('utf8')) : {});
    } catch {
      done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400 }), undefined);
    }
  });

  const send = (reply: FastifyReply, status: number, body: Record<string, unknown>) => {
    const text = JSON.stringify(body);
    return reply.code(status).header(HMAC_HEADER, issuerHmac(text, deps.store.issuerKey(UIDAI_ID), 'base64-raw')).type('application/json; charset=utf-8').send(text);
  };
  const fail = (reply: FastifyReply, status: number, error: string, description: string, extra: Record<string, unknown> = {}) => send(reply, status, { error, error_description: description, ...extra });
  const authentic = (req: FastifyRequest) => verifyIssuerHmac(req.rawBody ?? Buffer.alloc(0), deps.store.issuerKey(UIDAI_ID), req.headers[HMAC_HEADER] as string | undefined);

  app.post('/uidai/ekyc/otp', async (req, reply) => {
    if (!authentic(req)) return fail(reply, 401, 'hmac_mismatch', `${HMAC_HEADER} is missing or wrong for the UIDAI key.`);
    const uid = String((req.body as { uid?: unknown } | undefined)?.uid ?? '').replace(/\s/g, '');
    if (!/^\d{12}$/.test(uid)) return fail(reply, 400, 'invalid_uid', 'An Aadhaar number has 12 digits.');
    if (!isAadhaarNumber(uid)) return fail(reply, 400, 'invalid_uid', 'That is not a valid Aadhaar number (check the digits).');
    const person = deps.store.personByAadhaar(uid);
    if (!person) return fail(reply, 404, 'aadhaar_not_found', 'No resident with this Aadhaar number exists in the sandbox. See the demo identities.');
    const now = deps.clock.now().getTime();
    if (deps.store.otpRequestsSince(uid, now - WINDOW_MS) >= OTP_REQUESTS_PER_WINDOW) {
      return fail(reply, 429, 'rate_limited', 'Too many OTP requests for this Aadhaar number. Try again in 15 minutes.', { retry_after: WINDOW_MS / 1000 });
    }
    const otp = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    const txn = deps.store.createOtp(uid, otp, deps.otpTtlMs, now);
    const minutes = Math.round(deps.otpTtlMs / 60_000);
    await deps.sendSms(`+91${person.mobile}`, `${otp} is the OTP for Aadhaar eKYC (XXXX XXXX ${uid.slice(-4)}) requested by OpenLocker. Valid ${minutes} minutes. Do not share it with anyone. -UIDAI (sandbox)`);
    return send(reply, 200, { txn, masked_mobile: `XXXXXX${person.mobile.slice(-4)}`, expires_in: Math.round(deps.otpTtlMs / 1000) });
  });

  app.post('/uidai/ekyc/verify', async (req, reply) => {
    if (!authentic(req)) return fail(reply, 401, 'hmac_mismatch', `${HMAC_HEADER} is missing or wrong for the UIDAI key.`);
    const body = (req.body ?? {}) as { txn?: unknown; otp?: unknown };
    const txn = String(body.txn ?? '');
    const otp = String(body.otp ?? '');
    if (!/^[0-9a-f-]{36}$/.test(txn)) return fail(reply, 400, 'invalid_txn', 'txn must be the value the OTP request returned.');
    if (!/^\d{6}$/.test(otp)) return fail(reply, 400, 'otp_invalid', 'The OTP has 6 digits.');
    const check = deps.store.checkOtp(txn, otp, deps.clock.now().getTime());
    if (!check.ok) {
      switch (check.reason) {
        case 'unknown':
          return fail(reply, 404, 'invalid_txn', 'No OTP was requested with this txn.');
        case 'expired':
          return fail(reply, 410, 'otp_expired', 'The OTP has expired. Request a new one.');
        case 'used':
          return fail(reply, 410, 'otp_used', 'This OTP was already used. Request a new one.');
        case 'locked':
          return fail(reply, 429, 'otp_attempts_exceeded', 'Too many wrong OTPs. Request a new one.');
        default:
          return fail(reply, 400, 'otp_invalid', 'The OTP is not correct.', { tries_left: check.triesLeft });
      }
    }
    const p = deps.store.personByAadhaar(check.aadhaar)!;
    return send(reply, 200, {
      uid_last4: check.aadhaar.slice(-4),
      name: p.name,
      name_hi: p.nameHi,
      dob: p.dob,
      gender: p.gender,
      care_of: p.fatherName,
      address: p.address,
      masked_mobile: `XXXXXX${p.mobile.slice(-4)}`,
      // The Aadhaar-linked mobile (UIDAI's eKYC Poi carries `phone`): the locker checks it is the account's.
      mobile: p.mobile,
      photo: sandboxPhoto(p.photo).toString('base64'),
      eaadhaar_uri: `${UIDAI_ID}-ADHAR-${eaadhaarDocId(check.aadhaar)}`,
      sandbox: true,
    });
  });
}
