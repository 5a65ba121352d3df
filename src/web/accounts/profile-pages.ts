/** The profile page and its sub-pages: email, mobile number, deleting the locker. */
import { maskMobile } from '../../domain/accounts/mobile.ts';
import type { Account } from '../../domain/accounts/ports.ts';
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';
import { csrfField, errorSummary, input, mobileInput, notice, otpInput, titled, type FieldError } from './forms.ts';

const dobFormats = {
  en: new Intl.DateTimeFormat('en-IN', { timeZone: 'UTC', dateStyle: 'long' }),
  hi: new Intl.DateTimeFormat('hi-IN', { timeZone: 'UTC', dateStyle: 'long' }),
};

function dobText(ctx: PageContext, dob: string): string {
  return dobFormats[ctx.lang === 'hi' ? 'hi' : 'en'].format(new Date(`${dob}T00:00:00Z`));
}

export function profilePage(ctx: PageContext, o: { account: Account; errors: FieldError[]; email?: string | undefined; notices?: HtmlValue }): SafeHtml {
  const { t } = ctx;
  const a = o.account;
  const row = (label: string, value: HtmlValue) => html`<div class="row"><dt>${label}</dt><dd>${value}</dd></div>`;
  return layout(ctx, {
    title: titled(ctx, t('profile.title'), o.errors),
    body: html`${o.notices ?? ''}${errorSummary(ctx, o.errors)}
      <h1>${t('profile.title')}</h1>
      <section aria-labelledby="details-title">
        <h2 id="details-title">${t('profile.details')}</h2>
        <dl class="summary">
          ${row(t('profile.name'), a.name)}
          ${row(t('profile.dob'), dobText(ctx, a.dob))}
          ${row(t('profile.gender'), t(`signup.gender.${a.gender}`))}
          ${row(t('profile.mobile'), maskMobile(a.mobile))}
          ${row(t('profile.email'), a.email ? html`${a.email}${a.emailVerified ? '' : html` <span class="badge warn">${t('profile.email.unverified')}</span>`}` : t('profile.email.none'))}
          ${row(t('profile.aadhaar'), a.aadhaarLinked ? html`<span class="badge ok">${t('profile.aadhaar.linked')}</span> <a href="/profile/aadhaar">${t('aadhaar.view')}</a>` : html`${t('profile.aadhaar.not')} <a href="/profile/aadhaar">${t('aadhaar.link_action')}</a>`)}
        </dl>
      </section>
      <section aria-labelledby="email-title">
        <h2 id="email-title">${t('profile.email.title')}</h2>
        <form method="post" action="/profile/email" novalidate>
          ${csrfField(ctx)}
          ${input(ctx, { name: 'email', label: t('profile.email'), hint: t('profile.email.hint'), type: 'email', value: o.email ?? a.email ?? '', autocomplete: 'email', inputmode: 'email', maxlength: 254, required: false, errors: o.errors })}
          <button type="submit">${t('profile.email.save')}</button>
        </form>
        ${a.email && !a.emailVerified
          ? html`<form method="post" action="/profile/email/resend">
              ${csrfField(ctx)}
              <p>${t('profile.email.pending')}</p>
              <button type="submit" class="secondary">${t('profile.email.resend')}</button>
            </form>`
          : ''}
      </section>
      <section aria-labelledby="security-title">
        <h2 id="security-title">${t('profile.security')}</h2>
        <ul class="link-list">
          <li><a href="/profile/pin">${t('profile.pin.link')}</a></li>
          <li><a href="/profile/mobile">${t('profile.mobile.link')}</a></li>
          <li><a href="/profile/sessions">${t('profile.sessions.link')}</a></li>
          <li><a href="/profile/delete" class="danger-link">${t('profile.delete.link')}</a></li>
        </ul>
      </section>`,
  });
}

export function mobileStartPage(ctx: PageContext, o: { errors: FieldError[]; value?: string | undefined }): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: titled(ctx, t('profile.mobile.title'), o.errors),
    body: html`<div class="narrow">${errorSummary(ctx, o.errors)}
      <h1>${t('profile.mobile.title')}</h1>
      <p>${t('profile.mobile.lead')}</p>
      <form method="post" action="/profile/mobile" novalidate>
        ${csrfField(ctx)}
        ${mobileInput(ctx, o.errors, o.value, 'new_mobile', t('profile.mobile.new'))}
        <button type="submit">${t('form.send.code')}</button>
      </form>
      <p><a href="/profile">${t('profile.title')}</a></p></div>`,
  });
}

export function mobileConfirmPage(ctx: PageContext, o: { errors: FieldError[]; oldMasked: string; newMasked: string }): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: titled(ctx, t('profile.mobile.confirm.title'), o.errors),
    body: html`<div class="narrow">${errorSummary(ctx, o.errors)}
      <h1>${t('profile.mobile.confirm.title')}</h1>
      <form method="post" action="/profile/mobile/confirm" novalidate>
        ${csrfField(ctx)}
        ${otpInput(ctx, o.errors, 'otp', t('profile.mobile.code.old', { mobile: o.oldMasked }))}
        ${otpInput(ctx, o.errors, 'new_otp', t('profile.mobile.code.new', { mobile: o.newMasked }))}
        <button type="submit">${t('profile.mobile.save')}</button>
      </form>
      <p><a href="/profile/mobile">${t('form.start.again')}</a></p></div>`,
  });
}

export function deletePage(ctx: PageContext, o: { errors: FieldError[]; codeSentTo?: string | undefined; minutes: number }): SafeHtml {
  const { t } = ctx;
  const confirmErr = o.errors.find((e) => e.field === 'confirm');
  const step2 = o.codeSentTo
    ? html`<form method="post" action="/profile/delete" novalidate>
        ${csrfField(ctx)}
        ${o.errors.length ? '' : notice(t('otp.sent', { mobile: o.codeSentTo, minutes: o.minutes }))}
        ${otpInput(ctx, o.errors)}
        <div class="checkbox${confirmErr ? ' has-error' : ''}">
          ${confirmErr ? html`<span class="field-error" id="confirm-error">${confirmErr.message}</span>` : ''}
          <input type="checkbox" id="confirm" name="confirm" value="yes" required${confirmErr ? html` aria-invalid="true" aria-describedby="confirm-error"` : ''}>
          <label for="confirm">${t('profile.delete.confirm')}</label>
        </div>
        <button type="submit" class="danger">${t('profile.delete.submit')}</button>
      </form>`
    : html`<form method="post" action="/profile/delete/otp">${csrfField(ctx)}<button type="submit" class="danger">${t('profile.delete.send')}</button></form>`;
  return layout(ctx, {
    title: titled(ctx, t('profile.delete.title'), o.errors),
    body: html`<div class="narrow">${errorSummary(ctx, o.errors)}
      <h1>${t('profile.delete.title')}</h1>
      ${notice(t('profile.delete.lead'), 'warn')}
      ${step2}
      <p><a href="/profile">${t('profile.title')}</a></p></div>`,
  });
}
