/**
 * Reads a multipart upload (`file`, optional `name`, `doctype`, `folder`) and hands the
 * file stream to the use case without buffering it. Fields sent before the file apply as it
 * is stored; fields after it (some clients order them so) are applied as an edit right after.
 * A request whose declared length is already over the limit is refused before reading.
 */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError, invalid } from '../../../domain/errors.ts';
import { deleteUpload, updateUpload } from '../../../domain/uploads/manage-uploads.ts';
import type { UploadDeps } from '../../../domain/uploads/ports.ts';
import { fileTooLarge, uploadDocument, type UploadResult } from '../../../domain/uploads/upload-document.ts';
import { whoOf } from './context.ts';

/** Room for multipart boundaries and the small text fields. */
const ENVELOPE_BYTES = 64 * 1024;

/** The request's parts; a body that is not well-formed multipart becomes a 400, not a 500. */
async function* readableParts(req: FastifyRequest) {
  const it = req.parts()[Symbol.asyncIterator]();
  for (;;) {
    let r: IteratorResult<Awaited<ReturnType<typeof it.next>>['value']>;
    try {
      r = await it.next();
    } catch (err) {
      const e = err as { code?: string; statusCode?: number };
      if (err instanceof AppError || (typeof e.code === 'string' && e.code.startsWith('FST_'))) throw err;
      throw invalid('malformed_multipart', 'The upload is not well-formed multipart/form-data. Send the file in the field "file".');
    }
    if (r.done) return;
    yield r.value;
  }
}

/** `seen` collects the text fields as they arrive, so a page can show them again when the upload fails. */
export async function receiveUpload(deps: UploadDeps, req: FastifyRequest, seen: Record<string, string> = {}): Promise<UploadResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > deps.policy.maxBytes + ENVELOPE_BYTES) throw fileTooLarge(deps.policy.maxBytes);
  if (!req.isMultipart()) throw new AppError('unsupported', 'multipart_required', 'Send the file as multipart/form-data with the field "file".');
  const who = whoOf(req);
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  let result: UploadResult | null = null;
  try {
    for await (const part of readableParts(req)) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || result) {
          part.file.resume();
          throw invalid('unexpected_file', 'Send exactly one file, in the field "file".');
        }
        result = await uploadDocument(deps, {
          ...who,
          file: (part as MultipartFile).file,
          filename: part.filename,
          name: before.name,
          doctype: before.doctype,
          folderId: before.folder || null,
        });
      } else if (['name', 'doctype', 'folder'].includes(part.fieldname)) {
        (result ? after : before)[part.fieldname] = String(part.value ?? '');
        seen[part.fieldname] = String(part.value ?? '').slice(0, 200);
      }
    }
    if (!result) throw invalid('file_required', 'Choose a file to upload (multipart field "file").', { field: 'file' });
    if (Object.keys(after).length) {
      const upload = await updateUpload(deps, who, result.upload.id, {
        ...(after.name ? { name: after.name } : {}),
        ...(after.doctype !== undefined ? { doctype: after.doctype || null } : {}),
        ...(after.folder !== undefined ? { folder: after.folder || null } : {}),
      });
      result = { ...result, upload };
    }
  } catch (err) {
    // A request that fails after its file was stored (a second file, a bad field after it) must not leave the upload behind.
    if (result) await deleteUpload(deps, who, result.upload.id).catch(() => {});
    throw err;
  }
  return result;
}
