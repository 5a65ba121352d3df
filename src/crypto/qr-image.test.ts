import { describe, expect, it } from 'vitest';
import { qrPng } from './qr-code.ts';
import { imageDimensions, readQrCodes } from './qr-image.ts';

describe('QR codes in images', () => {
  it('reads PNG and JPEG dimensions from headers, refusing other bytes', async () => {
    const png = await qrPng('OL1:/0102', 2);
    expect(imageDimensions(png)).toMatchObject({ type: 'png' });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0, 0, 0, 0, 0, 0]);
    expect(imageDimensions(jpeg)).toEqual({ type: 'jpeg', width: 640, height: 480 });
    expect(imageDimensions(Buffer.from('hello world, not an image'))).toBeNull();
  });

  it('finds the QR text in a PNG; says so when there is none or the image is absurdly large', async () => {
    expect(await readQrCodes(await qrPng('OL1:/0102030405', 4))).toEqual({ ok: true, texts: ['OL1:/0102030405'] });
    const bomb = await qrPng('OL1:/01', 1);
    bomb.writeUInt32BE(60_000, 16);
    bomb.writeUInt32BE(60_000, 20);
    expect(await readQrCodes(bomb)).toEqual({ ok: false, reason: 'too_large' });
    expect(await readQrCodes(Buffer.from('nope'))).toEqual({ ok: false, reason: 'not_an_image' });
  });
});
