/**
 * Previews of uploaded documents (both stacks): small JPEGs made on the server for the
 * list and a document's page — photos through sharp with their metadata dropped, PDFs'
 * first page through pdftoppm — cached by the browser (ETag, 304), never a 5xx for a
 * damaged file or a decompression bomb (a neutral placeholder instead), never another
 * citizen's, and not counted as views of the document.
 */
import zlib from 'node:zlib';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { samplePdf, samplePng, upload } from '../support/uploads.ts';
import { createPreviewMaker } from '../../src/rendering/previews.ts';

/**
 * A PNG of width × height pixels: with `valid`, real 1-bit image data (a few KB for 64 M
 * pixels — a decompression bomb); otherwise one tiny data chunk that does not fit (damaged).
 */
function claimedPng(width: number, height: number, valid = false): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set(valid ? [1, 0, 0, 0, 0] : [8, 2, 0, 0, 0], 8);
  const data = valid ? zlib.deflateSync(Buffer.alloc(height * (1 + Math.ceil(width / 8))), { level: 9 }) : zlib.deflateSync(Buffer.alloc(64));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', data), chunk('IEND', Buffer.alloc(0))]);
}

describeEachStack('uploads: previews', (get) => {
  let c: TestCitizen;
  const page = (url: string, who: TestCitizen = c, headers: Record<string, string> = {}) => get().app.inject({ url, headers: { cookie: who.cookie, ...headers } });
  const put = async (file: Buffer, filename: string) => {
    const r = await upload(get().app, c.headers, file, filename);
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };

  it('a photo gets a small JPEG for lists and a larger one for its page, without its metadata; the browser may keep them', async () => {
    const t = get();
    c = await signUpCitizen(t.app, t.deps, { name: 'Asha Verma' });
    const photo = await sharp(samplePng(3, 900)).withExif({ IFD0: { ImageDescription: 'home-address-gps' } }).jpeg({ quality: 90 }).toBuffer();
    const id = await put(photo, 'photo.jpg');
    const viewsBefore = (await t.app.inject({ url: '/api/v1/activity', headers: c.headers })).json().items.length;

    const small = await page(`/uploaded/${id}/preview?size=small`);
    expect(small.statusCode).toBe(200);
    expect(small.headers['content-type']).toBe('image/jpeg');
    expect(small.headers['cache-control']).toBe('private, max-age=86400');
    const meta = await sharp(small.rawPayload).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(96);
    expect(meta.exif, 'metadata dropped').toBeUndefined();
    expect(small.rawPayload.includes('home-address-gps')).toBe(false);
    expect(small.rawPayload.length).toBeLessThan(photo.length / 10);
    const large = await page(`/uploaded/${id}/preview?size=large`);
    expect(Math.max((await sharp(large.rawPayload).metadata()).width!, 0)).toBe(640);

    const again = await page(`/uploaded/${id}/preview?size=small`, c, { 'if-none-match': small.headers.etag as string });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // Previews are not views of the document.
    expect((await t.app.inject({ url: '/api/v1/activity', headers: c.headers })).json().items.length).toBe(viewsBefore);

    const list = (await page('/uploaded')).body;
    expect(list).toContain(`<img src="/uploaded/${id}/preview?size=small"`);
    const detail = (await page(`/uploaded/${id}`)).body;
    expect(detail).toContain(`<img src="/uploaded/${id}/preview?size=large" alt="Preview of photo.jpg. Opens the full picture."`);
  });

  it('a PDF gets its first page when pdftoppm is installed; without it, the PDF badge', async () => {
    const id = await put(await samplePdf('Marksheet preview'), 'marks.pdf');
    const pdfPreviews = createPreviewMaker().supports('application/pdf');
    expect(pdfPreviews, 'poppler-utils is installed where tests run (npm test installs it)').toBe(true);
    const small = await page(`/uploaded/${id}/preview?size=small`);
    expect(small.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(small.rawPayload).metadata();
    expect(meta.width).toBe(96); // the sample page is landscape, 300 × 200
    expect(meta.height).toBe(64);
    expect((await page('/uploaded')).body).toContain(`<img src="/uploaded/${id}/preview?size=small"`);

    const without = createPreviewMaker({ pdftoppm: null });
    expect(without.supports('application/pdf')).toBe(false);
    expect(await without.preview('x', 'application/pdf', 'small', async () => Buffer.alloc(0))).toBeNull();
    // pdftoppm is looked for where the search path says, and nowhere else.
    expect(createPreviewMaker({ searchPath: [] }).supports('application/pdf')).toBe(false);
  });

  it('a damaged PDF, a damaged photo and a decompression bomb get the placeholder, never a 5xx', async () => {
    expect((await sharp(claimedPng(8000, 8000, true)).metadata()).width, 'the bomb is a real image').toBe(8000);
    const files: Array<[Buffer, string]> = [
      [Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <<>>\n%%EOF\n'), 'broken.pdf'],
      [claimedPng(64, 64), 'broken.png'],
      // 64 M pixels in a few KB: decodable (sharp's own limit is 268 M), refused by ours (40 M).
      [claimedPng(8000, 8000, true), 'bomb.png'],
    ];
    for (const [file, name] of files) {
      const id = await put(file, name);
      for (const size of ['small', 'large']) {
        const r = await page(`/uploaded/${id}/preview?size=${size}`);
        expect(r.statusCode, name).toBe(200);
        expect(r.headers['content-type'], name).toContain('image/svg+xml');
        expect(r.headers['cache-control'], name).toBe('private, no-store');
        expect(r.body).toMatch(/^<svg [^>]*>[^]*<\/svg>$/);
        expect(r.body).not.toMatch(/script|on[a-z]+=/i);
      }
    }
  });

  it('another citizen’s preview is "not found", like their document; signed out goes to sign in', async () => {
    const t = get();
    const id = await put(samplePng(9, 64), 'mine.png');
    const other = await signUpCitizen(t.app, t.deps, { name: 'Bina Rao' });
    const r = await page(`/uploaded/${id}/preview?size=small`, other);
    expect(r.statusCode).toBe(404);
    expect((await page(`/uploaded/${id}`, other)).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/uploaded/${id}/preview` })).statusCode).toBe(303);
    // An odd size is the small one; an unknown id is not found.
    expect((await page(`/uploaded/${id}/preview?size=<x>`)).headers['content-type']).toBe('image/jpeg');
    expect((await page('/uploaded/00000000-0000-0000-0000-000000000000/preview')).statusCode).toBe(404);
  });
});
