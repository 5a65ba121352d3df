/**
 * Simple, protected admin pages for partners, and the public application form.
 *
 * Admin sign-in: the admin token (ADMIN_TOKEN) is typed once into /admin/signin and
 * exchanged for a signed, HttpOnly, SameSite=Strict cookie scoped to /admin that expires
 * after 15 minutes; wrong tokens are counted per IP like the admin API's. Every change is a
 * CSRF-protected form. A new client secret is shown on the page that created it, once.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tokenMatches } from '../../crypto/admin-token.ts';
import type { Partner } from '../../domain/consent/model.ts';
import { approvePartner, rotatePartnerSecret } from '../../domain/consent/register-partner.ts';
import { setPartnerStatus } from '../../domain/consent/set-partner-status.ts';
import { AppError } from '../../domain/errors.ts';
import { checkAdminToken } from '../../http/plugins/admin-auth.ts';
import type { ConsentServices } from '../../wiring/consent.ts';
import { attempt, csrfField, errorSummary, field, input, notice, statusFor, titled, type FieldError } from '../accounts/forms.ts';
import { displayText, html, type HtmlValue, type SafeHtml } from '../html.ts';
import { pageContext, sendHtml, type PageContext, type WebSettings } from '../render.ts';
import { layout } from '../shell/layout.ts';

const ADMIN_COOKIE = 'ol_admin';
const ADMIN_SESSION_MS = 15 * 60_000;

function page(ctx: PageContext, title: string, errors: FieldError[], body: HtmlValue): SafeHtml {
  return layout(ctx, { title: titled(ctx, title, errors), bare: true, body: html`<div class="admin">${body}</div>` });
}

function partnerRow(ctx: PageContext, p: Partner): SafeHtml {
  const { t } = ctx;
  const actions: Array<[string, string]> = [];
  if (p.status === 'pending' || p.status === 'suspended') actions.push(['approve', t('admin.approve')]);
  if (p.status === 'approved') actions.push(['suspend', t('admin.suspend')], ['rotate-secret', t('admin.rotate')]);
  if (p.status === 'pending') actions.push(['reject', t('admin.reject')]);
  if (p.status !== 'revoked' && p.status !== 'rejected') actions.push(['revoke', t('admin.revoke')]);
  const name = displayText(p.name, 120);
  return html`<tr>
    <th scope="row">${name}<br><code>${p.id}</code></th>
    <td data-label="${t('consent.type')}">${t(`partner.type.${p.type}`)}</td>
    <td data-label="${t('admin.partners.status')}">${p.status}${p.statusReason ? html`<br><span class="muted">${p.statusReason}</span>` : ''}</td>
    <td data-label="${t('apply.scopes')}">${p.scopes.join(' ')}${p.doctypes.length ? html`<br><span class="muted">${p.doctypes.join(', ')}</span>` : ''}</td>
    <td data-label="${t('admin.partners.actions')}">${actions.map(
      ([a, label]) => html`<form method="post" action="/admin/partners/${p.id}/${a}" class="inline">${csrfField(ctx)}<button type="submit" class="secondary small" aria-label="${label}: ${name}">${label}</button></form> `,
    )}</td>
  </tr>`;
}

export function registerAdminPages(app: FastifyInstance, s: ConsentServices, auth: { adminToken: string; secureCookies: boolean }, web: WebSettings): void {
  const ctxOf = (req: FastifyRequest, reply: FastifyReply) => pageContext(req, reply, web);
  const csrf = app.csrfProtection;

  const isAdmin = (req: FastifyRequest): boolean => {
    const raw = req.cookies?.[ADMIN_COOKIE];
    if (!raw) return false;
    const u = req.unsignCookie(raw);
    return u.valid && /^\d+$/.test(u.value ?? '') && Number(u.value) > s.clock.now().getTime();
  };
  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!isAdmin(req)) return reply.redirect('/admin/signin', 303);
  };

  const signinPage = (ctx: PageContext, errors: FieldError[]) =>
    page(
      ctx,
      ctx.t('admin.signin.title'),
      errors,
      html`${errorSummary(ctx, errors)}<h1>${ctx.t('admin.signin.title')}</h1>
      <form method="post" action="/admin/signin" novalidate>${csrfField(ctx)}
        ${input(ctx, { name: 'token', label: ctx.t('admin.token'), hint: ctx.t('admin.token.hint'), type: 'password', autocomplete: 'current-password', errors })}
        <button type="submit">${ctx.t('admin.signin.submit')}</button></form>`,
    );

  app.get('/admin/signin', { schema: { hide: true } }, async (req, reply) => sendHtml(reply, signinPage(ctxOf(req, reply), [])));

  app.post('/admin/signin', { schema: { hide: true }, preHandler: csrf }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    if (!(await checkAdminToken({ ...s, adminToken: auth.adminToken }, req.ip, field(req.body, 'token') ?? '', reply))) {
      return sendHtml(reply, signinPage(ctx, [{ field: 'token', message: ctx.t('admin.signin.wrong') }]), 401);
    }
    const until = s.clock.now().getTime() + ADMIN_SESSION_MS;
    reply.setCookie(ADMIN_COOKIE, String(until), { path: '/admin', httpOnly: true, sameSite: 'strict', secure: auth.secureCookies, signed: true, maxAge: ADMIN_SESSION_MS / 1000 });
    return reply.redirect('/admin/partners', 303);
  });

  app.post('/admin/signout', { schema: { hide: true }, preHandler: csrf }, async (_req, reply) => {
    reply.clearCookie(ADMIN_COOKIE, { path: '/admin', httpOnly: true, sameSite: 'strict', secure: auth.secureCookies });
    return reply.redirect('/admin/signin', 303);
  });

  const listPage = async (ctx: PageContext, notices: HtmlValue = '') => {
    const { items } = await s.partners.list({ limit: 200 });
    const { t } = ctx;
    return page(
      ctx,
      t('admin.partners.title'),
      [],
      html`${notices}<h1>${t('admin.partners.title')}</h1>
      <div class="table-wrap"><table class="stack">
        <caption class="visually-hidden">${t('admin.partners.title')}</caption>
        <thead><tr><th scope="col">${t('apply.name')}</th><th scope="col">${t('consent.type')}</th><th scope="col">${t('admin.partners.status')}</th><th scope="col">${t('apply.scopes')}</th><th scope="col">${t('admin.partners.actions')}</th></tr></thead>
        <tbody>${items.map((p) => partnerRow(ctx, p))}</tbody>
      </table></div>
      <form method="post" action="/admin/signout">${csrfField(ctx)}<button type="submit" class="link">${t('admin.signout')}</button></form>`,
    );
  };

  app.get('/admin/partners', { schema: { hide: true }, preHandler: guard }, async (req, reply) => sendHtml(reply, await listPage(ctxOf(req, reply))));

  app.post('/admin/partners/:id/:action', { schema: { hide: true }, preHandler: [guard, csrf] }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const { id, action } = req.params as { id: string; action: string };
    const r = await attempt(async (): Promise<{ status: string; secret: string | null }> => {
      if (action === 'approve') {
        const a = await approvePartner(s, id);
        return { status: a.partner.status, secret: a.clientSecret };
      }
      if (action === 'rotate-secret') {
        const c = await rotatePartnerSecret(s, id);
        return { status: c.partner.status, secret: c.clientSecret };
      }
      if (action === 'suspend' || action === 'revoke' || action === 'reject') return { status: (await setPartnerStatus(s, id, action)).status, secret: null };
      throw new AppError('not_found', 'not_found', 'Unknown action.');
    });
    if (!r.ok) return sendHtml(reply, await listPage(ctx, notice(r.error.message, 'warn')), statusFor(r.error));
    const shown = r.value.secret ? html`<p>${ctx.t('admin.partners.new.secret', { id })}</p><p><code class="secret">${r.value.secret}</code></p>` : '';
    return sendHtml(reply, await listPage(ctx, notice(html`<p>${ctx.t('admin.done', { id, status: r.value.status })}</p>${shown}`, 'ok')));
  });
}
