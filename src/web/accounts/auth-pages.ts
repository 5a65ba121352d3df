/** The pages of the OTP flows: mobile number, code, and each flow's last step. */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';
import { csrfField, errorSummary, formatDateTime, input, mobileInput, notice, otpInput, pinInput, titled, type FieldError, type Values } from './forms.ts';

export interface FlowDef {
  key: 'signup' | 'login' | 'reset_pin';
  base: string;
  titleKey: string;
  leadKey: string;
  otpTitleKey: string;
}

export const FLOWS: Record<FlowDef['key'], FlowDef> = {
  signup: { key: 'signup', base: '/signup', titleKey: 'signup.title', leadKey: 'signup.lead', otpTitleKey: 'signup.otp.title' },
  login: { key: 'login', base: '/signin', titleKey: 'signin.title', leadKey: 'signin.lead', otpTitleKey: 'signin.otp.title' },
  reset_pin: { key: 'reset_pin', base: '/forgot-pin', titleKey: 'forgot.title', leadKey: 'forgot.lead', otpTitleKey: 'forgot.otp.title' },
};

function page(ctx: PageContext, title: string, errors: FieldError[], body: HtmlValue): SafeHtml {
  return layout(ctx, { title: titled(ctx, title, errors), bare: true, body: html`<div class="narrow">${body}</div>` });
}

function links(ctx: PageContext, flow: FlowDef): HtmlValue {
  const { t } = ctx;
  if (flow.key === 'login') {
    return html`<p><a href="/forgot-pin">${t('signin.forgot')}</a></p><p>${t('signin.no.account')} <a href="/signup">${t('signup.title')}</a></p>`;
  }
  if (flow.key === 'signup') return html`<p>${t('signup.have.account')} <a href="/signin">${t('nav.signin')}</a></p>`;
  return html`<p><a href="/signin">${t('nav.signin')}</a></p>`;
}

export function mobilePage(ctx: PageContext, flow: FlowDef, o: { errors: FieldError[]; values: Values; notices?: HtmlValue }): SafeHtml {
  const { t } = ctx;
  return page(
    ctx,
    t(flow.titleKey),
    o.errors,
    html`${o.notices ?? ''}${errorSummary(ctx, o.errors)}
      <h1>${t(flow.titleKey)}</h1>
      <p>${t(flow.leadKey)}</p>
      <form method="post" action="${flow.base}" novalidate>
        ${csrfField(ctx)}
        <input type="hidden" name="next" value="${o.values.next ?? ''}">
        ${mobileInput(ctx, o.errors, o.values.mobile)}
        <button type="submit">${t('form.send.code')}</button>
      </form>
      ${links(ctx, flow)}`,
  );
}

export function otpPage(ctx: PageContext, flow: FlowDef, o: { masked: string; minutes: number; resendSeconds: number; errors: FieldError[]; resent?: boolean; offerResend?: boolean }): SafeHtml {
  const { t } = ctx;
  const sent = t(o.resent ? 'otp.resent' : 'otp.sent', { mobile: o.masked, minutes: o.minutes });
  const resend = html`<form method="post" action="${flow.base}/resend" class="resend">
      ${csrfField(ctx)}
      <p class="hint" id="resend-hint">${t('form.resend.hint', { seconds: o.resendSeconds })}</p>
      <button type="submit" class="${o.offerResend ? '' : 'secondary'}" aria-describedby="resend-hint">${t('form.resend')}</button>
    </form>`;
  return page(
    ctx,
    t(flow.otpTitleKey),
    o.errors,
    html`${errorSummary(ctx, o.errors)}
      <h1>${t(flow.otpTitleKey)}</h1>
      ${o.errors.length ? '' : notice(sent, o.resent ? 'ok' : '')}
      ${o.offerResend ? resend : ''}
      <form method="post" action="${flow.base}/otp" novalidate>
        ${csrfField(ctx)}
        ${otpInput(ctx, o.errors)}
        <button type="submit">${t('form.continue')}</button>
      </form>
      ${o.offerResend ? '' : resend}
      <p><a href="${flow.base}">${t('form.start.again')}</a></p>`,
  );
}

function dobFields(ctx: PageContext, errors: FieldError[], v: Values): SafeHtml {
  const { t } = ctx;
  const err = errors.find((e) => e.field === 'dob_day');
  return html`<fieldset class="date${err ? ' has-error' : ''}" role="group" aria-describedby="dob-hint${err ? ' dob_day-error' : ''}">
    <legend>${t('signup.dob')}</legend>
    <span class="hint" id="dob-hint">${t('signup.dob.hint')}</span>
    ${err ? html`<span class="field-error" id="dob_day-error"><span class="visually-hidden">${t('form.error.prefix')} </span>${err.message}</span>` : ''}
    <div class="date-parts">
      ${(
        [
          ['dob_day', 'signup.dob.day', 2, 'bday-day'],
          ['dob_month', 'signup.dob.month', 2, 'bday-month'],
          ['dob_year', 'signup.dob.year', 4, 'bday-year'],
        ] as const
      ).map(
        ([name, label, len, ac]) => html`<div><label for="${name}">${t(label)}</label>
          <input id="${name}" name="${name}" type="text" inputmode="numeric" pattern="[0-9]*" maxlength="${len}" autocomplete="${ac}" class="part${len === 4 ? ' year' : ''}" value="${v[name] ?? ''}" required${err ? html` aria-invalid="true"` : ''}></div>`,
      )}
    </div>
  </fieldset>`;
}

function genderFields(ctx: PageContext, errors: FieldError[], v: Values): SafeHtml {
  const { t } = ctx;
  const err = errors.find((e) => e.field === 'gender');
  return html`<fieldset${err ? html` class="has-error" aria-describedby="gender-error"` : ''}>
    <legend>${t('signup.gender')}</legend>
    ${err ? html`<span class="field-error" id="gender-error"><span class="visually-hidden">${t('form.error.prefix')} </span>${err.message}</span>` : ''}
    ${(['M', 'F', 'T'] as const).map(
      (g, i) => html`<div class="radio"><input type="radio" name="gender" id="${i === 0 ? 'gender' : `gender-${g}`}" value="${g}"${v.gender === g ? html` checked` : ''} required>
        <label for="${i === 0 ? 'gender' : `gender-${g}`}">${t(`signup.gender.${g}`)}</label></div>`,
    )}
  </fieldset>`;
}

export function signupDetailsPage(ctx: PageContext, o: { errors: FieldError[]; values: Values }): SafeHtml {
  const { t } = ctx;
  const v = o.values;
  return page(
    ctx,
    t('signup.details.title'),
    o.errors,
    html`${errorSummary(ctx, o.errors)}
      <h1>${t('signup.details.title')}</h1>
      <p>${t('signup.details.lead')}</p>
      <form method="post" action="/signup/details" novalidate>
        ${csrfField(ctx)}
        ${input(ctx, { name: 'name', label: t('signup.name'), value: v.name, autocomplete: 'name', maxlength: 100, errors: o.errors })}
        ${dobFields(ctx, o.errors, v)}
        ${genderFields(ctx, o.errors, v)}
        ${input(ctx, { name: 'email', label: t('signup.email'), hint: t('signup.email.hint'), type: 'email', value: v.email, autocomplete: 'email', inputmode: 'email', maxlength: 254, required: false, errors: o.errors })}
        ${pinInput(ctx, o.errors, 'pin', t('form.pin.new'), t('form.pin.new.hint'), 'new-password')}
        ${pinInput(ctx, o.errors, 'pin2', t('form.pin.repeat'), undefined, 'new-password')}
        <button type="submit">${t('signup.submit')}</button>
      </form>`,
  );
}

export function pinPage(ctx: PageContext, o: { errors: FieldError[] }): SafeHtml {
  const { t } = ctx;
  return page(
    ctx,
    t('signin.pin.title'),
    o.errors,
    html`${errorSummary(ctx, o.errors)}
      <h1>${t('signin.pin.title')}</h1>
      <p>${t('signin.pin.lead')}</p>
      <form method="post" action="/signin/pin" novalidate>
        ${csrfField(ctx)}
        ${pinInput(ctx, o.errors, 'pin', t('form.pin'), t('form.pin.hint'), 'current-password')}
        <button type="submit">${t('signin.submit')}</button>
      </form>
      <p><a href="/forgot-pin">${t('signin.forgot')}</a></p>`,
  );
}

export function newPinPage(ctx: PageContext, o: { errors: FieldError[]; action: string; titleKey: string; submitKey: string; current?: boolean; lead?: HtmlValue }): SafeHtml {
  const { t } = ctx;
  return page(
    ctx,
    t(o.titleKey),
    o.errors,
    html`${errorSummary(ctx, o.errors)}
      <h1>${t(o.titleKey)}</h1>
      ${o.lead ?? ''}
      <form method="post" action="${o.action}" novalidate>
        ${csrfField(ctx)}
        ${o.current ? pinInput(ctx, o.errors, 'current_pin', t('profile.pin.current'), undefined, 'current-password') : ''}
        ${pinInput(ctx, o.errors, 'new_pin', t('form.pin.new'), t('form.pin.new.hint'), 'new-password')}
        ${pinInput(ctx, o.errors, 'new_pin2', t('form.pin.repeat'), undefined, 'new-password')}
        <button type="submit">${t(o.submitKey)}</button>
      </form>`,
  );
}

export function messagePage(ctx: PageContext, title: string, body: HtmlValue, status: 'warn' | 'ok' | '' = ''): SafeHtml {
  return page(ctx, title, [], html`<h1>${title}</h1>${notice(body, status)}`);
}

export function lockedPage(ctx: PageContext, lockedUntil: string | null): SafeHtml {
  const { t } = ctx;
  return messagePage(
    ctx,
    t('locked.title'),
    html`<p>${t('locked.body', { until: lockedUntil ? formatDateTime(ctx, lockedUntil) : '…' })}</p><p><a class="button" href="/forgot-pin">${t('locked.cta')}</a></p>`,
    'warn',
  );
}
