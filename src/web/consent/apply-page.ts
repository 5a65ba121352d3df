/** The public application form for organisations (`/partners/apply`), the page form of POST /api/v1/partners/applications. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PARTNER_TYPES } from '../../domain/consent/model.ts';
import { applyForPartnership } from '../../domain/consent/register-partner.ts';
import { limitBy } from '../../http/plugins/limits.ts';
import type { ConsentServices } from '../../wiring/consent.ts';
import { attempt, csrfField, errorSummary, field, input, statusFor, titled, toFieldError, type FieldError, type Values } from '../accounts/forms.ts';
import { html, type SafeHtml } from '../html.ts';
import { pageContext, sendHtml, type PageContext, type WebSettings } from '../render.ts';
import { layout } from '../shell/layout.ts';

function textarea(ctx: PageContext, name: string, label: string, hint: string, value: string | undefined, errors: FieldError[]): SafeHtml {
  const err = errors.find((e) => e.field === name);
  return html`<div class="field${err ? ' has-error' : ''}">
    <label for="${name}">${label}</label>
    <span class="hint" id="${name}-hint">${hint}</span>
    ${err ? html`<span class="field-error" id="${name}-error"><span class="visually-hidden">${ctx.t('form.error.prefix')} </span>${err.message}</span>` : ''}
    <textarea id="${name}" name="${name}" rows="3" aria-describedby="${name}-hint${err ? ` ${name}-error` : ''}"${err ? html` aria-invalid="true"` : ''}>${value ?? ''}</textarea>
  </div>`;
}

function applyPage(ctx: PageContext, errors: FieldError[], v: Values): SafeHtml {
  const { t } = ctx;
  const typeErr = errors.find((e) => e.field === 'type');
  return layout(ctx, {
    title: titled(ctx, t('apply.title'), errors),
    bare: true,
    body: html`<div class="narrow">${errorSummary(ctx, errors)}
      <h1>${t('apply.title')}</h1>
      <p>${t('apply.lead')}</p>
      <form method="post" action="/partners/apply" novalidate>${csrfField(ctx)}
        ${input(ctx, { name: 'name', label: t('apply.name'), value: v.name, autocomplete: 'organization', maxlength: 120, errors })}
        <div class="field${typeErr ? ' has-error' : ''}">
          <label for="type">${t('apply.type')}</label>
          ${typeErr ? html`<span class="field-error" id="type-error">${typeErr.message}</span>` : ''}
          <select id="type" name="type"${typeErr ? html` aria-invalid="true" aria-describedby="type-error"` : ''}>
            ${PARTNER_TYPES.map((ty) => html`<option value="${ty}"${v.type === ty ? html` selected` : ''}>${t(`partner.type.${ty}`)}</option>`)}
          </select>
        </div>
        ${input(ctx, { name: 'contact_name', label: t('apply.contact.name'), value: v.contact_name, autocomplete: 'name', maxlength: 100, errors })}
        ${input(ctx, { name: 'contact_email', label: t('apply.contact.email'), type: 'email', value: v.contact_email, autocomplete: 'email', maxlength: 254, errors })}
        ${input(ctx, { name: 'contact_phone', label: t('apply.contact.phone'), type: 'tel', value: v.contact_phone, autocomplete: 'tel', maxlength: 20, required: false, errors })}
        ${textarea(ctx, 'redirect_uris', t('apply.redirects'), t('apply.redirects.hint'), v.redirect_uris, errors)}
        ${input(ctx, { name: 'scopes', label: t('apply.scopes'), hint: t('apply.scopes.hint'), value: v.scopes, maxlength: 500, errors })}
        ${input(ctx, { name: 'doctypes', label: t('apply.doctypes'), hint: t('apply.doctypes.hint'), value: v.doctypes, maxlength: 500, required: false, errors })}
        ${textarea(ctx, 'purpose', t('apply.purpose'), t('apply.purpose.hint'), v.purpose, errors)}
        <button type="submit">${t('apply.submit')}</button>
      </form></div>`,
  });
}

export function registerApplyPage(app: FastifyInstance, s: ConsentServices, web: WebSettings): void {
  const ctxOf = (req: FastifyRequest, reply: FastifyReply) => pageContext(req, reply, web);
  app.get('/partners/apply', { schema: { hide: true } }, async (req, reply) => sendHtml(reply, applyPage(ctxOf(req, reply), [], { type: 'bank' })));
  app.post('/partners/apply', { schema: { hide: true }, preHandler: [app.csrfProtection, limitBy(s, { name: 'partner-apply-ip', max: 10, windowMs: 3600_000 })] }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const names = ['name', 'type', 'contact_name', 'contact_email', 'contact_phone', 'redirect_uris', 'scopes', 'doctypes', 'purpose'];
    const v: Values = Object.fromEntries(names.map((n) => [n, field(req.body, n)]));
    const r = await attempt(() => applyForPartnership(s, { ...v, redirect_uris: (v.redirect_uris ?? '').split(/\s+/).filter(Boolean), scopes: v.scopes ?? '', doctypes: v.doctypes ?? '' }));
    if (!r.ok) return sendHtml(reply, applyPage(ctx, [toFieldError(ctx, r.error, 'name')], v), statusFor(r.error));
    const { t } = ctx;
    return sendHtml(reply, layout(ctx, { title: t('apply.done.title'), bare: true, body: html`<div class="narrow"><h1>${t('apply.done.title')}</h1><p>${t('apply.done.body', { id: r.value.id, email: r.value.contactEmail ?? '' })}</p></div>` }), 201);
  });
}
