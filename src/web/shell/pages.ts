import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { FAQ } from './faq.ts';
import { layout } from './layout.ts';

export function homePage(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  const features = [
    ['home.f.issued.title', 'home.f.issued.body'],
    ['home.f.upload.title', 'home.f.upload.body'],
    ['home.f.share.title', 'home.f.share.body'],
    ['home.f.verify.title', 'home.f.verify.body'],
  ] as const;
  return layout(ctx, {
    title: t('home.title'),
    body: html`
      <section class="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">${t('home.title')}</h1>
        <p class="lead">${t('home.lead')}</p>
        <p class="actions">
          <a class="button" href="/signup">${t('home.cta.signup')}</a>
          <a class="button secondary" href="/signin">${t('home.cta.signin')}</a>
        </p>
      </section>
      <section aria-labelledby="features-title">
        <h2 id="features-title">${t('home.features')}</h2>
        <ul class="cards">
          ${features.map(([title, body]) => html`<li class="card"><h3>${t(title)}</h3><p>${t(body)}</p></li>`)}
        </ul>
      </section>
      <p class="note">${t('home.security')}</p>`,
  });
}

export function helpPage(ctx: PageContext): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: t('help.title'),
    body: html`
      <h1>${t('help.title')}</h1>
      <div class="faq">
        ${FAQ[ctx.lang].map((f) => html`<details><summary>${f.q}</summary><p>${f.a}</p></details>`)}
      </div>
      <p>${t('help.contact', { email: ctx.supportEmail })}</p>`,
  });
}

/** What a section shows to someone who is not signed in. */
export function signInToSeePage(ctx: PageContext, sectionKey: string): SafeHtml {
  const { t } = ctx;
  const section = t(sectionKey);
  return layout(ctx, {
    title: section,
    body: html`
      <h1>${section}</h1>
      <p>${t('section.signin.body', { section })}</p>
      <p><a class="button" href="/signin?next=${encodeURIComponent(ctx.here)}">${t('nav.signin')}</a></p>`,
  });
}

export function errorPage(ctx: PageContext, status: number, description: string): SafeHtml {
  const { t } = ctx;
  const notFound = status === 404;
  const title = notFound ? t('error.404.title') : t('error.title');
  return layout(ctx, {
    title,
    bare: true,
    body: html`
      <h1>${title}</h1>
      <p>${notFound ? t('error.404.body') : description}</p>
      ${status >= 500 ? html`<p class="muted">${t('error.reference', { id: ctx.requestId })}</p>` : ''}
      <p><a href="/">${t('error.back')}</a></p>`,
  });
}
