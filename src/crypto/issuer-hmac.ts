/**
 * `x-digilocker-hmac`: HMAC-SHA256 of the raw request body, keyed with the API key the
 * issuer configured. The spec says "converted to Base64"; two production issuers verify
 * Base64 of the lower-case hex digest instead (DIGILOCKER-APIS.md §3.1). The locker sends
 * one form (per issuer, default base64-hex); a verifier accepts either.
 */
import crypto from 'node:crypto';
import type { HmacEncoding } from '../domain/issuers/model.ts';

export const HMAC_HEADER = 'x-digilocker-hmac';

export function issuerHmac(body: Buffer | string, key: Buffer | string, encoding: HmacEncoding): string {
  const mac = crypto.createHmac('sha256', key).update(body);
  return encoding === 'base64-raw' ? mac.digest('base64') : Buffer.from(mac.digest('hex'), 'utf8').toString('base64');
}

/**
 * True when `header` is the HMAC of `body` under `key` in either encoding. Compares in
 * constant time (per candidate); whitespace around the header is ignored.
 */
export function verifyIssuerHmac(body: Buffer | string, key: Buffer | string, header: string | undefined): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header.trim(), 'utf8');
  if (given.length === 0 || given.length > 128) return false;
  let ok = false;
  for (const enc of ['base64-raw', 'base64-hex'] as const) {
    const expected = Buffer.from(issuerHmac(body, key, enc), 'utf8');
    if (expected.length === given.length && crypto.timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
