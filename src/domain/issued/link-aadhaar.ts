/**
 * Linking Aadhaar, as DigiLocker does it: the citizen types the Aadhaar number; UIDAI sends
 * an OTP to the Aadhaar-linked mobile, which must be the locker's own mobile; the OTP is
 * verified with eKYC, which returns the verified name, date of birth, gender and photo;
 * the eAadhaar appears in Issued.
 *
 * The Aadhaar number is never stored: only a keyed hash (finds a number linked to another
 * locker) and the last 4 digits. Between the two steps it travels inside the opaque `txn`
 * handed to the client, sealed (AES-GCM, bound to the account) with a 10-minute expiry.
 */
import crypto from 'node:crypto';
import { AppError } from '../errors.ts';
import type { IssuedDeps, Meta } from './deps.ts';

const TXN_TTL_MS = 10 * 60_000;
const TXN_CONTEXT = 'aadhaar-link-txn';

export const EAADHAAR = { issuerId: 'in.gov.uidai', doctype: 'ADHAR', name: 'Aadhaar Card' } as const;

const invalidUid = () => new AppError('invalid', 'invalid_uid', 'An Aadhaar number has 12 digits.', { field: 'aadhaar' });
const unavailable = () => new AppError('unavailable', 'uidai_unavailable', 'Aadhaar verification is not available on this locker right now. Please try again later.');
const mobileMismatch = () =>
  new AppError(
    'forbidden',
    'aadhaar_mobile_mismatch',
    'The mobile number linked with this Aadhaar is not the mobile number of your locker. Link Aadhaar from the locker that uses the Aadhaar-linked mobile, or update your mobile number with UIDAI first.',
  );
const badTxn = () => new AppError('gone', 'txn_expired', 'This Aadhaar verification has expired. Start again and request a new OTP.');

export function aadhaarHash(uidKey: Buffer, uid: string): string {
  return crypto.createHmac('sha256', uidKey).update(uid, 'utf8').digest('hex');
}

function cleanUid(raw: unknown): string {
  const uid = typeof raw === 'string' ? raw.replace(/[\s-]/g, '') : '';
  if (!/^\d{12}$/.test(uid)) throw invalidUid();
  return uid;
}

export async function requestAadhaarOtp(deps: Pick<IssuedDeps, 'accounts' | 'aadhaar' | 'ekyc' | 'pushSecrets' | 'clock' | 'uidKey'>, input: { accountId: string; aadhaar: unknown }): Promise<{ txn: string; maskedMobile: string; expiresIn: number }> {
  const uid = cleanUid(input.aadhaar);
  const account = await deps.accounts.findById(input.accountId);
  if (!account) throw new AppError('not_found', 'not_found', 'The account was not found.');
  const ekyc = await deps.ekyc();
  if (!ekyc) throw unavailable();
  const otp = await ekyc.requestOtp(uid);
  // The masked number already tells whether the Aadhaar-linked mobile can be this locker's.
  if (otp.maskedMobile.slice(-4) !== account.mobile.slice(-4)) throw mobileMismatch();
  const sealed = deps.pushSecrets.seal(Buffer.from(JSON.stringify({ t: otp.txn, u: uid, e: deps.clock.now().getTime() + TXN_TTL_MS })), `${TXN_CONTEXT}:${input.accountId}`);
  return { txn: sealed, maskedMobile: otp.maskedMobile, expiresIn: otp.expiresIn };
}

export async function linkAadhaar(
  deps: Pick<IssuedDeps, 'accounts' | 'aadhaar' | 'ekyc' | 'pushSecrets' | 'clock' | 'uidKey' | 'docs' | 'activity'>,
  input: { accountId: string; txn: unknown; otp: unknown; meta: Meta },
): Promise<{ name: string; dob: string; gender: string; uidLast4: string; eaadhaarUri: string }> {
  if (typeof input.txn !== 'string' || input.txn.length > 2000) throw badTxn();
  let state: { t: string; u: string; e: number };
  try {
    state = JSON.parse(deps.pushSecrets.open(input.txn, `${TXN_CONTEXT}:${input.accountId}`).toString('utf8')) as typeof state;
  } catch {
    throw badTxn();
  }
  if (state.e < deps.clock.now().getTime()) throw badTxn();
  const otp = typeof input.otp === 'string' ? input.otp.trim() : '';
  if (!/^\d{6}$/.test(otp)) throw new AppError('invalid', 'otp_invalid', 'The OTP has 6 digits.', { field: 'otp' });
  const account = await deps.accounts.findById(input.accountId);
  if (!account) throw new AppError('not_found', 'not_found', 'The account was not found.');
  const ekyc = await deps.ekyc();
  if (!ekyc) throw unavailable();
  const kyc = await ekyc.verifyOtp(state.t, otp);
  const linked = kyc.mobile ?? null;
  if (linked ? linked.slice(-10) !== account.mobile.slice(-10) : kyc.maskedMobile.slice(-4) !== account.mobile.slice(-4)) throw mobileMismatch();
  const now = deps.clock.now();
  await deps.aadhaar.save({
    accountId: input.accountId,
    uidHash: aadhaarHash(deps.uidKey, state.u),
    uidLast4: state.u.slice(-4),
    name: kyc.name,
    dob: kyc.dob,
    gender: kyc.gender,
    photo: kyc.photo.length ? kyc.photo.toString('base64') : null,
    address: { careOf: kyc.careOf, ...kyc.address },
    eaadhaarUri: kyc.eaadhaarUri,
    linkedAt: now.toISOString(),
  });
  await deps.accounts.setAadhaarLinked(input.accountId, true, now);
  await deps.docs.save({ accountId: input.accountId, uri: kyc.eaadhaarUri, issuerId: EAADHAAR.issuerId, doctype: EAADHAAR.doctype, name: EAADHAAR.name, issuedOn: now.toISOString().slice(0, 10), source: 'aadhaar' }, now);
  await deps.activity.append({
    accountId: input.accountId,
    type: 'aadhaar_linked',
    actor: { kind: 'citizen', id: input.accountId, name: kyc.name },
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    subject: { kind: 'issued_document', id: kyc.eaadhaarUri, name: EAADHAAR.name },
    details: { uid_last4: state.u.slice(-4) },
  });
  return { name: kyc.name, dob: kyc.dob, gender: kyc.gender, uidLast4: state.u.slice(-4), eaadhaarUri: kyc.eaadhaarUri };
}
