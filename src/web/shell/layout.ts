/**
 * The page frame every screen shares: skip link, header with language switch and account
 * links, the locker's sections as navigation, a main landmark, and a footer with help and
 * the support contact. Works without JavaScript, from 320 px phones up.
 */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';

export const SECTIONS = [
  { key: 'nav.dashboard', href: '/dashboard' },
  { key: 'nav.issued', href: '/issued' },
  { key: 'nav.uploaded', href: '/uploaded' },
  { key: 'nav.shared', href: '/shared' },
  { key: 'nav.connected', href: '/connected' },
  { key: 'nav.activity', href: '/activity' },
  { key: 'nav.issuers', href: '/issuers' },
] as const;

export interface LayoutOptions {
  /** The page's own title (the document title adds the service name). */
  title: string;
  body: HtmlValue;
  /** Extra scripts from /static (no inline scripts: the CSP forbids them). */
  scripts?: string[];
  /** Render without the section navigation (sign-in, consent and public pages). */
  bare?: boolean;
}

export function layout(ctx: PageContext, opts: LayoutOptions): SafeHtml {
  const { t } = ctx;
  const other = ctx.lang === 'en' ? 'hi' : 'en';
  const langHref = `/lang/${other}?next=${encodeURIComponent(ctx.here)}`;
  const nav = opts.bare
    ? ''
    : html`<nav class="sections" aria-label="${t('nav.label')}">
        <ul>
          ${SECTIONS.map((s) => {
            const current = ctx.path === s.href || ctx.path.startsWith(s.href + '/');
            return html`<li><a href="${s.href}"${current ? html` aria-current="page"` : ''}>${t(s.key)}</a></li>`;
          })}
        </ul>
      </nav>`;
  const account = ctx.citizen
    ? html`<a href="/profile">${t('nav.profile')}</a>
        <form method="post" action="/signout" class="inline">
          <input type="hidden" name="_csrf" value="${ctx.csrf()}">
          <button type="submit" class="link">${t('nav.signout')}</button>
        </form>`
    : html`<a href="/signin">${t('nav.signin')}</a> <a href="/signup" class="button small">${t('nav.signup')}</a>`;
  const idle = ctx.citizen ? html` data-idle-seconds="${ctx.citizen.idleSeconds}"` : '';
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · ${t('app.name')}</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<script src="/static/app.js" defer></script>
${(opts.scripts ?? []).map((s) => html`<script src="/static/${s}" defer></script>`)}
</head>
<body${idle}>
<a class="skip" href="#main">${t('skip.to.content')}</a>
<header class="top">
  <div class="brand"><a href="/" class="logo" aria-label="${t('app.name')} — ${t('app.tagline')}"><span aria-hidden="true" class="mark">▣</span> ${t('app.name')}</a></div>
  <div class="account">
    <a href="${langHref}" lang="${other}" hreflang="${other}" title="${t('lang.switch.title')}">${t('lang.switch')}</a>
    ${account}
  </div>
</header>
${nav}
${ctx.sandbox ? html`<aside class="sandbox-banner" aria-label="${t('footer.sandbox.label')}"><p>${t('footer.sandbox')}</p></aside>` : ''}
<main id="main" tabindex="-1">
${opts.body}
</main>
<footer class="bottom">
  <ul>
    <li><a href="/help">${t('footer.help')}</a></li>
    <li><a href="/verify">${t('nav.verify')}</a></li>
    <li><a href="/docs">${t('footer.api')}</a></li>
    <li>${t('footer.support', { email: '' })}<a href="mailto:${ctx.supportEmail}">${ctx.supportEmail}</a></li>
  </ul>
</footer>
</body>
</html>`;
}
