/**
 * Responses are compressed for clients that accept it, on both stacks: pages, styles and
 * JSON go br or gzip (smaller, and identical once decoded), with `Vary: accept-encoding`;
 * small answers, PDFs and images go as they are (the bytes a document's hash and signature
 * cover), whatever the client accepts.
 */
import zlib from 'node:zlib';
import { expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { samplePdf, upload } from '../support/uploads.ts';

describeEachStack('compression', (get) => {
  it('pages, styles and JSON go br or gzip when accepted, and decode to the same bytes', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    for (const url of ['/uploaded', '/static/app.css', '/openapi.json']) {
      const plain = await app.inject({ url, headers: { cookie: c.cookie } });
      expect(plain.statusCode, url).toBe(200);
      expect(plain.headers['content-encoding'], url).toBeUndefined();
      for (const [accept, decode] of [['br', zlib.brotliDecompressSync], ['gzip', zlib.gunzipSync]] as const) {
        const packed = await app.inject({ url, headers: { cookie: c.cookie, 'accept-encoding': accept } });
        expect(packed.headers['content-encoding'], `${url} ${accept}`).toBe(accept);
        expect(String(packed.headers.vary).toLowerCase()).toContain('accept-encoding');
        expect(packed.rawPayload.length, `${url} ${accept}`).toBeLessThan(plain.rawPayload.length / 2);
        // CSRF tokens are fresh per page, so compare pages without them.
        const strip = (b: Buffer) => b.toString('utf8').replace(/(name="_csrf" value="|_csrf=)[^"&]+/g, '$1');
        expect(strip(decode(packed.rawPayload)), `${url} ${accept}`).toBe(strip(plain.rawPayload));
      }
    }
  });

  it('a client that refuses every coding gets the plain page; a HEAD answer has no body to encode', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const plain = await app.inject({ url: '/uploaded', headers: { cookie: c.cookie, 'accept-encoding': 'br;q=0, gzip;q=0, identity' } });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('</html>');
    const head = await app.inject({ method: 'HEAD', url: '/static/app.css', headers: { 'accept-encoding': 'gzip' } });
    expect(head.statusCode).toBe(200);
    expect(head.rawPayload.length).toBe(0);
  });

  it('small answers, PDFs and images go as they are', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const me = await app.inject({ url: '/api/v1/me', headers: { ...c.headers, 'accept-encoding': 'br, gzip' } });
    expect(me.statusCode).toBe(200);
    expect(me.headers['content-encoding']).toBeUndefined();
    const pdf = await samplePdf('x'.repeat(5000));
    const up = (await upload(app, c.headers, pdf, 'big.pdf')).json() as { id: string };
    const file = await app.inject({ url: `/api/v1/uploads/${up.id}/file`, headers: { ...c.headers, 'accept-encoding': 'br, gzip' } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-encoding']).toBeUndefined();
    expect(file.rawPayload.equals(pdf)).toBe(true);
  });
});
