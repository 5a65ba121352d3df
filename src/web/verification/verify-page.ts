/**
 * The public verify page (/verify): a form that works without JavaScript (upload a file,
 * or paste the QR text; multipart POST back to /verify) and, with verify.js, a camera
 * scanner that fills in the QR text. The result shows the status in words and colour,
 * the issuer, the signing time, the fields vouched for and every check made.
 */
import { displayText, fillHtml, html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';
import { ENGLISH_TEXT_PARAMS, type CheckDetail } from '../../domain/verification/check-details.ts';
import type { VerifyCheck, VerifyResult } from '../../domain/verification/verify-result.ts';
import { checkDetailMessageKey, verifyMessages } from './messages.ts';
import { issuerName } from '../issuers/issuer-names-hi.ts';

export interface VerifyPageState {
  result?: VerifyResult;
  error?: string;
  qr?: string;
  maxMb: number;
  sandbox: boolean;
}

const STATUS_CLASS: Record<VerifyResult['status'], string> = { valid: 'ok', tampered: 'bad', revoked: 'bad', unknown_issuer: 'bad', undetermined: 'warn' };

const FIELD_LABELS: Record<string, string> = {
  uri: 'verify.field.uri',
  doctype: 'verify.field.doctype',
  issued_on: 'verify.field.issued_on',
  holder_name: 'verify.field.holder_name',
  holder_name_hi: 'verify.field.holder_name_hi',
  document_hash: 'verify.field.document_hash',
};

/** A readable label for a field key: our own keys translated, issuers' camelCase keys spaced out. */
function fieldLabel(ctx: PageContext, key: string): string {
  const known = FIELD_LABELS[key];
  if (known) return ctx.t(known);
  const spaced = key.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function resultPanel(ctx: PageContext, r: VerifyResult): SafeHtml {
  const { t } = ctx;
  const fields = Object.entries(r.fields);
  return html`<section id="result" class="verify-result ${STATUS_CLASS[r.status]}" aria-labelledby="result-title" tabindex="-1">
    <h2 id="result-title"><span class="visually-hidden">${t('verify.result.title')}: </span><span class="status-word" data-status="${r.status}">${t(`verify.status.${r.status}`)}</span></h2>
    <p>${t(`verify.status.${r.status}.body`)}</p>
    <dl class="facts">
      ${r.issuer_id || r.issuer_name ? html`<dt>${t('verify.issuer')}</dt><dd>${r.issuer_name ? issuerName(ctx, r.issuer_name).html : ''}${r.issuer_id ? html` <span class="muted">(${r.issuer_id})</span>` : ''}</dd>` : ''}
      ${r.signed_at ? html`<dt>${t('verify.signed_at')}</dt><dd><time datetime="${r.signed_at}">${r.signed_at.replace('T', ' ').slice(0, 19)} UTC</time></dd>` : ''}
      ${r.key_id ? html`<dt>${t('verify.key')}</dt><dd><code>${r.key_id}</code></dd>` : ''}
    </dl>
    ${fields.length
      ? html`<h3>${t('verify.fields')}</h3>
          <dl class="facts fields">${fields.map(([k, v]) => html`<dt>${fieldLabel(ctx, k)}</dt><dd${k === 'holder_name_hi' ? html` lang="hi"` : ''}>${displayText(v, 500)}</dd>`)}</dl>`
      : ''}
    <h3>${t('verify.checks')}</h3>
    <ul class="checks">
      ${r.checks.map((c) => html`<li class="check ${c.result}"><strong>${t(`verify.check.${c.result}`)}</strong> ${checkName(ctx, c.id)}${ctx.lang === 'en' ? '' : html` <span class="muted">(${c.id})</span>`}: ${checkDetailHtml(ctx, c)}</li>`)}
    </ul>
    <p><a href="/verify">${t('verify.again')}</a></p>
  </section>`;
}

/** A check's name in the page's language (outside English its id stays visible beside it, for support and the API). */
function checkName(ctx: PageContext, id: string): string {
  const key = `verify.checkname.${id}`;
  const v = ctx.t(key);
  return v === key ? id : v;
}

/**
 * A check's detail in the page's language: its sentences by key, translated, with English
 * text from elsewhere (a library's reason) marked as English. The English `detail` (marked
 * lang="en") when the page is English, or a sentence has no key or no translation.
 */
export function checkDetailHtml(ctx: PageContext, c: VerifyCheck): SafeHtml {
  if (ctx.lang !== 'en' && c.detailParts?.length) {
    const sentences = c.detailParts.map((d) => translatedDetail(ctx, d));
    if (sentences.every((x) => x !== null)) return html`${sentences.map((x, i) => (i ? html` ${x}` : x))}`;
  }
  return html`<span lang="en">${c.detail}</span>`;
}

function translatedDetail(ctx: PageContext, d: CheckDetail): SafeHtml | null {
  const template = (verifyMessages[ctx.lang] as Record<string, string | undefined>)[checkDetailMessageKey(d.key)];
  if (!template) return null;
  const params = d.params ?? {};
  const values: Record<string, HtmlValue> = {};
  for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
    if (!Object.hasOwn(params, name!)) return null;
    const value = params[name!]!;
    // An issuer by its Hindi name where known (marked English otherwise), as everywhere else.
    values[name!] = name === 'issuer_name' ? issuerName(ctx, value).html : ENGLISH_TEXT_PARAMS.has(name!) ? html`<span lang="en">${value}</span>` : value;
  }
  return fillHtml(template, values);
}

export function verifyPage(ctx: PageContext, state: VerifyPageState): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: t('verify.title'),
    bare: true,
    scripts: ['verify.js'],
    body: html`
      <h1>${t('verify.title')}</h1>
      ${state.result ? resultPanel(ctx, state.result) : ''}
      ${state.error
        ? html`<div class="error-summary" role="alert" id="verify-error" tabindex="-1"><h2>${t('verify.error.title')}</h2><p>${state.error}</p></div>`
        : ''}
      <p class="lead">${t('verify.lead')}</p>
      <form method="post" action="/verify" enctype="multipart/form-data" id="verify-form" class="verify-form">
        <fieldset>
          <legend>${t('verify.file.legend')}</legend>
          <label for="file">${t('verify.file.label')}</label>
          <span class="hint" id="file-hint">${t('verify.file.hint', { mb: state.maxMb })}</span>
          <input id="file" name="file" type="file" accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png,.xml" aria-describedby="file-hint">
        </fieldset>
        <p class="or" aria-hidden="true">${t('verify.or')}</p>
        <label for="qr">${t('verify.qr.label')}</label>
        <span class="hint" id="qr-hint">${t('verify.qr.hint')}</span>
        <textarea id="qr" name="qr" rows="3" spellcheck="false" autocapitalize="off" autocomplete="off" aria-describedby="qr-hint">${state.qr ?? ''}</textarea>
        <div class="scanner" id="scanner" hidden data-label-start="${t('verify.scan')}" data-label-stop="${t('verify.scan.stop')}" data-unavailable="${t('verify.scan.unavailable')}">
          <button type="button" class="secondary" id="scan-button">${t('verify.scan')}</button>
          <p class="hint" id="scan-status" role="status" aria-live="polite"></p>
          <video id="scan-video" playsinline muted hidden aria-label="${t('verify.scan.help')}"></video>
        </div>
        <p><button type="submit">${t('verify.submit')}</button></p>
      </form>
      <section aria-labelledby="how-title" class="note">
        <h2 id="how-title">${t('verify.how.title')}</h2>
        <p>${t('verify.how.body')}</p>
        <ul>
          <li><a href="/keys/log">${t('verify.how.log')}</a></li>
          ${state.sandbox ? html`<li><a href="/keys/sandbox-root.pem">${t('verify.how.root')}</a></li>` : ''}
        </ul>
      </section>`,
  });
}
