/**
 * The web shell: static assets, the language switch, home, help, and what each locker
 * section shows before its module takes over (a prompt to sign in). Feature modules
 * register their own pages; the layout, translations and error pages live here.
 */
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { isLang, registerMessages } from '../i18n/index.ts';
import { pageContext, sendHtml, type WebSettings } from '../render.ts';
import { SECTIONS } from './layout.ts';
import { shellMessages } from './messages.ts';
import { errorPage, helpPage, homePage, signInToSeePage } from './pages.ts';
import { errorMessage } from '../accounts/forms.ts';
import type { HtmlErrorRenderer } from '../../http/plugins/errors.ts';
import { ROOT } from '../../paths.ts';

registerMessages(shellMessages);

export const STATIC_DIR = path.join(ROOT, 'src', 'web', 'static');

export function htmlErrorRenderer(settings: WebSettings): HtmlErrorRenderer {
  return (req, reply, status, body) => {
    const ctx = pageContext(req, reply, settings);
    // The citizen's language where the code has a translation (rate limits, not found…), as forms translate.
    return sendHtml(reply, errorPage(ctx, status, errorMessage(ctx, { code: body.error, message: body.error_description, details: body })), status);
  };
}

const BASE = 'http://next.invalid';

/**
 * Only same-site paths may be `next=` targets (no open redirects). Browsers drop tabs and
 * line breaks from a URL and read `\` as `/`, so `/\t/evil.example` would leave the site:
 * any whitespace, control character or backslash refuses the value outright, and what is
 * left must resolve to a path on this origin (checked with the WHATWG URL parser that
 * browsers follow). Also keeps CR/LF out of the Location header.
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 2000 || !next.startsWith('/') || /[\s\x00-\x1f\x7f\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || !url.pathname.startsWith('/') || url.pathname.startsWith('//')) return fallback;
  return url.pathname + url.search + url.hash;
}

export async function registerWebShell(app: FastifyInstance, settings: WebSettings & { sectionsHandledElsewhere?: string[]; secureCookies?: boolean }): Promise<void> {
  await app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/static/',
    maxAge: '1h',
    index: false,
    decorateReply: false,
  });

  app.get('/', { schema: { hide: true } }, (req, reply) => {
    if (req.citizen) return reply.redirect('/dashboard', 303);
    return sendHtml(reply, homePage(pageContext(req, reply, settings)));
  });

  app.get('/help', { schema: { hide: true } }, (req, reply) => sendHtml(reply, helpPage(pageContext(req, reply, settings))));

  app.get(
    '/lang/:lang',
    { schema: { hide: true, params: Type.Object({ lang: Type.String() }), querystring: Type.Object({ next: Type.Optional(Type.String()) }) } },
    (req, reply) => {
      const { lang } = req.params as { lang: string };
      const { next } = req.query as { next?: string };
      if (isLang(lang)) {
        reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: settings.secureCookies ?? false, maxAge: 365 * 86_400 });
      }
      return reply.redirect(safeNext(next), 303);
    },
  );

  for (const s of SECTIONS) {
    if (settings.sectionsHandledElsewhere?.includes(s.href)) continue;
    app.get(s.href, { schema: { hide: true } }, (req, reply) => sendHtml(reply, signInToSeePage(pageContext(req, reply, settings), s.key)));
  }
}
