/**
 * The QR code's text: a compact JWS (header.payload.signature, base64url) written as
 * digits the way SMART Health Cards do — each base64url character becomes two decimal
 * digits (its code minus 45) — behind the prefix `OL1:/`. The prefix is in QR
 * alphanumeric mode and the digits in numeric mode (3.3 bits a character instead of 8),
 * so the code stays small enough for a phone camera and a printed page, and any standard
 * reader (zbarimg, ZXing, a phone's camera app) returns it as plain ASCII text: Hindi
 * names travel inside the signed, compressed payload and come out byte-exact.
 */
import QRCode from 'qrcode';

export const QR_PREFIX = 'OL1:/';
/** Error correction M (15%): survives a crease or a smudge on a printed page. */
export const QR_ERROR_CORRECTION = 'M' as const;
const MAX_QR_TEXT = 8_000;

export function jwsToQrText(jws: string): string {
  let digits = '';
  for (let i = 0; i < jws.length; i++) {
    const c = jws.charCodeAt(i) - 45;
    if (c < 0 || c > 77) throw new Error('not a compact JWS');
    digits += c < 10 ? `0${c}` : String(c);
  }
  return QR_PREFIX + digits;
}

/** The compact JWS inside a QR text (also accepts a bare compact JWS); null when it is neither. */
export function qrTextToJws(text: string): string | null {
  const t = text.trim();
  if (t.length > MAX_QR_TEXT) return null;
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(t)) return t;
  const prefix = t.slice(0, QR_PREFIX.length).toUpperCase();
  if (prefix !== QR_PREFIX) return null;
  const digits = t.slice(QR_PREFIX.length);
  if (!/^\d+$/.test(digits) || digits.length % 2) return null;
  const codes = Buffer.allocUnsafe(digits.length / 2);
  for (let i = 0; i < codes.length; i++) {
    const c = (digits.charCodeAt(2 * i) - 48) * 10 + (digits.charCodeAt(2 * i + 1) - 48);
    if (c > 77) return null;
    codes[i] = c + 45;
  }
  const out = codes.toString('latin1');
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(out) ? out : null;
}

function segments(qrText: string): QRCode.QRCodeSegment[] {
  return [
    { data: qrText.slice(0, QR_PREFIX.length), mode: 'alphanumeric' },
    { data: qrText.slice(QR_PREFIX.length), mode: 'numeric' },
  ];
}

export interface QrMatrix {
  size: number;
  version: number;
  /** Row-major, true = dark module. */
  isDark(row: number, col: number): boolean;
}

export function qrMatrix(qrText: string): QrMatrix {
  const qr = QRCode.create(segments(qrText), { errorCorrectionLevel: QR_ERROR_CORRECTION });
  const { size, data } = qr.modules;
  return { size, version: qr.version, isDark: (r, c) => Boolean(data[r * size + c]) };
}

/** A PNG of the QR code (quiet zone of 4 modules), for pages and tests. */
export function qrPng(qrText: string, scale = 6): Promise<Buffer> {
  return QRCode.toBuffer(segments(qrText), { errorCorrectionLevel: QR_ERROR_CORRECTION, margin: 4, scale });
}
