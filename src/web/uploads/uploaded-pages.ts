/**
 * The Uploaded Documents pages: the folder view (storage meter, upload form, folders,
 * documents with small image previews), one document's details (view, download, edit
 * name/type/folder, share, delete) and the delete confirmation. Names are shown through
 * `displayText` (no bidi or control characters, truncated) and escaped by `html`.
 * Previews: images are scaled by the browser from the file itself (cheap, no server work);
 * PDFs show a "PDF" badge — rendering first pages would cost a PDF renderer per upload.
 */
import type { Folder, Upload } from '../../domain/uploads/ports.ts';
import { csrfField, errorSummary, formatDateTime, type FieldError } from '../accounts/forms.ts';
import { displayText, html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { PageContext } from '../render.ts';
import { layout } from '../shell/layout.ts';
import { registryLabel, registryText } from '../issuers/registry-hi.ts';
import { formatBytes } from './format.ts';

export interface Doctype {
  code: string;
  name: string;
}

const name = (s: string, max = 80) => displayText(s, max);

function doctypeSelect(ctx: PageContext, doctypes: Doctype[], selected: string | null, id = 'doctype'): SafeHtml {
  const { t } = ctx;
  return html`<div class="field">
    <label for="${id}">${t('uploads.doctype')}</label>
    <select id="${id}" name="doctype">
      <option value="">${t('uploads.doctype.none')}</option>
      ${doctypes.map((d) => {
        // In Hindi, the registry's Hindi name; an untranslated one keeps its English, marked (an <option> cannot hold a span).
        const l = registryLabel(ctx, d.name);
        return html`<option value="${d.code}"${l.lang ? html` lang="en"` : ''}${selected === d.code ? html` selected` : ''}>${l.text}</option>`;
      })}
      <option value="OTHER"${selected === 'OTHER' ? html` selected` : ''}>${t('uploads.doctype.other')}</option>
    </select>
  </div>`;
}

export function doctypeName(ctx: PageContext, doctypes: Doctype[], code: string | null): HtmlValue {
  if (!code) return '—';
  if (code === 'OTHER') return ctx.t('uploads.doctype.other');
  const d = doctypes.find((x) => x.code === code);
  return d ? registryText(ctx, d.name) : code;
}

function fieldError(errors: FieldError[], f: string): HtmlValue {
  const e = errors.find((x) => x.field === f);
  return e ? html`<span class="field-error" id="${f}-error">${e.message}</span>` : '';
}

export interface FolderView {
  folder: Folder | null;
  path: Folder[];
  folders: Folder[];
  files: Upload[];
  /** Whether a document of this type has a server-made preview. */
  previewable: (mime: string) => boolean;
  used: number;
  quota: number;
  maxBytes: number;
  doctypes: Doctype[];
  errors: FieldError[];
  notices: HtmlValue;
  /** What was typed before a failed upload (name, document type), shown again. */
  values?: { name?: string | undefined; doctype?: string | undefined };
}

/** What a preview that cannot be made shows instead: a plain page outline (no text, no script). */
export const PREVIEW_PLACEHOLDER =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48"><rect x="10" y="6" width="28" height="36" rx="2" fill="#f1f3f4" stroke="#5f6368" stroke-width="2"/><path d="M16 16h16M16 22h16M16 28h10" stroke="#5f6368" stroke-width="2"/></svg>';

export function uploadedPage(ctx: PageContext, v: FolderView): SafeHtml {
  const { t } = ctx;
  const max = formatBytes(ctx, v.maxBytes);
  const here = v.folder ? `?folder=${encodeURIComponent(v.folder.id)}` : '';
  const csrfQ = `_csrf=${encodeURIComponent(ctx.csrf())}`;
  const fileErr = v.errors.find((e) => e.field === 'file');
  return layout(ctx, {
    title: v.folder ? `${name(v.folder.name)} · ${t('uploads.title')}` : t('uploads.title'),
    body: html`${errorSummary(ctx, v.errors)}${v.notices}
      <h1>${v.folder ? name(v.folder.name) : t('uploads.title')}</h1>
      ${v.folder
        ? html`<nav aria-label="${t('uploads.folders')}" class="breadcrumbs"><ol>
            <li><a href="/uploaded">${t('uploads.root')}</a></li>
            ${v.path.map((p) => html`<li><a href="/uploaded?folder=${encodeURIComponent(p.id)}">${name(p.name, 40)}</a></li>`)}
          </ol></nav>`
        : html`<p>${t('uploads.lead', { max })}</p>`}
      <p id="storage-label">${t('uploads.storage', { used: formatBytes(ctx, v.used), quota: formatBytes(ctx, v.quota) })}</p>
      <progress max="${v.quota}" value="${v.used}" aria-labelledby="storage-label">${Math.round((v.used / v.quota) * 100)}%</progress>

      <section aria-labelledby="upload-title">
        <h2 id="upload-title">${t('uploads.upload.title')}</h2>
        <form method="post" action="/uploaded${here}${here ? '&' : '?'}${csrfQ}" enctype="multipart/form-data" class="upload-form">
          ${v.folder ? html`<input type="hidden" name="folder" value="${v.folder.id}">` : ''}
          <div class="field">
            <label for="name">${t('uploads.name')}</label>
            <span class="hint" id="name-hint">${t('uploads.name.hint')}</span>
            <input type="text" id="name" name="name" maxlength="200" aria-describedby="name-hint"${v.values?.name ? html` value="${v.values.name}"` : ''}>
          </div>
          ${doctypeSelect(ctx, v.doctypes, v.values?.doctype || null)}
          <div class="field${fileErr ? ' has-error' : ''}">
            <label for="file">${t('uploads.file')}</label>
            <span class="hint" id="file-hint">${t('uploads.file.hint', { max })}</span>
            ${fieldError(v.errors, 'file')}
            <input type="file" id="file" name="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" required aria-describedby="file-hint${fileErr ? ' file-error' : ''}"${fileErr ? html` aria-invalid="true"` : ''}>
          </div>
          <button type="submit">${t('uploads.upload')}</button>
        </form>
      </section>

      <section aria-labelledby="folders-title">
        <h2 id="folders-title">${t('uploads.folders')}</h2>
        ${v.folders.length
          ? html`<ul class="folders">${v.folders.map(
              (f) => html`<li><a href="/uploaded?folder=${encodeURIComponent(f.id)}">${name(f.name)}</a>
                <form method="post" action="/uploaded/folders/${encodeURIComponent(f.id)}/delete" class="inline">${csrfField(ctx)}<button type="submit" class="link small" aria-label="${t('uploads.folder.delete.label', { name: name(f.name) })}">${t('uploads.folder.delete')}</button></form></li>`,
            )}</ul>`
          : ''}
        ${v.folder
          ? html`<form method="post" action="/uploaded/folders/${encodeURIComponent(v.folder.id)}" class="inline-form">
              ${csrfField(ctx)}
              <div class="field">
                <label for="folder-rename">${t('uploads.folder.rename')}</label>
                ${fieldError(v.errors, 'folder-rename')}
                <input type="text" id="folder-rename" name="name" maxlength="200" required value="${v.folder.name}">
              </div>
              <button type="submit" class="secondary">${t('uploads.save')}</button>
            </form>`
          : ''}
        <form method="post" action="/uploaded/folders" class="inline-form">
          ${csrfField(ctx)}
          ${v.folder ? html`<input type="hidden" name="parent" value="${v.folder.id}">` : ''}
          <div class="field">
            <label for="folder-name">${t('uploads.folder.name')}</label>
            ${fieldError(v.errors, 'folder-name')}
            <input type="text" id="folder-name" name="name" maxlength="200" required>
          </div>
          <button type="submit" class="secondary">${t('uploads.folder.create')}</button>
        </form>
      </section>

      <section aria-labelledby="files-title">
        <h2 id="files-title">${t('uploads.files')}</h2>
        ${v.files.length === 0
          ? html`<p class="empty">${t('uploads.empty')}</p>`
          : html`<div class="table-wrap"><table class="stack uploads">
              <caption class="visually-hidden">${t('uploads.files')}</caption>
              <thead><tr><th scope="col">${t('uploads.col.name')}</th><th scope="col">${t('uploads.col.type')}</th><th scope="col">${t('uploads.col.size')}</th><th scope="col">${t('uploads.col.date')}</th></tr></thead>
              <tbody>${v.files.map(
                (u) => html`<tr>
                  <th scope="row">${v.previewable(u.mime) ? html`<img src="/uploaded/${u.id}/preview?size=small" alt="" width="48" height="48" class="thumb" loading="lazy" decoding="async">` : html`<span class="badge" aria-hidden="true">${u.mime === 'application/pdf' ? 'PDF' : 'IMG'}</span>`}
                    <a href="/uploaded/${u.id}">${name(u.name)}</a></th>
                  <td data-label="${t('uploads.col.type')}">${doctypeName(ctx, v.doctypes, u.doctype)}</td>
                  <td data-label="${t('uploads.col.size')}">${formatBytes(ctx, u.size)}</td>
                  <td data-label="${t('uploads.col.date')}"><time datetime="${u.createdAt}">${formatDateTime(ctx, u.createdAt)}</time></td>
                </tr>`,
              )}</tbody>
            </table></div>`}
      </section>`,
  });
}

export function uploadDetailPage(ctx: PageContext, o: { upload: Upload; previewable: boolean; doctypes: Doctype[]; folders: Folder[]; errors: FieldError[]; notices: HtmlValue; values?: { name?: string | undefined } }): SafeHtml {
  const { t } = ctx;
  const u = o.upload;
  const nameErr = o.errors.find((e) => e.field === 'name');
  return layout(ctx, {
    title: name(u.name),
    body: html`${errorSummary(ctx, o.errors)}${o.notices}
      <p><a href="${u.folderId ? `/uploaded?folder=${encodeURIComponent(u.folderId)}` : '/uploaded'}">${t('uploads.title')}</a></p>
      <h1 class="doc-name">${name(u.name, 120)}</h1>
      ${o.previewable ? html`<p><a href="/uploaded/${u.id}/file"><img src="/uploaded/${u.id}/preview?size=large" alt="${t(u.mime === 'application/pdf' ? 'uploads.preview.pdf' : 'uploads.preview.image', { name: name(u.name) })}" class="preview" decoding="async"></a></p>` : ''}
      <dl class="facts">
        <dt>${t('uploads.col.type')}</dt><dd>${doctypeName(ctx, o.doctypes, u.doctype)}</dd>
        <dt>${t('uploads.col.size')}</dt><dd>${formatBytes(ctx, u.size)} (${u.mime})</dd>
        <dt>${t('uploads.col.date')}</dt><dd><time datetime="${u.createdAt}">${formatDateTime(ctx, u.createdAt)}</time></dd>
        <dt>${t('uploads.sha256')}</dt><dd><code class="hash">${u.sha256}</code></dd>
      </dl>
      <ul class="actions">
        <li><a href="/uploaded/${u.id}/file" class="button">${t('uploads.view')}</a></li>
        <li><a href="/uploaded/${u.id}/file?download=1" class="button secondary">${t('uploads.download')}</a></li>
        <li><a href="/shared/new?upload=${u.id}" class="button secondary">${t('uploads.share')}</a></li>
        <li><a href="/uploaded/${u.id}/delete" class="button danger">${t('uploads.delete')}</a></li>
      </ul>
      <section aria-labelledby="edit-title">
        <h2 id="edit-title">${t('uploads.edit')}</h2>
        <form method="post" action="/uploaded/${u.id}">
          ${csrfField(ctx)}
          <div class="field${nameErr ? ' has-error' : ''}">
            <label for="name">${t('uploads.col.name')}</label>
            ${fieldError(o.errors, 'name')}
            <input type="text" id="name" name="name" maxlength="200" required value="${o.values?.name ?? u.name}"${nameErr ? html` aria-invalid="true" aria-describedby="name-error"` : ''}>
          </div>
          ${doctypeSelect(ctx, o.doctypes, u.doctype)}
          <div class="field">
            <label for="folder">${t('uploads.folder')}</label>
            <select id="folder" name="folder">
              <option value="">${t('uploads.root')}</option>
              ${o.folders.map((f) => html`<option value="${f.id}"${u.folderId === f.id ? html` selected` : ''}>${name(f.name)}</option>`)}
            </select>
          </div>
          <button type="submit">${t('uploads.save')}</button>
        </form>
      </section>`,
  });
}

export function deleteUploadPage(ctx: PageContext, u: Upload): SafeHtml {
  const { t } = ctx;
  return layout(ctx, {
    title: t('uploads.delete.title', { name: name(u.name) }),
    body: html`<h1>${t('uploads.delete.title', { name: name(u.name) })}</h1>
      <p>${t('uploads.delete.lead')}</p>
      <form method="post" action="/uploaded/${u.id}/delete">
        ${csrfField(ctx)}
        <button type="submit" class="danger">${t('uploads.delete.confirm')}</button>
        <a href="/uploaded/${u.id}">${t('uploads.cancel')}</a>
      </form>`,
  });
}
