/**
 * The Issued section's pages (CSRF on every form, requireCitizenPage on every page):
 *   GET  /issued                    the list (pending pulls first), empty state with quick links
 *   POST /issued/pull               the Issuers section's document-type form → fetch → /issued
 *   GET  /issued/view/{uri}         the PDF (or ?format=xml) live from the issuer, or a clear page if it cannot be fetched
 *   POST /issued/remove             removes a document from the locker
 *   GET  /issued/quick/{DRVLC|RVCER} the dashboard quick links (Aadhaar first if not linked)
 *   GET/POST /profile/aadhaar, POST /profile/aadhaar/verify   linking Aadhaar
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../domain/errors.ts';
import type { IssuedDeps } from '../../domain/issued/deps.ts';
import { linkAadhaar, requestAadhaarOtp } from '../../domain/issued/link-aadhaar.ts';
import { listIssued } from '../../domain/issued/list-issued.ts';
import { openIssuedDocument, removeIssuedDocument } from '../../domain/issued/open-document.ts';
import { pullDocument } from '../../domain/issued/pull-document.ts';
import { getDoctype } from '../../domain/issuers/get-issuer.ts';
import { requireCitizenPage } from '../../http/plugins/authenticate.ts';
import { requestMeta } from '../../http/routes/accounts/context.ts';
import { attempt, errorMessage, field, notice, statusFor, type FieldError } from '../accounts/forms.ts';
import { registerMessages } from '../i18n/index.ts';
import { setFlash, takeFlash } from '../flash.ts';
import { pageContext, sendHtml, type PageContext } from '../render.ts';
import { safeNext } from '../shell/routes.ts';
import { registryLabel } from '../issuers/registry-hi.ts';
import { issuedMessages } from './messages.ts';
import { aadhaarPage, issuedErrorPage, issuedListPage, removeIssuedPage } from './pages.ts';
import { issuedErrors } from '../../domain/issued/errors.ts';
import { doctypePage, pullFieldMessages, type PullFormState } from '../issuers/pages.ts';

registerMessages(issuedMessages);

const QUICK: Record<string, { issuerId: string; doctype: string }> = {
  DRVLC: { issuerId: 'in.gov.transport', doctype: 'DRVLC' },
  RVCER: { issuerId: 'in.gov.transport', doctype: 'RVCER' },
};

/** Form fields `params[NAME]` → `{NAME: value}`. */
function formParams(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const m = /^params\[([A-Za-z_][A-Za-z0-9_.-]{0,63})\]$/.exec(k);
    if (m && typeof v === 'string') out[m[1]!] = v;
  }
  return out;
}

/** Where to go after linking Aadhaar: a path on this site (shell's safeNext), or nowhere. */
const nextPath = (n: unknown) => safeNext(n, '') || undefined;

export function registerIssuedPages(app: FastifyInstance, services: IssuedDeps, deps: AppDeps): void {
  const web = { supportEmail: deps.config.supportEmail, sandbox: deps.config.sandbox };
  const ctxOf = (req: FastifyRequest, reply: FastifyReply) => pageContext(req, reply, web);
  const signedIn = requireCitizenPage();
  const csrf = app.csrfProtection;
  const failure = (ctx: PageContext, reply: FastifyReply, err: AppError, titleKey: string, back: string | null) => {
    // `not_found` is every module's code; here it means a document of this locker (issued.err.not_found).
    let message = errorMessage(ctx, err, 'issued');
    const fields = err.details?.fields as Record<string, string> | undefined;
    if (err.code === 'invalid_parameter' && fields) message = `${message} ${Object.values(fields).join(' ')}`;
    return sendHtml(reply, issuedErrorPage(ctx, { titleKey, message, back }), statusFor(err));
  };

  app.get('/issued', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const items = await listIssued(services, req.citizen!.accountId);
    const xml = new Set<string>();
    for (const key of new Set(items.map((i) => `${i.issuerId} ${i.doctype}`))) {
      const [issuerId, code] = key.split(' ') as [string, string];
      if ((await services.issuers.doctype(issuerId, code))?.formats.includes('xml')) xml.add(key);
    }
    // The document's name comes from the flash the pull left (never from the URL).
    const q = req.query as { done?: string };
    const flash = takeFlash(req, reply);
    const name = flash?.done === q.done ? registryLabel(ctx, (flash?.name ?? '').slice(0, 120)).text : '';
    const doneKey = { added: 'issued.done.added', already: 'issued.done.already', pending: 'issued.done.pending', removed: 'issued.done.removed', aadhaar: 'issued.done.aadhaar' }[q.done ?? ''];
    const needsName = q.done === 'added' || q.done === 'already' || q.done === 'pending';
    return sendHtml(reply, issuedListPage(ctx, { items, xml, notices: doneKey && (!needsName || name) ? notice(ctx.t(doneKey, { name }), q.done === 'pending' ? 'warn' : 'ok') : '' }));
  });

  app.post('/issued/pull', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const issuerId = field(req.body, 'issuer_id') ?? '';
    const doctype = field(req.body, 'doctype') ?? '';
    const back = /^[a-z0-9._-]{1,100}$/.test(issuerId) && /^[A-Z0-9]{5,6}$/.test(doctype) ? `/issuers/${encodeURIComponent(issuerId)}/${doctype}` : null;
    const r = await attempt(() => pullDocument(services, { accountId: req.citizen!.accountId, issuerId, doctype, params: formParams(req.body), meta: requestMeta(req) }));
    if (!r.ok) {
      // Back on the form with what was typed (and the consent tick) and why it failed.
      const found = back ? await attempt(() => getDoctype(services, issuerId, doctype)) : null;
      if (found?.ok && found.value.issuer.connected) {
        const fields = r.error.code === 'invalid_parameter' ? pullFieldMessages(ctx, found.value.doctype, r.error.details) : undefined;
        const state: PullFormState = { values: formParams(req.body), consent: field(req.body, 'consent') === 'Y', message: errorMessage(ctx, r.error), ...(fields ? { fields } : {}) };
        if (r.error.details?.retry_after) reply.header('retry-after', String(r.error.details.retry_after));
        return sendHtml(reply, doctypePage(ctx, found.value.issuer, found.value.doctype, state), statusFor(r.error));
      }
      return failure(ctx, reply, r.error, 'issued.error.title', back);
    }
    const done = r.value.status === 'pending' ? 'pending' : r.value.created ? 'added' : 'already';
    setFlash(reply, { done, name: r.value.name });
    return reply.redirect(`/issued?done=${done}`, 303);
  });

  app.get('/issued/view/:uri', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const format = (req.query as { format?: string }).format === 'xml' ? 'xml' : 'pdf';
    const r = await attempt(() => openIssuedDocument(services, { accountId: req.citizen!.accountId, uri: (req.params as { uri: string }).uri, format, meta: requestMeta(req), actor: { kind: 'citizen', id: req.citizen!.accountId, name: req.citizen!.name } }));
    if (!r.ok) return failure(ctxOf(req, reply), reply, r.error, 'issued.open.error.title', null);
    const doc = r.value;
    reply.type(doc.mime).header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').header('content-disposition', `inline; filename="${doc.filename}"`);
    if (doc.size !== null) reply.header('content-length', String(doc.size));
    return reply.send(doc.stream);
  });

  app.get('/issued/remove', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const uri = String((req.query as { uri?: unknown }).uri ?? '').slice(0, 300);
    const doc = uri ? await services.docs.get(req.citizen!.accountId, uri) : null;
    if (!doc) return failure(ctxOf(req, reply), reply, issuedErrors.notFound(), 'issued.open.error.title', null);
    return sendHtml(reply, removeIssuedPage(ctxOf(req, reply), { uri: doc.uri, name: doc.name }));
  });

  app.post('/issued/remove', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const r = await attempt(() => removeIssuedDocument(services, { accountId: req.citizen!.accountId, uri: field(req.body, 'uri') ?? '', meta: requestMeta(req), actorName: req.citizen!.name }));
    if (!r.ok) return failure(ctxOf(req, reply), reply, r.error, 'issued.open.error.title', null);
    return reply.redirect('/issued?done=removed', 303);
  });

  app.get('/issued/quick/:doctype', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const target = QUICK[(req.params as { doctype: string }).doctype];
    if (!target) return reply.redirect('/issuers', 303);
    const href = `/issuers/${target.issuerId}/${target.doctype}`;
    if (!(await services.aadhaar.get(req.citizen!.accountId))) return reply.redirect(`/profile/aadhaar?next=${encodeURIComponent(href)}`, 303);
    return reply.redirect(href, 303);
  });

  const renderAadhaar = async (req: FastifyRequest, reply: FastifyReply, o: { step: 'number' | 'otp'; errors: FieldError[]; txn?: string; maskedMobile?: string; next?: string | undefined }, status = 200) => {
    const link = o.errors.length || o.step === 'otp' ? null : await services.aadhaar.get(req.citizen!.accountId);
    return sendHtml(reply, aadhaarPage(ctxOf(req, reply), { link, step: o.step, errors: o.errors, ...(o.txn ? { txn: o.txn } : {}), ...(o.maskedMobile ? { maskedMobile: o.maskedMobile } : {}), ...(o.next ? { next: o.next } : {}) }), status);
  };

  app.get('/profile/aadhaar', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => renderAadhaar(req, reply, { step: 'number', errors: [], next: nextPath((req.query as { next?: string }).next) }));

  app.post('/profile/aadhaar', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const next = nextPath(field(req.body, 'next'));
    const r = await attempt(() => requestAadhaarOtp(services, { accountId: req.citizen!.accountId, aadhaar: field(req.body, 'aadhaar') ?? '' }));
    if (!r.ok) return renderAadhaar(req, reply, { step: 'number', errors: [{ field: 'aadhaar', message: errorMessage(ctx, r.error) }], next }, statusFor(r.error));
    return renderAadhaar(req, reply, { step: 'otp', errors: [], txn: r.value.txn, maskedMobile: r.value.maskedMobile, next });
  });

  app.post('/profile/aadhaar/verify', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const next = nextPath(field(req.body, 'next'));
    const txn = field(req.body, 'txn') ?? '';
    const r = await attempt(() => linkAadhaar(services, { accountId: req.citizen!.accountId, txn, otp: field(req.body, 'otp') ?? '', meta: requestMeta(req) }));
    if (!r.ok) {
      const again = r.error.code === 'otp_invalid';
      return renderAadhaar(req, reply, { step: again ? 'otp' : 'number', errors: [{ field: again ? 'otp' : 'aadhaar', message: errorMessage(ctx, r.error) }], ...(again ? { txn, maskedMobile: (field(req.body, 'masked') ?? '').slice(0, 16) } : {}), next }, statusFor(r.error));
    }
    return reply.redirect(next ?? '/issued?done=aadhaar', 303);
  });
}
