/**
 * Indian mobile numbers: accepted as typed by people (spaces, dashes, a leading 0, +91 or
 * 91), stored in E.164 (`+91` and 10 digits starting 6–9), shown masked.
 */
import { AppError } from '../errors.ts';

const MOBILE = /^[6-9]\d{9}$/;

export function invalidMobile(): AppError {
  return new AppError('invalid', 'invalid_mobile', 'Enter a 10-digit Indian mobile number, for example 98765 43210.', { field: 'mobile' });
}

/** `+91XXXXXXXXXX`, or throws AppError `invalid_mobile`. */
export function normaliseMobile(input: unknown): string {
  if (typeof input !== 'string' || input.length > 32) throw invalidMobile();
  let digits = input.trim().replace(/[\s\-().]/g, '');
  if (digits.startsWith('+91')) digits = digits.slice(3);
  else if (digits.startsWith('0091')) digits = digits.slice(4);
  else if (digits.length === 12 && digits.startsWith('91')) digits = digits.slice(2);
  else if (digits.length === 11 && digits.startsWith('0')) digits = digits.slice(1);
  if (!MOBILE.test(digits)) throw invalidMobile();
  return `+91${digits}`;
}

/** `+91 ******3210`: enough to recognise one's own number, not enough to learn someone's. */
export function maskMobile(e164: string): string {
  const last4 = e164.slice(-4);
  return `+91 ******${last4}`;
}
