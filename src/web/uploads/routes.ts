/**
 * Pages of the uploads module: /uploaded (folder view, upload form, folders), /uploaded/{id}
 * (details, edit, delete), /shared (+ /shared/new) and the public share link /s/{token}.
 * Every form is CSRF-protected; the multipart upload form carries its CSRF token in the
 * action URL, because the body is streamed to the blob store and never parsed up front.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.ts';
import { createShare } from '../../domain/sharing/create-share.ts';
import { changeShareExpiry, revokeShare } from '../../domain/sharing/manage-shares.ts';
import { createFolder, deleteFolder, deleteUpload, getUpload, openUpload, updateFolder, updateUpload } from '../../domain/uploads/manage-uploads.ts';
import { downloadName } from '../../domain/uploads/names.ts';
import type { Folder } from '../../domain/uploads/ports.ts';
import { requireCitizenPage } from '../../http/plugins/authenticate.ts';
import { sendDocument, whoOf } from '../../http/routes/uploads/context.ts';
import { receiveUpload } from '../../http/routes/uploads/receive-upload.ts';
import type { UploadServices } from '../../wiring/uploads.ts';
import { attempt, errorMessage, field, notice, statusFor, toFieldError } from '../accounts/forms.ts';
import { registerActivityTypes } from '../accounts/activity-page.ts';
import { displayText } from '../html.ts';
import { registerMessages } from '../i18n/index.ts';
import { pageContext, sendHtml, type WebSettings } from '../render.ts';
import { uploadMessages } from './messages.ts';
import { newSharePage, sharedPage, revokeSharePage } from './shared-pages.ts';
import { registerShareLinkPages } from './share-link-routes.ts';
import { deleteUploadPage, PREVIEW_PLACEHOLDER, uploadDetailPage, uploadedPage } from './uploaded-pages.ts';
import { createPreviewMaker, type PreviewMaker } from '../../rendering/previews.ts';
import { readAll } from '../../storage/blob/encrypted-blob-store.ts';
import { etagMatches } from '../../http/etag.ts';
import { setFlash, takeFlash } from '../flash.ts';
import { SHARE_ACTIVITY } from '../../domain/sharing/ports.ts';
import { UPLOAD_ACTIVITY } from '../../domain/uploads/ports.ts';

registerMessages(uploadMessages);
registerActivityTypes(...Object.values(UPLOAD_ACTIVITY), ...Object.values(SHARE_ACTIVITY));

const DONE: Record<string, string> = {
  deleted: 'uploads.done.deleted',
  saved: 'uploads.done.saved',
  folder: 'uploads.done.folder',
  folder_deleted: 'uploads.done.folder_deleted',
  revoked: 'shared.done.revoked',
  expiry: 'shared.done.expiry',
};


export function registerUploadPages(app: FastifyInstance, s: UploadServices, web: WebSettings, previews: PreviewMaker = createPreviewMaker()): void {
  const deps = s.uploads;
  const signedIn = requireCitizenPage();
  const csrf = app.csrfProtection;
  const ctxOf = (req: FastifyRequest, reply: FastifyReply) => pageContext(req, reply, web);
  // The upload form's CSRF token travels in the query string (the multipart body is streamed, not parsed first).
  const csrfFromQuery = async (req: FastifyRequest) => {
    if (req.isMultipart()) req.body = { _csrf: (req.query as { _csrf?: string })._csrf };
  };
  const q = (req: FastifyRequest) => req.query as Record<string, string | undefined>;

  async function folderPath(accountId: string, folder: Folder | null): Promise<Folder[]> {
    const path: Folder[] = [];
    for (let f = folder; f && path.length < 20; f = f.parentId ? await deps.uploads.getFolder(accountId, f.parentId) : null) path.unshift(f);
    return path;
  }

  async function renderFolder(req: FastifyRequest, reply: FastifyReply, opts: { folderId?: string | undefined; errors?: ReturnType<typeof toFieldError>[]; notices?: ReturnType<typeof notice>[]; status?: number; values?: { name?: string | undefined; doctype?: string | undefined } } = {}) {
    const ctx = ctxOf(req, reply);
    const accountId = req.citizen!.accountId;
    const folder = opts.folderId ? await deps.uploads.getFolder(accountId, opts.folderId) : null;
    if (opts.folderId && !folder) throw new AppError('not_found', 'folder_not_found', 'The folder was not found.');
    const fid = folder?.id ?? null;
    const [folders, files, used, doctypes, path] = await Promise.all([
      deps.uploads.listFolders(accountId, fid),
      deps.uploads.list(accountId, fid),
      deps.uploads.usedBytes(accountId),
      deps.catalogue.list(),
      folderPath(accountId, folder),
    ]);
    const done = q(req).done;
    const notices = [...(opts.notices ?? []), ...(done && DONE[done] ? [notice(ctx.t(DONE[done]!), 'ok')] : [])];
    // An upload's confirmation comes from the flash it left (post/redirect/get: a reload uploads nothing again).
    const flash = done === 'uploaded' ? takeFlash(req, reply) : null;
    if (flash?.done === 'uploaded' && flash.name) {
      notices.push(notice(ctx.t('uploads.done.uploaded', { name: displayText(flash.name, 80) }), 'ok'));
      if (flash.duplicate) notices.push(notice(ctx.t('uploads.done.duplicate', { name: displayText(flash.duplicate, 80) }), 'warn'));
    }
    return sendHtml(
      reply,
      uploadedPage(ctx, { folder, path, folders, files, previewable: previews.supports, used, quota: deps.policy.quotaBytes, maxBytes: deps.policy.maxBytes, doctypes, errors: opts.errors ?? [], notices, ...(opts.values ? { values: opts.values } : {}) }),
      opts.status ?? 200,
    );
  }

  app.get('/uploaded', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => renderFolder(req, reply, { folderId: q(req).folder }));

  app.post('/uploaded', { schema: { hide: true }, preHandler: [signedIn, csrfFromQuery, csrf] }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const folderId = q(req).folder;
    const seen: Record<string, string> = {};
    const r = await attempt(() => receiveUpload(deps, req, seen));
    if (!r.ok) {
      if (r.error.kind === 'too_large') reply.header('connection', 'close');
      // The name and type typed before the file come back with the error (the file must be chosen again).
      return renderFolder(req, reply, { folderId, errors: [toFieldError(ctx, r.error, 'file')], status: statusFor(r.error), values: { name: seen.name, doctype: seen.doctype } });
    }
    const { upload, duplicates } = r.value;
    setFlash(reply, { done: 'uploaded', name: upload.name, ...(duplicates.length ? { duplicate: duplicates[0]!.name } : {}) });
    return reply.redirect(upload.folderId ? `/uploaded?folder=${encodeURIComponent(upload.folderId)}&done=uploaded` : '/uploaded?done=uploaded', 303);
  });

  app.post('/uploaded/folders', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const parent = field(req.body, 'parent') || null;
    const r = await attempt(() => createFolder(deps, whoOf(req), { name: field(req.body, 'name'), parent }));
    if (!r.ok) return renderFolder(req, reply, { folderId: parent ?? undefined, errors: [{ field: 'folder-name', message: errorMessage(ctxOf(req, reply), r.error, 'uploads') }], status: statusFor(r.error) });
    return reply.redirect(`/uploaded?folder=${encodeURIComponent(r.value.id)}&done=folder`, 303);
  });

  app.post('/uploaded/folders/:id', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const r = await attempt(() => updateFolder(deps, whoOf(req), id, { name: field(req.body, 'name') }));
    if (!r.ok) return renderFolder(req, reply, { folderId: id, errors: [{ field: 'folder-rename', message: errorMessage(ctxOf(req, reply), r.error, 'uploads') }], status: statusFor(r.error) });
    return reply.redirect(`/uploaded?folder=${encodeURIComponent(id)}&done=saved`, 303);
  });

  app.post('/uploaded/folders/:id/delete', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const folder = await deps.uploads.getFolder(req.citizen!.accountId, id);
    const r = await attempt(() => deleteFolder(deps, whoOf(req), id));
    if (!r.ok) return renderFolder(req, reply, { folderId: folder?.parentId ?? undefined, errors: [{ field: 'folder-name', message: errorMessage(ctxOf(req, reply), r.error, 'uploads') }], status: statusFor(r.error) });
    return reply.redirect(folder?.parentId ? `/uploaded?folder=${encodeURIComponent(folder.parentId)}&done=folder_deleted` : '/uploaded?done=folder_deleted', 303);
  });

  const detail = async (req: FastifyRequest, reply: FastifyReply, errors: ReturnType<typeof toFieldError>[] = [], status = 200, values: { name?: string | undefined } = {}) => {
    const ctx = ctxOf(req, reply);
    const accountId = req.citizen!.accountId;
    const upload = await getUpload(deps, accountId, (req.params as { id: string }).id);
    const [doctypes, folders] = await Promise.all([deps.catalogue.list(), deps.uploads.listFolders(accountId)]);
    const done = q(req).done;
    return sendHtml(reply, uploadDetailPage(ctx, { upload, previewable: previews.supports(upload.mime), doctypes, folders, errors, values, notices: done && DONE[done] ? notice(ctx.t(DONE[done]!), 'ok') : '' }), status);
  };

  app.get('/uploaded/:id', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => detail(req, reply));

  app.post('/uploaded/:id', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const name = field(req.body, 'name');
    const r = await attempt(() => updateUpload(deps, whoOf(req), id, { name, doctype: field(req.body, 'doctype') || null, folder: field(req.body, 'folder') || null }));
    if (!r.ok) return detail(req, reply, [toFieldError(ctxOf(req, reply), r.error, 'name', {}, 'uploads')], statusFor(r.error), { name });
    return reply.redirect(`/uploaded/${encodeURIComponent(id)}?done=saved`, 303);
  });

  app.get('/uploaded/:id/delete', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) =>
    sendHtml(reply, deleteUploadPage(ctxOf(req, reply), await getUpload(deps, req.citizen!.accountId, (req.params as { id: string }).id))),
  );

  app.post('/uploaded/:id/delete', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const gone = await deleteUpload(deps, whoOf(req), (req.params as { id: string }).id);
    return reply.redirect(gone.folderId ? `/uploaded?folder=${encodeURIComponent(gone.folderId)}&done=deleted` : '/uploaded?done=deleted', 303);
  });

  app.get('/uploaded/:id/file', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const download = q(req).download === '1';
    const { upload, stream } = await openUpload(deps, whoOf(req), (req.params as { id: string }).id, download ? 'download' : 'view');
    return sendDocument(reply, { mime: upload.mime, size: upload.size, filename: downloadName(upload.name, upload.mime), stream }, download ? 'attachment' : 'inline');
  });

  // Previews for lists (?size=small) and a document's page (?size=large): small JPEGs made
  // on the server (rendering/previews.ts); not logged as views. A document that cannot
  // have one gets a neutral placeholder, never a broken image.
  app.get('/uploaded/:id/preview', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const upload = await getUpload(deps, req.citizen!.accountId, (req.params as { id: string }).id);
    const size = q(req).size === 'large' ? 'large' : 'small';
    const etag = `"${upload.sha256.slice(0, 32)}-${size}"`;
    reply.header('cache-control', 'private, max-age=86400');
    if (etagMatches(req.headers['if-none-match'], etag)) return reply.header('etag', etag).code(304).send();
    const jpeg = await previews.preview(upload.sha256, upload.mime, size, async () => readAll(await deps.blobs.get(upload.blobKey)));
    if (!jpeg) return reply.header('cache-control', 'private, no-store').type('image/svg+xml').send(PREVIEW_PLACEHOLDER);
    return reply.header('etag', etag).type('image/jpeg').send(jpeg);
  });

  // ---- Shared documents ----
  const sd = s.shares;
  app.get('/shared', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const done = q(req).done;
    const notices = [];
    // The recipient comes from the flash the share left, never from the URL.
    const flash = done === 'shared' ? takeFlash(req, reply) : null;
    if (flash?.done === 'shared' && flash.email) {
      notices.push(notice(ctx.t('shared.done.shared', { email: flash.email }), 'ok'));
      if (flash.code === '1') notices.push(notice(ctx.t('shared.done.code', { email: flash.email }), 'warn'));
    }
    if (done && DONE[done]) notices.push(notice(ctx.t(DONE[done]!), 'ok'));
    return sendHtml(reply, sharedPage(ctx, { shares: await sd.shares.list(req.citizen!.accountId), now: sd.clock.now(), maxDays: sd.policy.maxExpiryDays, notices }));
  });

  const shareTarget = async (req: FastifyRequest, source: Record<string, string | undefined>) => {
    const accountId = req.citizen!.accountId;
    const kind = source.upload ? ('uploaded' as const) : ('issued' as const);
    const ref = source.upload ?? source.uri ?? '';
    const doc = await sd.documents.get(kind)?.get(accountId, ref);
    if (!doc || doc.type !== 'file') throw new AppError('not_found', 'not_found', 'The document was not found.');
    const hidden: Record<string, string> = kind === 'uploaded' ? { upload: ref } : { uri: ref };
    return { kind, ref, doc, hidden };
  };

  app.get('/shared/new', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const t = await shareTarget(req, q(req));
    return sendHtml(reply, newSharePage(ctxOf(req, reply), { docName: t.doc.name, hidden: t.hidden, errors: [], values: {}, defaultDays: sd.policy.defaultExpiryDays, maxDays: sd.policy.maxExpiryDays }));
  });

  app.post('/shared/new', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const body = req.body as Record<string, string | undefined>;
    const t = await shareTarget(req, { upload: field(body, 'upload'), uri: field(body, 'uri') });
    const values = { email: field(body, 'email'), expires_in_days: field(body, 'expires_in_days'), max_views: field(body, 'max_views'), access_code: field(body, 'access_code') };
    const r = await attempt(() =>
      createShare(sd, { ...whoOf(req), source: t.kind, ref: t.ref, email: values.email, expiresInDays: values.expires_in_days, maxViews: values.max_views, accessCode: values.access_code }),
    );
    if (!r.ok) {
      const ctx = ctxOf(req, reply);
      return sendHtml(reply, newSharePage(ctx, { docName: t.doc.name, hidden: t.hidden, errors: [toFieldError(ctx, r.error, 'email')], values, defaultDays: sd.policy.defaultExpiryDays, maxDays: sd.policy.maxExpiryDays }), statusFor(r.error));
    }
    setFlash(reply, { done: 'shared', email: r.value.share.recipientEmail, ...(r.value.share.hasAccessCode ? { code: '1' } : {}) });
    return reply.redirect('/shared?done=shared', 303);
  });

  app.post('/shared/:id/expiry', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    await changeShareExpiry(sd, whoOf(req), (req.params as { id: string }).id, field(req.body, 'days'));
    return reply.redirect('/shared?done=expiry', 303);
  });

  app.get('/shared/:id/revoke', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const share = await sd.shares.get(req.citizen!.accountId, (req.params as { id: string }).id);
    if (!share) throw new AppError('not_found', 'share_not_found', 'No such share in your locker.');
    if (share.revokedAt) return reply.redirect('/shared', 303);
    return sendHtml(reply, revokeSharePage(ctxOf(req, reply), share));
  });

  app.post('/shared/:id/revoke', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    await revokeShare(sd, whoOf(req), (req.params as { id: string }).id);
    return reply.redirect('/shared?done=revoked', 303);
  });

  registerShareLinkPages(app, sd, web);
}
