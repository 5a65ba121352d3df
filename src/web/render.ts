/**
 * Page rendering: builds the per-request context (language, translator, signed-in
 * citizen, CSRF token on demand) and sends a page with the right headers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CitizenPrincipal } from '../http/principal.ts';
import { negotiateLang, translator, type Lang, type Translate } from './i18n/index.ts';
import type { SafeHtml } from './html.ts';

export interface PageContext {
  lang: Lang;
  t: Translate;
  /** Path of the current page (no query), for active navigation and `next=` links. */
  path: string;
  /** Full URL path with query, to come back to after switching language or signing in. */
  here: string;
  citizen: CitizenPrincipal | null;
  requestId: string;
  supportEmail: string;
  sandbox: boolean;
  /** A CSRF token for forms on this page (sets the CSRF secret cookie on first use). */
  csrf(): string;
}

export interface WebSettings {
  supportEmail: string;
  sandbox: boolean;
}

/**
 * Where "switch language" and "sign in" come back to. A page answering a form (a POST with
 * errors) has no GET route of its own, so it is the page the form was on: the Referer when
 * it is this site's, else the home page.
 */
function hereOf(req: FastifyRequest): string {
  if (req.method === 'GET' || req.method === 'HEAD') return req.url;
  const referer = req.headers.referer;
  if (typeof referer === 'string') {
    try {
      const u = new URL(referer);
      if (u.host === new URL(`${u.protocol}//${req.headers.host ?? ''}`).host) return u.pathname + u.search;
    } catch {
      // not a URL: fall through
    }
  }
  return '/';
}

/**
 * What a form's CSRF token is bound to: the citizen's session, or `-` before sign-in (the
 * library refuses an empty value).
 */
export function csrfUserInfo(req: FastifyRequest): string {
  return req.citizen?.sessionId ?? '-';
}

export function pageContext(req: FastifyRequest, reply: FastifyReply, settings: WebSettings): PageContext {
  const lang = negotiateLang(req.cookies?.lang, req.headers['accept-language']);
  let token: string | undefined;
  return {
    lang,
    t: translator(lang),
    path: req.url.split('?')[0] ?? '/',
    here: hereOf(req),
    citizen: req.citizen ?? null,
    requestId: req.id,
    supportEmail: settings.supportEmail,
    sandbox: settings.sandbox,
    csrf() {
      token ??= reply.generateCsrf({ userInfo: csrfUserInfo(req) });
      return token;
    },
  };
}

export function sendHtml(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('vary', 'Cookie, Accept-Language')
    .type('text/html; charset=utf-8')
    .send(page.value);
}
