/**
 * /verify: the page (GET) and the form post (POST, multipart or url-encoded), and the QR
 * decoder for the camera scanner, served from our own origin (jsQR's browser build; the
 * CSP allows no other script source).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../domain/errors.ts';
import type { VerifyResult } from '../../domain/verification/verify-result.ts';
import { verifyQrText, type VerifierDeps } from '../../domain/verification/verify-qr.ts';
import { STATUS_BY_KIND } from '../../http/plugins/errors.ts';
import { limitBy } from '../../http/plugins/limits.ts';
import { readVerifyInput } from '../../http/routes/verification/upload.ts';
import { errorMessage } from '../accounts/forms.ts';
import { registerMessages } from '../i18n/index.ts';
import { pageContext, sendHtml, type WebSettings } from '../render.ts';
import { verifyMessages } from './messages.ts';
import { verifyPage } from './verify-page.ts';

registerMessages(verifyMessages);

const require = createRequire(import.meta.url);
let jsqr: Buffer | undefined;

export function registerVerifyPages(app: FastifyInstance, deps: AppDeps, verifier: VerifierDeps, web: WebSettings, verifyFile: (file: Buffer) => Promise<VerifyResult>): void {
  const maxMb = Math.round(deps.config.uploadMaxBytes / (1024 * 1024));
  const render = (req: FastifyRequest, reply: FastifyReply, state: Omit<Parameters<typeof verifyPage>[1], 'maxMb' | 'sandbox'>, status = 200) =>
    sendHtml(reply, verifyPage(pageContext(req, reply, web), { ...state, maxMb, sandbox: web.sandbox }), status);

  app.get('/verify', { schema: { hide: true } }, (req, reply) => render(req, reply, {}));

  const fileLimit = limitBy(deps, { name: 'verify-file', max: 120, windowMs: 60_000, key: (req) => (req.isMultipart() ? req.ip : null) });
  app.post('/verify', { schema: { hide: true }, preHandler: fileLimit }, async (req, reply) => {
    let qr: string | undefined;
    try {
      const input = await readVerifyInput(req, deps.config.uploadMaxBytes);
      qr = input.qr;
      const result = input.file ? await verifyFile(input.file) : input.qr ? await verifyQrText(verifier, input.qr) : null;
      if (!result) return render(req, reply, { error: pageContext(req, reply, web).t('verify.error.nothing') }, 400);
      return render(req, reply, { result, ...(input.file ? {} : { qr }) });
    } catch (err) {
      const e = err as AppError & { code?: string; statusCode?: number };
      const ctx = pageContext(req, reply, web);
      // English pages keep the domain's own sentence (it can be more specific); others translate by code.
      if (e instanceof AppError && e.kind !== 'internal') return render(req, reply, { error: ctx.lang === 'en' ? e.message : errorMessage(ctx, e, 'verify'), ...(qr ? { qr } : {}) }, STATUS_BY_KIND[e.kind]);
      if (e?.code === 'FST_REQ_FILE_TOO_LARGE') return render(req, reply, { error: ctx.t('verify.err.file_too_large', { mb: maxMb }) }, 413);
      throw err;
    }
  });

  app.get('/vendor/jsqr.js', { schema: { hide: true } }, (_req, reply) => {
    jsqr ??= fs.readFileSync(require.resolve('jsqr/dist/jsQR.js'));
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(jsqr);
  });
}
