/**
 * The public share link. GET /s/{token} counts a view (or asks for the access code first),
 * shows the banner and the document, and gives this browser a short-lived signed grant for
 * /s/{token}/file so the embedded document does not count a second view. Every request —
 * page or file, with a grant or without — re-checks revocation and expiry, so revoking
 * stops the link at once. Failures are pages with the stable code's message and the
 * API's status (404, 410, 403, 429).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import { checkLive, findShare, openShare, openShareLink, shareNeedsCode, type StoredShare } from '../../domain/sharing/open-share.ts';
import type { Share, ShareDeps } from '../../domain/sharing/ports.ts';
import { localLimitBy } from '../../http/plugins/limits.ts';
import { sendDocument } from '../../http/routes/uploads/context.ts';
import { errorMessage, field, statusFor } from '../accounts/forms.ts';
import { pageContext, sendHtml, type WebSettings } from '../render.ts';
import { shareCodePage, shareErrorPage, shareLinkPage } from './shared-pages.ts';

const GRANT_MS = 30 * 60_000;

export function registerShareLinkPages(app: FastifyInstance, deps: ShareDeps, web: WebSettings): void {
  const ctxOf = (req: FastifyRequest, reply: FastifyReply) => pageContext(req, reply, web);
  const meta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 500) : null });
  const tokenOf = (req: FastifyRequest) => (req.params as { token: string }).token;
  const grantName = (share: Share) => `ol_sv_${share.id.replace(/-/g, '').slice(0, 16)}`;
  // Guessing tokens is hopeless (256 bits), but a cap per IP keeps scanners cheap to serve.
  // Capacity, not a secret: counted in this process's memory (see localLimitBy), no store write per open.
  const perIp = localLimitBy({ name: 'share-link-ip', max: deps.policy.linkOpensPerMinute, windowMs: 60_000 }, () => deps.clock.now().getTime());

  const fail = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (!(err instanceof AppError)) throw err;
    const ctx = ctxOf(req, reply);
    if (err.details?.retry_after) reply.header('retry-after', String(err.details.retry_after));
    return sendHtml(reply, shareErrorPage(ctx, errorMessage(ctx, err)), statusFor(err));
  };

  async function showDocument(req: FastifyRequest, reply: FastifyReply, share: Share) {
    const token = tokenOf(req);
    const source = deps.documents.get(share.source);
    const doc = await source?.get(share.accountId, share.ref);
    if (!source || !doc) throw new AppError('gone', 'share_revoked', 'The shared document is no longer in the locker.');
    let verifiedAt: string | null = null;
    if (share.source === 'issued') {
      // Fetched live from the issuer: the banner says when.
      const opened = await source.open(share.accountId, share.ref);
      opened.stream.destroy();
      verifiedAt = opened.verifiedAt ?? deps.clock.now().toISOString();
    }
    reply.setCookie(grantName(share), `${share.id}|${deps.clock.now().getTime() + GRANT_MS}`, { path: `/s/${token}`, httpOnly: true, sameSite: 'lax', signed: true, maxAge: GRANT_MS / 1000 });
    return sendHtml(reply, shareLinkPage(ctxOf(req, reply), { share, token, mime: doc.mimes[0] ?? 'application/pdf', verifiedAt }));
  }

  app.get('/s/:token', { schema: { hide: true }, preHandler: perIp }, async (req, reply) => {
    try {
      const opened = await openShareLink(deps, tokenOf(req), meta(req));
      if ('needsCode' in opened) return sendHtml(reply, shareCodePage(ctxOf(req, reply), { share: opened.needsCode, token: tokenOf(req), errors: [] }));
      return await showDocument(req, reply, opened.share);
    } catch (err) {
      return fail(req, reply, err);
    }
  });

  app.post('/s/:token', { schema: { hide: true }, preHandler: [perIp, app.csrfProtection] }, async (req, reply) => {
    let share: StoredShare;
    try {
      share = await shareNeedsCode(deps, tokenOf(req));
    } catch (err) {
      return fail(req, reply, err);
    }
    try {
      return await showDocument(req, reply, await openShare(deps, tokenOf(req), field(req.body, 'code') ?? '', meta(req), share));
    } catch (err) {
      if (!(err instanceof AppError) || !['wrong_access_code', 'access_code_required', 'access_code_locked'].includes(err.code)) return fail(req, reply, err);
      const ctx = ctxOf(req, reply);
      if (err.details?.retry_after) reply.header('retry-after', String(err.details.retry_after));
      return sendHtml(reply, shareCodePage(ctx, { share, token: tokenOf(req), errors: [{ field: 'code', message: errorMessage(ctx, err) }] }), statusFor(err));
    }
  });

  app.get('/s/:token/file', { schema: { hide: true }, preHandler: perIp }, async (req, reply) => {
    try {
      const token = tokenOf(req);
      const found = await findShare(deps, token);
      let share: Share = found;
      checkLive(share, deps.clock.now());
      const raw = req.cookies[grantName(share)];
      const grant = raw ? req.unsignCookie(raw) : null;
      const [gid, exp] = grant?.valid && grant.value ? grant.value.split('|') : [];
      const granted = gid === share.id && Number(exp) > deps.clock.now().getTime();
      if (!granted) {
        // Opening the file directly is a view like opening the page (a code-protected share needs the page first).
        if (share.hasAccessCode) throw new AppError('forbidden', 'access_code_required', 'Enter the access code the person who shared this gave you.');
        share = await openShare(deps, token, undefined, meta(req), found);
      }
      const opened = await deps.documents.get(share.source)!.open(share.accountId, share.ref);
      return sendDocument(reply, { mime: opened.mime, size: opened.size, filename: opened.filename, stream: opened.stream }, (req.query as { download?: string }).download === '1' ? 'attachment' : 'inline');
    } catch (err) {
      return fail(req, reply, err);
    }
  });
}
