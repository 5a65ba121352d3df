/**
 * The signed-in pages: dashboard, profile (email, PIN, mobile number, deleting the
 * locker), signed-in devices, and activity. Every page uses requireCitizenPage; every form
 * is CSRF-protected and re-renders with an error summary on a mistake.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changePin } from '../../domain/accounts/change-pin.ts';
import { confirmMobileChange, startMobileChange } from '../../domain/accounts/change-mobile.ts';
import { deleteAccount, requestDeletionOtp } from '../../domain/accounts/delete-account.ts';
import type { AccountsDeps } from '../../domain/accounts/deps.ts';
import { maskMobile } from '../../domain/accounts/mobile.ts';
import { endAllSessions, endSession } from '../../domain/accounts/sessions.ts';
import { updateEmail } from '../../domain/accounts/update-profile.ts';
import { confirmEmail, requestEmailVerification } from '../../domain/accounts/email-verification.ts';
import { AppError } from '../../domain/errors.ts';
import { requireCitizenPage } from '../../http/plugins/authenticate.ts';
import { parseActivityQuery } from '../../http/routes/accounts/activity-routes.ts';
import { clearSessionCookie, requestMeta, setSessionCookie, type CookieSettings } from '../../http/routes/accounts/context.ts';
import { pageContext, sendHtml, type PageContext, type WebSettings } from '../render.ts';
import { activityPage, registeredActivityTypes, verifyPage } from './activity-page.ts';
import { messagePage, newPinPage } from './auth-pages.ts';
import { dashboardPage } from './dashboard-page.ts';
import { renderCards, type DashboardCards } from '../dashboard/cards.ts';
import { clearFlow, readFlow, writeFlow } from './flow.ts';
import { attempt, field, notice, statusFor, toFieldError, type FieldError } from './forms.ts';
import { deletePage, mobileConfirmPage, mobileStartPage, profilePage } from './profile-pages.ts';
import { sessionsPage } from './sessions-page.ts';

export function registerProfilePages(app: FastifyInstance, deps: AccountsDeps, cookies: CookieSettings, web: WebSettings, cards: DashboardCards): void {
  const ctxOf = (req: FastifyRequest, reply: FastifyReply) => pageContext(req, reply, web);
  const signedIn = requireCitizenPage();
  const csrf = app.csrfProtection;
  const flowCookie = { secure: cookies.secure, maxAgeSeconds: Math.round(deps.policy.otpTtlMs / 1000) };
  const minutes = Math.round(deps.policy.otpTtlMs / 60_000);
  const account = async (req: FastifyRequest) => {
    const a = await deps.accounts.findById(req.citizen!.accountId);
    if (!a) throw new AppError('not_found', 'not_found', 'The account was not found.');
    return a;
  };

  app.get('/dashboard', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const c = req.citizen!;
    const ctx = ctxOf(req, reply);
    const [recent, summaries] = await Promise.all([deps.activity.list(c.accountId, { limit: 5 }), renderCards(cards, ctx, c.accountId, req.log)]);
    return sendHtml(reply, dashboardPage(ctx, { name: c.name, accountId: c.accountId, recent: recent.items, summaries, welcome: (req.query as { welcome?: string }).welcome === '1' }));
  });

  const renderProfile = async (req: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], extra: { email?: string | undefined; notice?: string; warn?: string } = {}, status = 200) => {
    const ctx = ctxOf(req, reply);
    const notices = extra.warn ? notice(extra.warn, 'warn') : extra.notice ? notice(ctx.t(extra.notice), 'ok') : '';
    return sendHtml(reply, profilePage(ctx, { account: await account(req), errors, email: extra.email, notices }), status);
  };
  const done = (q: unknown) => ({ saved_email: 'profile.email.saved', email_sent: 'profile.email.sent', pin_changed: 'profile.pin.saved', mobile_changed: 'profile.mobile.saved' })[(q as { done?: string }).done ?? ''] as string | undefined;

  app.get('/profile', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => renderProfile(req, reply, [], { ...(done(req.query) ? { notice: done(req.query)! } : {}) }));

  app.post('/profile/email', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const email = field(req.body, 'email');
    const r = await attempt(() => updateEmail(deps, { accountId: req.citizen!.accountId, email, meta: requestMeta(req) }));
    if (!r.ok) return renderProfile(req, reply, [toFieldError(ctxOf(req, reply), r.error, 'email')], { email }, statusFor(r.error));
    if (!r.value.email || r.value.emailVerified) return reply.redirect('/profile?done=saved_email', 303);
    const sent = await attempt(() => requestEmailVerification(deps, r.value.id, ctxOf(req, reply).lang));
    if (!sent.ok) return renderProfile(req, reply, [], { warn: `${ctxOf(req, reply).t('profile.email.send_failed')} ${sent.error.message}` });
    return reply.redirect('/profile?done=email_sent', 303);
  });

  app.post('/profile/email/resend', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const sent = await attempt(() => requestEmailVerification(deps, req.citizen!.accountId, ctxOf(req, reply).lang));
    if (!sent.ok) return renderProfile(req, reply, [], { warn: `${ctxOf(req, reply).t('profile.email.send_failed')} ${sent.error.message}` }, statusFor(sent.error));
    return reply.redirect(sent.value === 'sent' ? '/profile?done=email_sent' : '/profile', 303);
  });

  // The link from the confirmation email: works signed in or not, on any device.
  app.get('/profile/email/verify', { schema: { hide: true } }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const r = await attempt(() => confirmEmail({ ...deps, ...deps.emailVerification }, { token: (req.query as { token?: unknown }).token, meta: requestMeta(req) }));
    if (!r.ok) return sendHtml(reply, messagePage(ctx, ctx.t('email.verify.failed'), r.error.message, 'warn'), statusFor(r.error));
    return sendHtml(reply, messagePage(ctx, ctx.t('email.verify.title'), ctx.t('email.verify.done', { email: r.value.email }), 'ok'));
  });

  const pinPage = (ctx: PageContext, errors: FieldError[], required: boolean) =>
    newPinPage(ctx, { errors, action: '/profile/pin', titleKey: 'profile.pin.title', submitKey: 'profile.pin.save', current: true, lead: required ? notice(ctx.t('profile.pin.required'), 'warn') : '' });
  const pinRequired = (req: FastifyRequest) => req.citizen?.mustChangePin === true;

  app.get('/profile/pin', { schema: { hide: true }, preHandler: requireCitizenPage({ allowPendingPinChange: true }) }, async (req, reply) =>
    sendHtml(reply, pinPage(ctxOf(req, reply), [], pinRequired(req))),
  );

  app.post('/profile/pin', { schema: { hide: true }, preHandler: [requireCitizenPage({ allowPendingPinChange: true }), csrf] }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const newPin = field(req.body, 'new_pin');
    if (newPin !== field(req.body, 'new_pin2')) return sendHtml(reply, pinPage(ctx, [{ field: 'new_pin2', message: ctx.t('err.pin_mismatch') }], pinRequired(req)), 400);
    const r = await attempt(() => changePin(deps, { accountId: req.citizen!.accountId, currentPin: field(req.body, 'current_pin'), newPin, meta: requestMeta(req) }));
    if (!r.ok) return sendHtml(reply, pinPage(ctx, [toFieldError(ctx, r.error, 'current_pin')], pinRequired(req)), statusFor(r.error));
    setSessionCookie(reply, r.value.token, cookies);
    return reply.redirect('/profile?done=pin_changed', 303);
  });

  app.get('/profile/mobile', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => sendHtml(reply, mobileStartPage(ctxOf(req, reply), { errors: [] })));

  app.post('/profile/mobile', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const value = field(req.body, 'new_mobile');
    const r = await attempt(() => startMobileChange(deps, { accountId: req.citizen!.accountId, newMobile: value ?? '', meta: requestMeta(req) }));
    if (!r.ok) return sendHtml(reply, mobileStartPage(ctx, { errors: [toFieldError(ctx, r.error, 'new_mobile', { mobile: 'new_mobile' })], value }), statusFor(r.error));
    writeFlow(reply, { p: 'change_mobile', c: r.value.current.challengeId, c2: r.value.next.challengeId, m: maskMobile(r.value.current.mobile), m2: maskMobile(r.value.next.mobile) }, flowCookie);
    return reply.redirect('/profile/mobile/confirm', 303);
  });

  app.get('/profile/mobile/confirm', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const f = readFlow(req, 'change_mobile');
    if (!f?.c2) return reply.redirect('/profile/mobile', 303);
    return sendHtml(reply, mobileConfirmPage(ctxOf(req, reply), { errors: [], oldMasked: f.m, newMasked: f.m2 ?? '' }));
  });

  app.post('/profile/mobile/confirm', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const f = readFlow(req, 'change_mobile');
    if (!f?.c2) return reply.redirect('/profile/mobile', 303);
    const ctx = ctxOf(req, reply);
    const c = req.citizen!;
    const r = await attempt(() =>
      confirmMobileChange(deps, { accountId: c.accountId, sessionId: c.sessionId, challengeId: f.c, otp: field(req.body, 'otp') ?? '', newChallengeId: f.c2!, newOtp: field(req.body, 'new_otp') ?? '', meta: requestMeta(req) }),
    );
    if (!r.ok) {
      // Which code was wrong: the first verification failing names `otp`; the second must be the new number's.
      const which = r.error.details?.field === 'otp' && (await deps.otps.get(f.c))?.verifiedAt ? 'new_otp' : 'otp';
      return sendHtml(reply, mobileConfirmPage(ctx, { errors: [toFieldError(ctx, r.error, which, { otp: which })], oldMasked: f.m, newMasked: f.m2 ?? '' }), statusFor(r.error));
    }
    clearFlow(reply, cookies);
    return reply.redirect('/profile?done=mobile_changed', 303);
  });

  app.get('/profile/delete', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const f = readFlow(req, 'delete_account');
    return sendHtml(reply, deletePage(ctxOf(req, reply), { errors: [], codeSentTo: f?.m, minutes }));
  });

  app.post('/profile/delete/otp', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const r = await attempt(() => requestDeletionOtp(deps, { accountId: req.citizen!.accountId, meta: requestMeta(req) }));
    if (!r.ok) return sendHtml(reply, deletePage(ctx, { errors: [toFieldError(ctx, r.error, 'otp')], minutes }), statusFor(r.error));
    writeFlow(reply, { p: 'delete_account', c: r.value.challengeId, m: maskMobile(r.value.mobile) }, flowCookie);
    return reply.redirect('/profile/delete', 303);
  });

  app.post('/profile/delete', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const f = readFlow(req, 'delete_account');
    if (!f) return reply.redirect('/profile/delete', 303);
    const ctx = ctxOf(req, reply);
    if (field(req.body, 'confirm') !== 'yes') {
      return sendHtml(reply, deletePage(ctx, { errors: [{ field: 'confirm', message: ctx.t('err.delete_unconfirmed') }], codeSentTo: f.m, minutes }), 400);
    }
    const r = await attempt(() => deleteAccount(deps, { accountId: req.citizen!.accountId, challengeId: f.c, otp: field(req.body, 'otp') ?? '', meta: requestMeta(req) }));
    if (!r.ok && r.error.code !== 'deletion_pending') return sendHtml(reply, deletePage(ctx, { errors: [toFieldError(ctx, r.error, 'otp')], codeSentTo: f.m, minutes }), statusFor(r.error));
    clearFlow(reply, cookies);
    clearSessionCookie(reply, cookies);
    return reply.redirect('/signin?done=deleted', 303);
  });

  app.get('/profile/sessions', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const c = req.citizen!;
    const ctx = ctxOf(req, reply);
    const ended = (req.query as { done?: string }).done === 'ended';
    return sendHtml(reply, sessionsPage(ctx, { sessions: await deps.sessions.listLive(c.accountId), currentId: c.sessionId, notices: ended ? notice(ctx.t('sessions.ended'), 'ok') : '' }));
  });

  app.post('/profile/sessions/:id/end', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const c = req.citizen!;
    const { id } = req.params as { id: string };
    await endSession(deps, { accountId: c.accountId, name: c.name, sessionId: id, currentSessionId: c.sessionId, meta: requestMeta(req) });
    return reply.redirect(id === c.sessionId ? '/signin?done=signed_out' : '/profile/sessions?done=ended', 303);
  });

  app.post('/profile/sessions/end-all', { schema: { hide: true }, preHandler: [signedIn, csrf] }, async (req, reply) => {
    const c = req.citizen!;
    await endAllSessions(deps, { accountId: c.accountId, name: c.name, meta: requestMeta(req) });
    clearSessionCookie(reply, cookies);
    return reply.redirect('/signin?done=signed_out', 303);
  });

  const ACTIVITY_WHOLE_CHECK_MS = 10 * 60_000;
  app.get('/activity', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const c = req.citizen!;
    const ctx = ctxOf(req, reply);
    const q = req.query as Record<string, string | undefined>;
    const filters = { type: q.type || undefined, from: q.from || undefined, to: q.to || undefined, document: q.document ? q.document.slice(0, 300) : undefined };
    // The chain check runs on the first page only. It reads the whole log at most every
    // ACTIVITY_WHOLE_CHECK_MS per account; views in between check only what was appended since
    // (a partner's API calls can make a log long). "Check the whole log now" (/activity/verify) always reads it all.
    const chain = q.cursor
      ? undefined
      : await deps.activity.verify(c.accountId, { reuseWithinMs: ACTIVITY_WHOLE_CHECK_MS }).then(async (v) => ({
          intact: v.intact,
          count: v.count,
          since: v.intact && v.count ? ((await deps.activity.oldest?.(c.accountId))?.at ?? null) : null,
          ...(v.intact ? {} : { seq: v.firstBroken.seq }),
        }));
    const base = { filters, accountId: c.accountId, extraTypes: registeredActivityTypes(), paged: Boolean(q.cursor), chain };
    const query = { type: filters.type, from: filters.from, to: filters.to, ...(filters.document ? { subject_id: filters.document } : {}), ...(q.cursor ? { cursor: q.cursor } : {}), limit: 25 };
    const r = await attempt(async () => deps.activity.list(c.accountId, parseActivityQuery(query)));
    if (!r.ok) return sendHtml(reply, activityPage(ctx, { ...base, items: [], nextCursor: null, errors: [toFieldError(ctx, r.error, 'from')] }), 400);
    const documentName = filters.document ? (r.value.items.find((e) => e.subject?.id === filters.document)?.subject?.name ?? null) : null;
    return sendHtml(reply, activityPage(ctx, { ...base, items: r.value.items, nextCursor: r.value.nextCursor, errors: [], documentName }));
  });

  app.get('/activity/verify', { schema: { hide: true }, preHandler: signedIn }, async (req, reply) => {
    const v = await deps.activity.verify(req.citizen!.accountId);
    return sendHtml(reply, verifyPage(ctxOf(req, reply), v.intact ? { intact: true, count: v.count } : { intact: false, count: v.count, seq: v.firstBroken.seq }));
  });

}
