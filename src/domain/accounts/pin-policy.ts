/**
 * Security PIN rules: exactly 6 ASCII digits, and not trivially guessable — not one digit
 * repeated, not a run up or down (123456, 987654, also wrapping 890123), not a repeated
 * pair or triple (121212, 123123), not the date of birth in any common 6-digit form, and
 * not the last 6 digits of the mobile number.
 */
import { AppError } from '../errors.ts';

export function pinFormatError(field = 'pin'): AppError {
  return new AppError('invalid', 'pin_format', 'The security PIN must be exactly 6 digits.', { field });
}

export function isPinFormat(pin: unknown): pin is string {
  return typeof pin === 'string' && /^[0-9]{6}$/.test(pin);
}

export type WeakPinReason = 'repeated' | 'sequence' | 'pattern' | 'date_of_birth' | 'mobile';

export function weakPinReason(pin: string, ctx: { dob?: string | null; mobile?: string | null }): WeakPinReason | null {
  if (/^(\d)\1{5}$/.test(pin)) return 'repeated';
  const d = [...pin].map(Number);
  const steps = d.slice(1).map((x, i) => (x - d[i]! + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequence';
  if (/^(\d\d)\1\1$/.test(pin) || /^(\d\d\d)\1$/.test(pin)) return 'pattern';
  if (ctx.dob && dobForms(ctx.dob).includes(pin)) return 'date_of_birth';
  if (ctx.mobile && ctx.mobile.endsWith(pin)) return 'mobile';
  return null;
}

function dobForms(dob: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dob);
  if (!m) return [];
  const [, yyyy, mm, dd] = m as unknown as [string, string, string, string];
  const yy = yyyy.slice(2);
  return [dd + mm + yy, mm + dd + yy, yy + mm + dd, yyyy + mm, mm + yyyy, dd + mm + yyyy.slice(0, 2), yy + dd + mm];
}

/** Throws `pin_format` or `pin_weak` (with the reason) for a PIN a citizen tries to set. */
export function assertAcceptablePin(pin: unknown, ctx: { dob?: string | null; mobile?: string | null }, field = 'pin'): asserts pin is string {
  if (!isPinFormat(pin)) throw pinFormatError(field);
  const reason = weakPinReason(pin, ctx);
  if (reason) {
    const why: Record<WeakPinReason, string> = {
      repeated: 'it repeats one digit',
      sequence: 'its digits run in sequence',
      pattern: 'it repeats a short pattern',
      date_of_birth: 'it is your date of birth',
      mobile: 'it is the end of your mobile number',
    };
    throw new AppError('invalid', 'pin_weak', `This PIN is too easy to guess: ${why[reason]}. Choose 6 digits that others cannot guess.`, { field, reason });
  }
}
