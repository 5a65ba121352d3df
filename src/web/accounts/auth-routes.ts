/**
 * The sign-up, sign-in and forgot-PIN pages: mobile → code → last step, each a plain form
 * (CSRF-protected) that works without JavaScript. Errors re-render the same page with an
 * error summary; the state between steps is the signed flow cookie (flow.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountsDeps } from '../../domain/accounts/deps.ts';
import { maskMobile } from '../../domain/accounts/mobile.ts';
import { assertAcceptablePin } from '../../domain/accounts/pin-policy.ts';
import { normaliseDob, normaliseEmail, normaliseGender, normaliseName } from '../../domain/accounts/profile-rules.ts';
import { requestOtp } from '../../domain/accounts/request-otp.ts';
import { resetPin } from '../../domain/accounts/reset-pin.ts';
import { endSession } from '../../domain/accounts/sessions.ts';
import { signIn } from '../../domain/accounts/sign-in.ts';
import { signUp } from '../../domain/accounts/sign-up.ts';
import { verifyOtp } from '../../domain/accounts/verify-otp.ts';
import { AppError } from '../../domain/errors.ts';
import { limitBy } from '../../http/plugins/limits.ts';
import { clearSessionCookie, requestMeta, setSessionCookie, type CookieSettings } from '../../http/routes/accounts/context.ts';
import { html } from '../html.ts';
import { pageContext, sendHtml, type PageContext, type WebSettings } from '../render.ts';
import { safeNext } from '../shell/routes.ts';
import { FLOWS, lockedPage, messagePage, mobilePage, newPinPage, otpPage, pinPage, signupDetailsPage, type FlowDef } from './auth-pages.ts';
import { attempt, field, notice, statusFor, toFieldError, type FieldError } from './forms.ts';
import { clearFlow, readFlow, writeFlow, type FlowState } from './flow.ts';

export function registerAuthPages(app: FastifyInstance, deps: AccountsDeps, cookies: CookieSettings, web: WebSettings): void {
  const ctxOf = (req: FastifyRequest, reply: FastifyReply) => pageContext(req, reply, web);
  const flowCookie = { secure: cookies.secure, maxAgeSeconds: Math.round(deps.policy.otpTtlMs / 1000) };
  const minutes = Math.round(deps.policy.otpTtlMs / 60_000);
  const resendSeconds = Math.round(deps.policy.otpResendMs / 1000);
  const csrf = app.csrfProtection;
  const authLimit = limitBy(deps, { name: 'auth-ip', max: deps.policy.authMaxPerIpHour, windowMs: 3600_000, message: 'Too many sign-in attempts from your network. Wait a while and try again.' });

  const renderOtp = (ctx: PageContext, reply: FastifyReply, flow: FlowDef, f: FlowState, errors: FieldError[], extra: { resent?: boolean; offerResend?: boolean } = {}, status = 200) =>
    sendHtml(reply, otpPage(ctx, flow, { masked: f.m, minutes, resendSeconds, errors, ...extra }), status);

  for (const flow of Object.values(FLOWS)) {
    app.get(flow.base, { schema: { hide: true } }, async (req, reply) => {
      if (req.citizen && flow.key !== 'reset_pin') return reply.redirect('/dashboard', 303);
      const ctx = ctxOf(req, reply);
      const q = req.query as Record<string, string | undefined>;
      return sendHtml(reply, mobilePage(ctx, flow, { errors: [], values: { next: safeNext(q.next, '') }, notices: flow.key === 'login' ? signInNotices(ctx, q) : '' }));
    });

    app.post(flow.base, { schema: { hide: true }, preHandler: csrf }, async (req, reply) => {
      const ctx = ctxOf(req, reply);
      const values = { mobile: field(req.body, 'mobile'), next: safeNext(field(req.body, 'next'), '') };
      const r = await attempt(() => requestOtp(deps, { mobile: values.mobile ?? '', purpose: flow.key, meta: requestMeta(req) }));
      if (!r.ok) return sendHtml(reply, mobilePage(ctx, flow, { errors: [toFieldError(ctx, r.error, 'mobile')], values }), statusFor(r.error));
      writeFlow(reply, { p: flow.key, c: r.value.challengeId, m: maskMobile(r.value.mobile), ...(values.next ? { n: values.next } : {}) }, flowCookie);
      return reply.redirect(`${flow.base}/otp`, 303);
    });

    app.get(`${flow.base}/otp`, { schema: { hide: true } }, async (req, reply) => {
      const f = readFlow(req, flow.key);
      if (!f) return reply.redirect(flow.base, 303);
      return renderOtp(ctxOf(req, reply), reply, flow, f, []);
    });

    app.post(`${flow.base}/otp`, { schema: { hide: true }, preHandler: [csrf, authLimit] }, async (req, reply) => {
      const f = readFlow(req, flow.key);
      if (!f) return reply.redirect(flow.base, 303);
      const ctx = ctxOf(req, reply);
      const r = await attempt(() => verifyOtp(deps, { challengeId: f.c, code: field(req.body, 'otp') ?? '', purpose: flow.key }));
      if (!r.ok) {
        const offerResend = r.error.kind === 'gone' || r.error.details?.tries_left === 0 || r.error.kind === 'not_found';
        return renderOtp(ctx, reply, flow, f, [toFieldError(ctx, r.error, 'otp')], { offerResend }, statusFor(r.error));
      }
      // The code proved the phone: now (and only now) it is fine to say whether a locker exists.
      const account = await deps.accounts.findByMobile(r.value.mobile);
      if (flow.key === 'signup' && account) {
        clearFlow(reply, cookies);
        return sendHtml(reply, messagePage(ctx, ctx.t('signup.exists'), html`<p><a class="button" href="/signin">${ctx.t('nav.signin')}</a> <a href="/forgot-pin">${ctx.t('signin.forgot')}</a></p>`, 'warn'), 409);
      }
      if (flow.key !== 'signup' && (!account || account.status !== 'active')) {
        clearFlow(reply, cookies);
        return sendHtml(reply, messagePage(ctx, ctx.t('signin.unknown', { mobile: f.m }), html`<p><a class="button" href="/signup">${ctx.t('signin.unknown.cta')}</a></p>`, 'warn'), 404);
      }
      writeFlow(reply, { ...f, v: 1 }, flowCookie);
      return reply.redirect(flow.key === 'signup' ? '/signup/details' : flow.key === 'login' ? '/signin/pin' : '/forgot-pin/new', 303);
    });

    app.post(`${flow.base}/resend`, { schema: { hide: true }, preHandler: csrf }, async (req, reply) => {
      const f = readFlow(req, flow.key);
      if (!f) return reply.redirect(flow.base, 303);
      const ctx = ctxOf(req, reply);
      const old = await deps.otps.get(f.c);
      if (!old) return reply.redirect(flow.base, 303);
      const r = await attempt(() => requestOtp(deps, { mobile: old.mobile, purpose: flow.key, meta: requestMeta(req) }));
      if (!r.ok) return renderOtp(ctx, reply, flow, f, [toFieldError(ctx, r.error, 'otp')], {}, statusFor(r.error));
      const next: FlowState = { p: f.p, c: r.value.challengeId, m: f.m, ...(f.n ? { n: f.n } : {}) };
      writeFlow(reply, next, flowCookie);
      return renderOtp(ctx, reply, flow, next, [], { resent: true });
    });
  }

  /** The last step of each flow needs a verified code in this browser's flow. */
  const verifiedFlow = (req: FastifyRequest, key: string) => {
    const f = readFlow(req, key);
    return f?.v === 1 ? f : null;
  };

  /** A code that stopped working between steps (expired, used) sends the citizen back to the start with the reason. */
  const restart = (ctx: PageContext, reply: FastifyReply, flow: FlowDef, err: AppError) => {
    clearFlow(reply, cookies);
    return sendHtml(reply, mobilePage(ctx, flow, { errors: [toFieldError(ctx, err, 'mobile', { otp: 'mobile' })], values: {} }), statusFor(err));
  };
  const closedCodes = new Set(['otp_expired', 'otp_used', 'otp_superseded', 'otp_attempts_exceeded', 'otp_challenge_not_found']);

  app.get('/signup/details', { schema: { hide: true } }, async (req, reply) => {
    if (!verifiedFlow(req, 'signup')) return reply.redirect('/signup', 303);
    return sendHtml(reply, signupDetailsPage(ctxOf(req, reply), { errors: [], values: {} }));
  });

  app.post('/signup/details', { schema: { hide: true }, preHandler: [csrf, authLimit] }, async (req, reply) => {
    const f = verifiedFlow(req, 'signup');
    if (!f) return reply.redirect('/signup', 303);
    const ctx = ctxOf(req, reply);
    const b = req.body;
    const values = { name: field(b, 'name'), dob_day: field(b, 'dob_day'), dob_month: field(b, 'dob_month'), dob_year: field(b, 'dob_year'), gender: field(b, 'gender'), email: field(b, 'email') };
    const dob = `${(values.dob_year ?? '').padStart(4, '0')}-${(values.dob_month ?? '').padStart(2, '0')}-${(values.dob_day ?? '').padStart(2, '0')}`;
    const pin = field(b, 'pin');
    // Every mistake at once (the use case stops at the first).
    const mobile = (await deps.otps.get(f.c))?.mobile ?? null;
    const errors = collectErrors(ctx, { dob: 'dob_day' }, [
      () => normaliseName(values.name),
      () => normaliseDob(dob, deps.clock.now()),
      () => normaliseGender(values.gender),
      () => normaliseEmail(values.email),
      () => assertAcceptablePin(pin, { dob, mobile }),
    ]);
    if (pin !== field(b, 'pin2') && !errors.some((e) => e.field === 'pin')) errors.push({ field: 'pin2', message: ctx.t('err.pin_mismatch') });
    if (errors.length) return sendHtml(reply, signupDetailsPage(ctx, { errors, values }), 400);
    const r = await attempt(() => signUp(deps, { challengeId: f.c, name: values.name, dob, gender: values.gender, email: values.email, pin, meta: requestMeta(req) }));
    if (!r.ok) {
      if (closedCodes.has(r.error.code)) return restart(ctx, reply, FLOWS.signup, r.error);
      return sendHtml(reply, signupDetailsPage(ctx, { errors: [toFieldError(ctx, r.error, 'name', { dob: 'dob_day' })], values }), statusFor(r.error));
    }
    clearFlow(reply, cookies);
    setSessionCookie(reply, r.value.session.token, cookies);
    return reply.redirect('/dashboard?welcome=1', 303);
  });

  app.get('/signin/pin', { schema: { hide: true } }, async (req, reply) => {
    if (!verifiedFlow(req, 'login')) return reply.redirect('/signin', 303);
    return sendHtml(reply, pinPage(ctxOf(req, reply), { errors: [] }));
  });

  app.post('/signin/pin', { schema: { hide: true }, preHandler: [csrf, authLimit] }, async (req, reply) => {
    const f = verifiedFlow(req, 'login');
    if (!f) return reply.redirect('/signin', 303);
    const ctx = ctxOf(req, reply);
    const r = await attempt(() => signIn(deps, { challengeId: f.c, pin: field(req.body, 'pin'), meta: requestMeta(req) }));
    if (!r.ok) {
      if (r.error.code === 'account_locked') {
        clearFlow(reply, cookies);
        return sendHtml(reply, lockedPage(ctx, (r.error.details?.locked_until as string | null) ?? null), 429);
      }
      if (closedCodes.has(r.error.code)) return restart(ctx, reply, FLOWS.login, r.error);
      return sendHtml(reply, pinPage(ctx, { errors: [toFieldError(ctx, r.error, 'pin')] }), statusFor(r.error));
    }
    clearFlow(reply, cookies);
    setSessionCookie(reply, r.value.session.token, cookies);
    return reply.redirect(r.value.account.mustChangePin ? '/profile/pin?required=1' : safeNext(f.n, '/dashboard'), 303);
  });

  const forgotPage = (ctx: PageContext, errors: FieldError[]) => newPinPage(ctx, { errors, action: '/forgot-pin/new', titleKey: 'forgot.new.title', submitKey: 'forgot.submit' });

  app.get('/forgot-pin/new', { schema: { hide: true } }, async (req, reply) => {
    if (!verifiedFlow(req, 'reset_pin')) return reply.redirect('/forgot-pin', 303);
    return sendHtml(reply, forgotPage(ctxOf(req, reply), []));
  });

  app.post('/forgot-pin/new', { schema: { hide: true }, preHandler: [csrf, authLimit] }, async (req, reply) => {
    const f = verifiedFlow(req, 'reset_pin');
    if (!f) return reply.redirect('/forgot-pin', 303);
    const ctx = ctxOf(req, reply);
    const newPin = field(req.body, 'new_pin');
    if (newPin !== field(req.body, 'new_pin2')) return sendHtml(reply, forgotPage(ctx, [{ field: 'new_pin2', message: ctx.t('err.pin_mismatch') }]), 400);
    const r = await attempt(() => resetPin(deps, { challengeId: f.c, newPin, meta: requestMeta(req) }));
    if (!r.ok) {
      if (closedCodes.has(r.error.code)) return restart(ctx, reply, FLOWS.reset_pin, r.error);
      return sendHtml(reply, forgotPage(ctx, [toFieldError(ctx, r.error, 'new_pin')]), statusFor(r.error));
    }
    clearFlow(reply, cookies);
    clearSessionCookie(reply, cookies);
    return reply.redirect('/signin?done=pin_reset', 303);
  });

  app.post('/signout', { schema: { hide: true }, preHandler: csrf }, async (req, reply) => {
    const c = req.citizen;
    if (c) await endSession(deps, { accountId: c.accountId, name: c.name, sessionId: c.sessionId, currentSessionId: c.sessionId, meta: requestMeta(req) });
    clearSessionCookie(reply, cookies);
    return reply.redirect('/signin?done=signed_out', 303);
  });
}

function collectErrors(ctx: PageContext, rename: Record<string, string>, checks: Array<() => unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      errors.push(toFieldError(ctx, err, 'name', rename));
    }
  }
  return errors;
}

function signInNotices(ctx: PageContext, q: Record<string, string | undefined>) {
  const { t } = ctx;
  if (q.expired) return notice(t(q.expired === 'idle' || q.expired === '1' ? 'signin.expired.idle' : 'signin.expired.other'), 'warn');
  if (q.done === 'signed_out') return notice(t('signin.signed.out'), 'ok');
  if (q.done === 'pin_reset') return notice(t('signin.pin.reset'), 'ok');
  if (q.done === 'deleted') return notice(t('signin.deleted'), 'ok');
  return '';
}
