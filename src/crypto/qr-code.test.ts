import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jwsToQrText, QR_PREFIX, qrMatrix, qrTextToJws } from './qr-code.ts';

describe('QR text encoding', () => {
  it('round-trips any compact JWS through digits', () => {
    const b64 = fc.stringMatching(/^[A-Za-z0-9_-]{1,200}$/);
    fc.assert(
      fc.property(b64, b64, b64, (h, p, s) => {
        const jws = `${h}.${p}.${s}`;
        const text = jwsToQrText(jws);
        expect(text.startsWith(QR_PREFIX)).toBe(true);
        expect(/^\d+$/.test(text.slice(QR_PREFIX.length))).toBe(true);
        expect(qrTextToJws(text)).toBe(jws);
      }),
    );
  });

  it('never throws on arbitrary text, and accepts only what decodes to a compact JWS', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const r = qrTextToJws(s);
      if (r !== null) expect(r.split('.')).toHaveLength(3);
    }));
    expect(qrTextToJws('OL1:/999')).toBeNull();
    expect(qrTextToJws('OL1:/99')).toBeNull();
    expect(qrTextToJws('ol1:/' + jwsToQrText('a.b.c').slice(5))).toBe('a.b.c');
    expect(qrTextToJws(`OL1:/${'1'.repeat(9000)}`)).toBeNull();
  });

  it('fits a typical document QR in a version a phone reads from print (≤ 25 at level M)', () => {
    const m = qrMatrix(jwsToQrText(`${'A'.repeat(60)}.${'B'.repeat(330)}.${'C'.repeat(86)}`));
    expect(m.version).toBeLessThanOrEqual(25);
    expect(m.size).toBe(17 + 4 * m.version);
  });
});
