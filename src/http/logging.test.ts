import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { captureLines } from '../../test/support/log-capture.ts';
import { loggerOptions, redactRequestUrl, requestChildLogger } from './logging.ts';

describe('log redaction', () => {
  it('removes secrets from URLs', () => {
    expect(redactRequestUrl('/s/abcdefSECRET/file')).toBe('/s/[redacted]/file');
    expect(redactRequestUrl('/cb?code=XYZ&state=abc&x=1')).toBe('/cb?code=%5Bredacted%5D&state=%5Bredacted%5D&x=1');
    expect(redactRequestUrl('/api/v1/issued?x=1')).toBe('/api/v1/issued?x=1');
  });

  it('never writes tokens, OTPs, PINs or Aadhaar numbers to the log', async () => {
    const { lines, stream } = captureLines();
    const opts = loggerOptions({ logLevel: 'info', nodeEnv: 'test' }) as object;
    const app = Fastify({ logger: { ...opts, stream }, childLoggerFactory: requestChildLogger });
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

  it('makes a request\'s child logger only when it writes a line, with the same request id and redaction', async () => {
    const { lines, stream } = captureLines();
    const opts = loggerOptions({ logLevel: 'warn', nodeEnv: 'test' }) as object;
    const app = Fastify({ logger: { ...opts, stream }, childLoggerFactory: requestChildLogger, genReqId: () => 'req-fixed-1' });
    let children = 0;
    const child = app.log.child.bind(app.log);
    (app.log as unknown as { child: unknown }).child = (...a: Parameters<typeof child>) => (children++, child(...a));
    app.get('/quiet', async (req) => {
      req.log.info('not written at warn');
      req.log.debug({ x: 1 }, 'nor this');
      const log = req.log as unknown as { isLevelEnabled(level: string): boolean };
      expect(log.isLevelEnabled('info')).toBe(false);
      expect(log.isLevelEnabled('warn')).toBe(true);
      return { ok: true };
    });
    app.get('/loud', async (req) => {
      req.log.warn({ pin: '482913' }, 'first warning');
      req.log.error('second line, same child');
      expect(req.log.level).toBe('warn');
      return { ok: true };
    });
    await app.ready();
    children = 0;
    await app.inject({ url: '/quiet' });
    expect(children).toBe(0);
    await app.inject({ url: '/loud' });
    expect(children).toBe(1);
    await app.close();
    const written = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(written.map((l) => l.msg)).toEqual(['first warning', 'second line, same child']);
    for (const l of written) expect(l.reqId).toBe('req-fixed-1');
    expect(written[0]!.pin).toBe('[redacted]');
  });
});
