/**
 * Response compression for clients that ask for it (`Accept-Encoding: br` or `gzip`):
 * pages, styles, scripts, JSON, CSV and XML over 1 KB — a 30 KB page reaches a phone on a
 * slow network as about 7 KB. One onSend hook on node:zlib:
 * - a request without Accept-Encoding costs one header look-up (the hot API paths);
 * - PDFs and images are never touched (compressed already), nor partial content (206) or a
 *   response that is encoded already; a route can opt out with `config: { compress: false }`
 *   (the partner API's files, whose `hmac` header covers the exact bytes and their length);
 * - brotli at quality 4 (about gzip's speed and a better ratio), gzip at level 6; bodies up
 *   to 256 KB in one call, larger ones and streams through a zlib stream;
 * - request bodies are never decompressed (no decompression bombs in uploads).
 * Compressed answers carry `Vary: Accept-Encoding`; uncompressed ones are valid for every
 * client, so they need none.
 */
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: never compress this route's answers. */
    compress?: boolean;
  }
}

const COMPRESSIBLE = /^(text\/(html|css|plain|csv|xml)|application\/(json|javascript|xml|problem\+json)|image\/svg\+xml)\s*(;|$)/i;
const THRESHOLD = 1024;
const SYNC_MAX = 256 * 1024;
const BROTLI: zlib.BrotliOptions = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } };
const GZIP: zlib.ZlibOptions = { level: 6 };

/** The coding to use for an Accept-Encoding value: br, else gzip, else none (q=0 refuses). */
export function chooseEncoding(accept: string): 'br' | 'gzip' | null {
  let br = false;
  let gzip = false;
  let star = false;
  for (const part of accept.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === 'x-gzip') gzip = true;
    else if (name === '*') star = true;
  }
  return br ? 'br' : gzip ? 'gzip' : star ? 'gzip' : null;
}

function addVary(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const current = Array.isArray(vary) ? vary.join(', ') : vary === undefined ? '' : String(vary);
  if (!/(^|,)\s*accept-encoding\s*(,|$)/i.test(current)) reply.header('vary', current ? `${current}, Accept-Encoding` : 'Accept-Encoding');
}

export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', (req, reply, payload, done) => {
    const accept = req.headers['accept-encoding'];
    if (!accept || payload == null) return done(null, payload);
    const type = reply.getHeader('content-type');
    if (typeof type !== 'string' || !COMPRESSIBLE.test(type)) return done(null, payload);
    if (req.routeOptions.config?.compress === false || reply.statusCode === 206 || reply.statusCode === 204 || reply.statusCode === 304) return done(null, payload);
    if (reply.getHeader('content-encoding') !== undefined || reply.getHeader('content-range') !== undefined) return done(null, payload);
    const encoding = chooseEncoding(Array.isArray(accept) ? accept.join(',') : accept);
    if (!encoding) return done(null, payload);

    if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
      if (body.length < THRESHOLD) return done(null, payload);
      addVary(reply);
      reply.header('content-encoding', encoding).removeHeader('content-length');
      if (body.length <= SYNC_MAX) return done(null, encoding === 'br' ? zlib.brotliCompressSync(body, BROTLI) : zlib.gzipSync(body, GZIP));
      const finish = (err: Error | null, out: Buffer) => (err ? done(err) : done(null, out));
      return encoding === 'br' ? zlib.brotliCompress(body, BROTLI, finish) : zlib.gzip(body, GZIP, finish);
    }
    if (typeof (payload as Readable).pipe === 'function') {
      addVary(reply);
      reply.header('content-encoding', encoding).removeHeader('content-length');
      const z = encoding === 'br' ? zlib.createBrotliCompress(BROTLI) : zlib.createGzip(GZIP);
      return done(null, pipeline(payload as Readable, z, () => {}));
    }
    return done(null, payload);
  });
}
