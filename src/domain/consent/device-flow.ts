/**
 * DigiLocker's device flow (`POST /public/oauth2/1/code`, then the token endpoint with
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code`, `device_code`, `dl_otp`).
 *
 * Consent: DigiLocker treats the OTP as the citizen's consent. The SMS names the partner
 * and its purpose; typing the code into the partner's device grants the partner's approved
 * scopes (and nothing that needs documents ticked) for the requested or default validity.
 * The consent is recorded like any other (receipt, Connected organisations, revocable) and
 * the citizen gets a second SMS saying what was granted. Device grants get no refresh token.
 *
 * Enumeration: `1/code` answers the same whether or not the number has a locker — the code
 * is sent either way (as sign-in does) and the masked number is derived from the input;
 * only someone holding the phone learns, after the right code, that no locker exists.
 * Tries: 3 wrong codes per device code (the OTP challenge's limit); codes last OTP_TTL.
 */
import crypto from 'node:crypto';
import { generateOtp, hashOtp } from '../accounts/otp-codes.ts';
import { maskMobile, normaliseMobile } from '../accounts/mobile.ts';
import { capHit, resendTooSoon } from '../accounts/request-otp.ts';
import type { Account } from '../accounts/ports.ts';
import { consumeVerifiedOtp, verifyOtp } from '../accounts/verify-otp.ts';
import { AppError } from '../errors.ts';
import type { ConsentDeps } from './deps.ts';
import type { Partner } from './model.ts';
import { consentValidity } from './grant-consent.ts';
import { doctypeOfScope } from './scopes.ts';

const HOUR = 3600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DeviceCodeInput {
  clientId: unknown;
  responseType: unknown;
  dlUsername?: unknown;
  dlMobile?: unknown;
  consentValidTill?: unknown;
  ip: string;
}

export interface DeviceCodeAnswer {
  device_code: string;
  dl_masked_mobile: string;
  dl_masked_email: string;
  expires_in: number;
}

export const invalidClientId = () => new AppError('unauthenticated', 'invalid_client_id', 'The client_id parameter is invalid.');

export function deviceCodeId(deviceCode: string): string {
  return crypto.createHash('sha256').update(deviceCode).digest('hex');
}

/** Scopes a device grant carries: the partner's approved scopes that need no ticked documents. */
export function deviceScopes(p: Pick<Partner, 'scopes'>): string[] {
  return p.scopes.filter((s) => s !== 'offline_access' && s !== 'files.issueddocs' && s !== 'files.uploadeddocs' && !doctypeOfScope(s));
}

async function targetMobile(deps: Pick<ConsentDeps, 'accounts'>, input: DeviceCodeInput): Promise<string> {
  if (input.dlMobile !== undefined && input.dlMobile !== null && input.dlMobile !== '') {
    try {
      return normaliseMobile(String(input.dlMobile));
    } catch {
      throw new AppError('invalid', 'invalid_mobile', 'The dl_mobile parameter is invalid.');
    }
  }
  const u = typeof input.dlUsername === 'string' ? input.dlUsername.trim() : '';
  if (!u) throw new AppError('invalid', 'invalid_parameter', 'Send dl_mobile (the citizen’s mobile number) or dl_username.');
  // This locker has no user names: a DigiLocker id or a mobile number stands for one.
  if (UUID.test(u)) {
    const a = await deps.accounts.findById(u.toLowerCase());
    if (a && a.status === 'active') return a.mobile;
    throw new AppError('invalid', 'invalid_username', 'The dl_username parameter is invalid.');
  }
  try {
    return normaliseMobile(u);
  } catch {
    throw new AppError('invalid', 'invalid_username', 'The dl_username parameter is invalid.');
  }
}

export async function startDeviceAuthorization(deps: Pick<ConsentDeps, 'partners' | 'accounts' | 'otps' | 'devices' | 'sms' | 'counters' | 'clock' | 'otpKey' | 'accountPolicy' | 'policy'>, input: DeviceCodeInput): Promise<DeviceCodeAnswer> {
  if (input.responseType !== 'device_code') throw new AppError('invalid', 'invalid_response_type', 'The response_type parameter must be device_code.');
  const partner = typeof input.clientId === 'string' && input.clientId.length <= 64 ? await deps.partners.get(input.clientId) : null;
  if (!partner || partner.status !== 'approved') throw invalidClientId();
  const now = deps.clock.now();
  const validTill = consentValidity(deps.policy, now, input.consentValidTill);
  const mobile = await targetMobile(deps, input);
  const ap = deps.accountPolicy;
  const nowMs = now.getTime();
  await capHit(deps.counters, `otp-ip:${input.ip}`, ap.otpMaxPerIpHour, HOUR, nowMs, (r) => new AppError('rate_limited', 'otp_limit_reached', 'Too many codes were requested from this network. Try again later.', { retry_after: r }));
  const open = await deps.otps.latestOpen(mobile, 'partner_consent');
  if (open && open.resendAt > nowMs) throw resendTooSoon(Math.ceil((open.resendAt - nowMs) / 1000));
  await capHit(deps.counters, `otp-mobile:${mobile}`, ap.otpMaxPerMobileHour, HOUR, nowMs, (r) => new AppError('rate_limited', 'otp_limit_reached', 'Too many codes were sent to this number. Try again later.', { retry_after: r }));
  const raceKey = `otp-issue:partner_consent:${mobile}`;
  await capHit(deps.counters, raceKey, 1, ap.otpResendMs, nowMs, resendTooSoon);

  const challengeId = crypto.randomUUID();
  const code = generateOtp();
  const deviceCode = crypto.randomBytes(32).toString('base64url');
  await deps.otps.issue({ id: challengeId, purpose: 'partner_consent', mobile, accountId: null, codeHash: hashOtp(deps.otpKey, challengeId, code), createdAt: nowMs, expiresAt: nowMs + ap.otpTtlMs, resendAt: nowMs + ap.otpResendMs, maxAttempts: ap.otpMaxAttempts });
  await deps.devices.create({ id: deviceCodeId(deviceCode), partnerId: partner.id, challengeId, purpose: partner.purpose, scopes: deviceScopes(partner), consentValidTill: validTill.toISOString(), createdAt: nowMs, expiresAt: nowMs + ap.otpTtlMs, ip: input.ip });
  const minutes = Math.round(ap.otpTtlMs / 60_000);
  const text = `${ap.serviceName}: ${code} is your code to let ${partner.name} access your locker (${partner.purpose.slice(0, 80)}). Valid ${minutes} minutes. Share it only if you asked for this.`;
  try {
    await deps.sms.send(mobile, text);
  } catch (err) {
    await deps.otps.delete(challengeId).catch(() => {});
    await deps.counters.reset(raceKey).catch(() => {});
    throw err;
  }
  return { device_code: deviceCode, dl_masked_mobile: maskMobile(mobile).replace('+91 ', '').replace(/\*/g, 'X'), dl_masked_email: '', expires_in: Math.round(ap.otpTtlMs / 1000) };
}

export interface RedeemedDevice {
  account: Account;
  partner: Partner;
  scopes: string[];
  purpose: string;
  validTill: Date;
}

const expiredToken = () => new AppError('invalid', 'expired_token', 'The device code has expired or was already used. Start again with 1/code.');

/** Checks the OTP for a device code and spends both. Throws `otp_error` (wrong code, tries left), `expired_token`, `invalid_grant`. */
export async function redeemDeviceCode(deps: Pick<ConsentDeps, 'partners' | 'accounts' | 'otps' | 'devices' | 'clock' | 'otpKey'>, input: { clientId: string; deviceCode: unknown; otp: unknown }): Promise<RedeemedDevice> {
  if (typeof input.deviceCode !== 'string' || input.deviceCode.length < 20 || input.deviceCode.length > 100) throw new AppError('invalid', 'invalid_grant', 'The device_code is missing or invalid.');
  const id = deviceCodeId(input.deviceCode);
  const req = await deps.devices.get(id);
  if (!req || req.partnerId !== input.clientId) throw new AppError('invalid', 'invalid_grant', 'The device_code is missing or invalid.');
  const nowMs = deps.clock.now().getTime();
  if (req.consumedAt !== null || req.expiresAt <= nowMs) throw expiredToken();
  let challenge;
  try {
    challenge = await verifyOtp(deps, { challengeId: req.challengeId, code: typeof input.otp === 'string' ? input.otp.trim() : String(input.otp ?? ''), purpose: 'partner_consent' });
    challenge = await consumeVerifiedOtp(deps, challenge);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.kind === 'gone') throw expiredToken();
    throw new AppError('invalid', 'otp_error', err.code === 'otp_format' ? 'dl_otp must be the 6-digit code sent to the citizen.' : err.message, err.details?.tries_left !== undefined ? { tries_left: err.details.tries_left } : undefined);
  }
  if (!(await deps.devices.consume(id, nowMs))) throw expiredToken();
  const [account, partner] = await Promise.all([deps.accounts.findByMobile(challenge.mobile), deps.partners.get(req.partnerId)]);
  if (!partner || partner.status !== 'approved') throw invalidClientId();
  if (!account || account.status !== 'active' || account.mustChangePin) {
    throw new AppError('invalid', 'invalid_grant', 'There is no usable locker for this mobile number. The citizen should sign up (or finish setting up their locker) first.');
  }
  return { account, partner, scopes: req.scopes, purpose: req.purpose, validTill: new Date(req.consentValidTill ?? nowMs) };
}

export function deviceGrantedText(service: string, partnerName: string, scopes: string[], validTill: Date, publicUrl: string): string {
  const until = validTill.toISOString().slice(0, 10);
  return `${service}: you allowed ${partnerName} to access your locker (${scopes.join(', ') || 'profile'}) until ${until}. Revoke any time at ${publicUrl}/connected`;
}
