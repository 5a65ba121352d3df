/**
 * The Verhoeff check digit Aadhaar numbers carry in their last position. The sandbox's
 * synthetic Aadhaar numbers pass it (so they exercise real validation) while being
 * obviously test numbers (9999 0000 …).
 */
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** The check digit to append to `digits`. */
export function verhoeffDigit(digits: string): number {
  let c = 0;
  const r = [...digits].reverse();
  for (let i = 0; i < r.length; i++) c = D[c]![P[(i + 1) % 8]![Number(r[i])]!]!;
  return INV[c]!;
}

/** True when `digits` (check digit last) passes the Verhoeff check. */
export function verhoeffValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let c = 0;
  const r = [...digits].reverse();
  for (let i = 0; i < r.length; i++) c = D[c]![P[i % 8]![Number(r[i])]!]!;
  return c === 0;
}

/** A well-formed Aadhaar number: 12 digits, not starting with 0 or 1, Verhoeff-valid. */
export function isAadhaarNumber(s: string): boolean {
  return /^[2-9]\d{11}$/.test(s) && verhoeffValid(s);
}
