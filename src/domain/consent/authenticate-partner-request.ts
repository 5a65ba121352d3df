/**
 * Partner client authentication for DigiLocker's meta APIs (`1/pull/issuers|doctype|
 * parameters`): form fields `clientid`, `ts` (UNIX seconds) and `hmac` = hex SHA-256 of
 * client_secret + clientid + ts. Rules (DigiLocker's codes):
 * - `ts` must be within 30 minutes of now (`invalid_parameter` otherwise). The spec says
 *   "UNIX time in IST", which some clients implement by adding 5h30m: both readings are
 *   accepted, each within the same window.
 * - an unknown, pending, suspended or revoked client is `invalid_client_id` (401);
 * - a wrong hash is `hmac_mismatch` (401), compared in constant time.
 */
import { hexHashMatches, partnerRequestHash } from '../../crypto/partner-secret.ts';
import { AppError } from '../errors.ts';
import type { ConsentDeps } from './deps.ts';
import { invalidClientId } from './device-flow.ts';
import type { Partner } from './model.ts';

const WINDOW_S = 30 * 60;
const IST_OFFSET_S = 5.5 * 3600;

export async function authenticatePartnerRequest(deps: Pick<ConsentDeps, 'partners' | 'secretBox' | 'clock'>, body: { clientid?: unknown; ts?: unknown; hmac?: unknown } | null | undefined): Promise<Partner> {
  // No body at all (a bare POST) is a request without credentials, not a crash.
  const f = typeof body === 'object' && body !== null ? body : {};
  const missing: string[] = [];
  if (typeof f.ts !== 'string' || !/^\d{9,11}$/.test(f.ts)) missing.push('Timestamp parameter is missing or invalid');
  if (typeof f.hmac !== 'string' || f.hmac === '') missing.push('HMAC parameter is missing or invalid');
  if (typeof f.clientid !== 'string' || f.clientid === '' || f.clientid.length > 64) throw invalidClientId();
  if (missing.length) throw new AppError('invalid', 'invalid_parameter', missing.join('; ') + '.');
  const nowS = Math.floor(deps.clock.now().getTime() / 1000);
  const ts = Number(f.ts);
  if (Math.abs(nowS - ts) > WINDOW_S && Math.abs(nowS + IST_OFFSET_S - ts) > WINDOW_S) {
    throw new AppError('invalid', 'invalid_parameter', 'Timestamp parameter is missing or invalid: it must be within 30 minutes of now.');
  }
  const partner = await deps.partners.get(f.clientid);
  if (!partner || partner.status !== 'approved' || !partner.secretSealed) throw invalidClientId();
  const secret = deps.secretBox.open(partner.secretSealed, partner.id).toString('utf8');
  if (!hexHashMatches(f.hmac as string, partnerRequestHash(secret, partner.id, f.ts as string))) {
    throw new AppError('unauthenticated', 'hmac_mismatch', 'The hmac does not match: it must be the hex SHA-256 of client_secret + clientid + ts.');
  }
  return partner;
}
