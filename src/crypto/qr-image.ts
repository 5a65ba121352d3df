/**
 * Finds QR codes in a photo or scan (PNG or JPEG) with ZXing-C++ compiled to WebAssembly
 * (zxing-wasm), which decodes the image itself and copes with perspective, blur and
 * large camera photos. The .wasm file is read from node_modules: nothing is fetched.
 *
 * Image dimensions are read from the header first and anything over MAX_PIXELS is
 * refused, so a small file that claims a huge image cannot exhaust memory.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let reader: Promise<typeof import('zxing-wasm/reader')> | null = null;

/** zxing-wasm, loaded and given its wasm binary on the first image (not at start-up). */
function prepare(): Promise<typeof import('zxing-wasm/reader')> {
  reader ??= import('zxing-wasm/reader').then((m) => {
    m.prepareZXingModule({ overrides: { wasmBinary: fs.readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')) as unknown as ArrayBuffer } });
    return m;
  });
  return reader;
}

export const MAX_PIXELS = 50_000_000;

/** Width and height from a PNG or JPEG header; null when neither or malformed. */
export function imageDimensions(b: Buffer): { width: number; height: number; type: 'png' | 'jpeg' } | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') {
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), type: 'png' };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return null;
      const marker = b[i + 1]!;
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
        i += marker === 0xff ? 1 : 2;
        continue;
      }
      const len = b.readUInt16BE(i + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7), type: 'jpeg' };
      }
      i += 2 + len;
    }
  }
  return null;
}

export type QrImageOutcome = { ok: true; texts: string[] } | { ok: false; reason: 'not_an_image' | 'too_large' | 'no_qr' };

/** The texts of the QR codes in the image, best first. */
export async function readQrCodes(image: Buffer): Promise<QrImageOutcome> {
  const dims = imageDimensions(image);
  if (!dims || dims.width === 0 || dims.height === 0) return { ok: false, reason: 'not_an_image' };
  if (dims.width * dims.height > MAX_PIXELS) return { ok: false, reason: 'too_large' };
  const { readBarcodes } = await prepare();
  let results;
  try {
    results = await readBarcodes(new Uint8Array(image), { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
  } catch {
    return { ok: false, reason: 'not_an_image' };
  }
  const texts = results.filter((r) => r.isValid && r.text).map((r) => r.text);
  return texts.length ? { ok: true, texts } : { ok: false, reason: 'no_qr' };
}
