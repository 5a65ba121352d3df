/** Checks on what a citizen tells us about themselves: name, date of birth, gender, email. */
import { AppError } from '../errors.ts';
import type { Gender } from './ports.ts';

export function normaliseName(input: unknown): string {
  const name = typeof input === 'string' ? input.normalize('NFC').replace(/\s+/g, ' ').trim() : '';
  // Letters of any script, combining marks (Devanagari vowel signs), spaces, . ' -
  if (name.length < 1 || name.length > 100 || !/^[\p{L}\p{M}][\p{L}\p{M} .'-]*$/u.test(name)) {
    throw new AppError('invalid', 'invalid_name', 'Enter your name as it appears on your documents (letters, spaces, . \' and -, up to 100 characters).', { field: 'name' });
  }
  return name;
}

/** YYYY-MM-DD, a real calendar date, not in the future, not before 1900. */
export function normaliseDob(input: unknown, today: Date): string {
  const bad = () => new AppError('invalid', 'invalid_dob', 'Enter your date of birth as a real date (year, month, day), not in the future.', { field: 'dob' });
  if (typeof input !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(input)) throw bad();
  const d = new Date(`${input}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== input) throw bad();
  if (input < '1900-01-01' || input > today.toISOString().slice(0, 10)) throw bad();
  return input;
}

export function normaliseGender(input: unknown): Gender {
  if (input === 'M' || input === 'F' || input === 'T') return input;
  throw new AppError('invalid', 'invalid_gender', 'Choose a gender: M (male), F (female) or T (transgender).', { field: 'gender' });
}

/** Lower-cased address, or null for empty input. Deliberately simple: the real check is an emailed code. */
export function normaliseEmail(input: unknown): string | null {
  if (input === undefined || input === null || input === '') return null;
  const email = typeof input === 'string' ? input.trim().toLowerCase() : '';
  if (email === '') return null;
  if (email.length > 254 || !/^[^\s@<>"(),;:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(email)) {
    throw new AppError('invalid', 'invalid_email', 'Enter an email address like name@example.in, or leave it empty.', { field: 'email' });
  }
  return email;
}
