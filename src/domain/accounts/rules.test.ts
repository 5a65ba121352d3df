import { describe, expect, it } from 'vitest';
import { maskMobile, normaliseMobile } from './mobile.ts';
import { assertAcceptablePin, weakPinReason } from './pin-policy.ts';
import { normaliseDob, normaliseEmail, normaliseName } from './profile-rules.ts';
import { generateOtp, hashOtp, otpMatches } from './otp-codes.ts';

describe('mobile numbers', () => {
  it('accepts the ways people type an Indian mobile, and stores E.164', () => {
    for (const typed of ['9876543210', '98765 43210', '+91 98765-43210', '+919876543210', '919876543210', '09876543210', '0091 9876543210', ' (987) 654-3210 ']) {
      expect(normaliseMobile(typed), typed).toBe('+919876543210');
    }
  });
  it('refuses anything else', () => {
    for (const bad of ['', '5876543210', '987654321', '98765432100', '+1 4155550100', '+92 9876543210', '98765abcde', '९८७६५४३२१०', null, 9876543210, 'x'.repeat(100)]) {
      expect(() => normaliseMobile(bad), String(bad)).toThrow(expect.objectContaining({ code: 'invalid_mobile' }));
    }
  });
  it('masks all but the last 4 digits', () => {
    expect(maskMobile('+919876543210')).toBe('+91 ******3210');
  });
});

describe('security PIN rules', () => {
  it('names why a PIN is weak', () => {
    const ctx = { dob: '1990-04-12', mobile: '+919876543210' };
    expect(weakPinReason('000000', ctx)).toBe('repeated');
    expect(weakPinReason('123456', ctx)).toBe('sequence');
    expect(weakPinReason('654321', ctx)).toBe('sequence');
    expect(weakPinReason('890123', ctx)).toBe('sequence');
    expect(weakPinReason('121212', ctx)).toBe('pattern');
    expect(weakPinReason('456456', ctx)).toBe('pattern');
    for (const dob of ['120490', '041290', '900412', '199004', '041990', '120419']) expect(weakPinReason(dob, ctx), dob).toBe('date_of_birth');
    expect(weakPinReason('543210', { mobile: '+919876543210' })).toBe('sequence');
    expect(weakPinReason('643210', { mobile: '+919876643210' })).toBe('mobile');
    expect(weakPinReason('583914', ctx)).toBeNull();
  });
  it('refuses non-digits and wrong lengths', () => {
    for (const bad of ['12345', '1234567', '12 456', '१२३४५६', 123456, undefined]) {
      expect(() => assertAcceptablePin(bad, {}), String(bad)).toThrow(expect.objectContaining({ code: 'pin_format' }));
    }
  });
});

describe('profile rules', () => {
  const today = new Date('2026-01-01T00:00:00Z');
  it('names in any script, tidied', () => {
    expect(normaliseName('  asha   devi ')).toBe('asha devi');
    expect(normaliseName('मीरा नायर')).toBe('मीरा नायर');
    expect(normaliseName("D'Souza-Rao Jr.")).toBe("D'Souza-Rao Jr.");
    for (const bad of ['', ' ', '<script>', 'a'.repeat(101), '1234', 'Asha\u202eDevi', null]) expect(() => normaliseName(bad), String(bad)).toThrow(expect.objectContaining({ code: 'invalid_name' }));
  });
  it('real past dates only', () => {
    expect(normaliseDob('2000-02-29', today)).toBe('2000-02-29');
    for (const bad of ['1999-02-29', '2026-01-02', '1899-12-31', '2000-13-01', '01-02-2000', '2000-1-1']) expect(() => normaliseDob(bad, today), bad).toThrow(expect.objectContaining({ code: 'invalid_dob' }));
  });
  it('emails lower-cased, empty means none', () => {
    expect(normaliseEmail(' A@Example.IN ')).toBe('a@example.in');
    expect(normaliseEmail('')).toBeNull();
    for (const bad of ['a@b', 'a b@example.in', '<a@example.in>', 'a@-example.in']) expect(() => normaliseEmail(bad), bad).toThrow(expect.objectContaining({ code: 'invalid_email' }));
  });
});

describe('OTP codes', () => {
  it('are 6 digits, uniformly spread, and only their keyed hash is kept', () => {
    const codes = Array.from({ length: 2000 }, generateOtp);
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    const firstDigits = new Set(codes.map((c) => c[0]));
    expect(firstDigits.size).toBe(10);
    const key = Buffer.alloc(32, 1);
    const h = hashOtp(key, 'challenge-1', '123456');
    expect(h).not.toContain('123456');
    expect(otpMatches(key, 'challenge-1', '123456', h)).toBe(true);
    expect(otpMatches(key, 'challenge-2', '123456', h)).toBe(false);
    expect(otpMatches(Buffer.alloc(32, 2), 'challenge-1', '123456', h)).toBe(false);
  });
});
