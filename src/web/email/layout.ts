/**
 * The HTML alternative of an email, built with the escaping `html` templates like every
 * page: callers pass text (escaped here) and `html` fragments they built the same way, so
 * nothing a citizen typed can become markup in someone's mailbox. Mail clients ignore
 * stylesheets and scripts, so the layout is plain, with a few inline styles from our own
 * source; the plain-text body always goes with it.
 */
import { html, safeUrl, type SafeHtml } from '../html.ts';

export interface EmailLayout {
  lang: 'en' | 'hi';
  /** Heading and <title>. */
  title: string;
  /** Paragraphs of text (escaped) or fragments built with `html`. */
  paragraphs: Array<string | SafeHtml>;
  /** An optional button-like link (http(s) only; anything else becomes "#"). */
  action?: { label: string; url: string };
  /** Small print under a rule (who sent this and why). */
  footer?: string;
}

export function emailHtml(e: EmailLayout): SafeHtml {
  return html`<!doctype html>
<html lang="${e.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e.title}</title></head>
<body style="margin:0;padding:16px;font-family:system-ui,'Noto Sans','Noto Sans Devanagari',sans-serif;color:#1b1b1b;background:#ffffff">
<h1 style="font-size:20px;margin:0 0 16px">${e.title}</h1>
${e.paragraphs.map((p) => html`<p style="font-size:16px;line-height:1.5;margin:0 0 12px">${p}</p>\n`)}
${e.action ? html`<p style="margin:20px 0"><a href="${safeUrl(e.action.url)}" style="display:inline-block;padding:10px 16px;background:#0b5394;color:#ffffff;text-decoration:none;border-radius:4px">${e.action.label}</a></p>` : ''}
${e.footer ? html`<hr style="border:0;border-top:1px solid #cccccc;margin:24px 0 12px"><p style="font-size:13px;color:#555555">${e.footer}</p>` : ''}
</body>
</html>`;
}
