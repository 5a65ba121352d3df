import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loggerOptions, redactRequestUrl } from './logging.ts';

describe('log redaction', () => {
  it('removes secrets from URLs', () => {
    expect(redactRequestUrl('/s/abcdefSECRET/file')).toBe('/s/[redacted]/file');
    expect(redactRequestUrl('/cb?code=XYZ&state=abc&x=1')).toBe('/cb?code=%5Bredacted%5D&state=%5Bredacted%5D&x=1');
    expect(redactRequestUrl('/api/v1/issued?x=1')).toBe('/api/v1/issued?x=1');
  });

  it('never writes tokens, OTPs, PINs or Aadhaar numbers to the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const opts = loggerOptions({ logLevel: 'info', nodeEnv: 'test' }) as object;
    const app = Fastify({ logger: { ...opts, stream } });
    app.post('/login', async (req) => {
      req.log.info({ body: req.body }, 'login attempt');
      req.log.info({ pin: '482913', otp: '193847', aadhaar: '999988887777', token: 'tok_SECRET' }, 'flat');
      return { ok: true };
    });
    await app.inject({
      method: 'POST',
      url: '/login?code=AUTHCODE123',
      headers: { authorization: 'Bearer BEARER_SECRET', cookie: 'ol_session=COOKIE_SECRET' },
      payload: { otp: '193847', pin: '482913', aadhaar: '999988887777', mobile: '9876543210' },
    });
    await app.close();
    const log = lines.join('');
    for (const secret of ['193847', '482913', '999988887777', 'BEARER_SECRET', 'COOKIE_SECRET', 'AUTHCODE123', 'tok_SECRET']) {
      expect(log, secret).not.toContain(secret);
    }
    expect(log).toContain('[redacted]');
  });
});
