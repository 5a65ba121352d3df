/**
 * oidc-provider's error page (an authorization request that cannot be answered by a
 * redirect: unknown client, a redirect_uri that is not registered, a suspended partner…)
 * rendered in the locker's own layout, in the visitor's language. Never redirects.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { negotiateLang, translator } from '../i18n/index.ts';
import type { PageContext } from '../render.ts';
import { errorPage } from '../shell/pages.ts';
import { displayText } from '../html.ts';

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function renderProviderError(web: { supportEmail: string; sandbox: boolean }) {
  return (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): void => {
    const lang = negotiateLang(cookie(ctx.get('cookie'), 'lang'), ctx.get('accept-language'));
    const page: PageContext = {
      lang,
      t: translator(lang),
      path: ctx.path,
      here: '/',
      citizen: null,
      requestId: String(ctx.get('x-request-id') || ''),
      supportEmail: web.supportEmail,
      sandbox: web.sandbox,
      csrf: () => '',
    };
    const t = translator(lang);
    const description = `${t('consent.error.lead')} ${displayText(out.error_description ?? out.error, 300)} (${out.error})`;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('cache-control', 'no-store');
    ctx.body = errorPage(page, ctx.status >= 400 ? ctx.status : 400, description).value;
  };
}
