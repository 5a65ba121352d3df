/** /api/v1/uploads, /api/v1/folders and /api/v1/uploads/doctypes: the citizen's own drive. */
import type { FastifyInstance } from 'fastify';
import { createFolder, deleteFolder, deleteUpload, getUpload, openUpload, updateFolder, updateUpload } from '../../../domain/uploads/manage-uploads.ts';
import { downloadName } from '../../../domain/uploads/names.ts';
import type { UploadDeps } from '../../../domain/uploads/ports.ts';
import { OTHER_DOCTYPE } from '../../../domain/uploads/rules.ts';
import { requireCitizen } from '../../plugins/authenticate.ts';
import { sendDocument, whoOf } from './context.ts';
import { presentFolder, presentUpload } from './present.ts';
import { receiveUpload } from './receive-upload.ts';
import {
  DoctypeList,
  errors,
  FileQuery,
  FolderBody,
  FolderItem,
  FolderList,
  FolderPatchBody,
  IdParams,
  UploadCreated,
  UploadItem,
  UploadList,
  UploadPatchBody,
  UploadQuery,
} from './schemas.ts';

const tags = ['Citizen: uploads'];
const security: Array<Record<string, string[]>> = [{ session: [] }, { bearer: [] }];

export function registerUploadApi(app: FastifyInstance, deps: UploadDeps): void {
  const signedIn = requireCitizen();

  app.post(
    '/api/v1/uploads',
    {
      preValidation: signedIn,
      schema: {
        tags,
        summary: 'Upload a document (PDF, JPEG or PNG)',
        description:
          'multipart/form-data with `file` and optional `name`, `doctype` (GET /api/v1/uploads/doctypes) and `folder`. The type is decided from the content. ' +
          'Over UPLOAD_MAX_BYTES → 413 `file_too_large`; over the quota → 413 `quota_exceeded`; anything but PDF/JPEG/PNG → 415 `unsupported_file_type`; nothing is stored in those cases. ' +
          '`duplicate_of` lists earlier uploads with the same content.',
        consumes: ['multipart/form-data'],
        security,
        response: { 201: UploadCreated, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (req, reply) => {
      const r = await receiveUpload(deps, req);
      return reply.code(201).send({ ...presentUpload(r.upload), ...(r.duplicates.length ? { duplicate_of: r.duplicates.map((d) => ({ id: d.id, name: d.name })) } : {}) });
    },
  );

  app.get(
    '/api/v1/uploads',
    { preValidation: signedIn, schema: { tags, summary: 'Your uploaded documents, newest first, with storage used', security, querystring: UploadQuery, response: { 200: UploadList, ...errors(400, 401, 403) } } },
    async (req) => {
      const { folder } = req.query as { folder?: string };
      const accountId = req.citizen!.accountId;
      const [items, used] = await Promise.all([deps.uploads.list(accountId, folder === undefined ? undefined : folder === 'root' ? null : folder), deps.uploads.usedBytes(accountId)]);
      return { items: items.map(presentUpload), used_bytes: used, quota_bytes: deps.policy.quotaBytes };
    },
  );

  app.get(
    '/api/v1/uploads/doctypes',
    { preValidation: signedIn, schema: { tags, summary: 'Document types a citizen can assign (the issuers\' catalogue, plus OTHER)', security, response: { 200: DoctypeList, ...errors(401, 403) } } },
    async () => ({ items: [...(await deps.catalogue.list()), { code: OTHER_DOCTYPE, name: 'Other' }] }),
  );

  app.get(
    '/api/v1/uploads/:id',
    { preValidation: signedIn, schema: { tags, summary: 'One uploaded document', security, params: IdParams, response: { 200: UploadItem, ...errors(401, 403, 404) } } },
    async (req) => presentUpload(await getUpload(deps, req.citizen!.accountId, (req.params as { id: string }).id)),
  );

  app.patch(
    '/api/v1/uploads/:id',
    {
      preValidation: signedIn,
      schema: { tags, summary: 'Rename, set the document type, or move to a folder', security, params: IdParams, body: UploadPatchBody, response: { 200: UploadItem, ...errors(400, 401, 403, 404) } },
    },
    async (req) => presentUpload(await updateUpload(deps, whoOf(req), (req.params as { id: string }).id, req.body as never)),
  );

  app.delete(
    '/api/v1/uploads/:id',
    { preValidation: signedIn, schema: { tags, summary: 'Delete an uploaded document', security, params: IdParams, response: { 204: { type: 'null' }, ...errors(401, 403, 404) } } },
    async (req, reply) => {
      await deleteUpload(deps, whoOf(req), (req.params as { id: string }).id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/uploads/:id/file',
    {
      preValidation: signedIn,
      schema: { tags, summary: 'The document\'s bytes: inline, or as a download with ?download=1', security, params: IdParams, querystring: FileQuery, response: { ...errors(401, 403, 404) } },
    },
    async (req, reply) => {
      const download = (req.query as { download?: string }).download === '1';
      const { upload, stream } = await openUpload(deps, whoOf(req), (req.params as { id: string }).id, download ? 'download' : 'view');
      return sendDocument(reply, { mime: upload.mime, size: upload.size, filename: downloadName(upload.name, upload.mime), stream }, download ? 'attachment' : 'inline');
    },
  );

  const ftags = ['Citizen: folders'];
  app.get(
    '/api/v1/folders',
    { preValidation: signedIn, schema: { tags: ftags, summary: 'All your folders (build the tree from `parent`)', security, response: { 200: FolderList, ...errors(401, 403) } } },
    async (req) => ({ items: (await deps.uploads.listFolders(req.citizen!.accountId)).map(presentFolder) }),
  );

  app.post(
    '/api/v1/folders',
    { preValidation: signedIn, schema: { tags: ftags, summary: 'Create a folder (at the root, or inside `parent`)', security, body: FolderBody, response: { 201: FolderItem, ...errors(400, 401, 403, 404) } } },
    async (req, reply) => reply.code(201).send(presentFolder(await createFolder(deps, whoOf(req), req.body as never))),
  );

  app.patch(
    '/api/v1/folders/:id',
    { preValidation: signedIn, schema: { tags: ftags, summary: 'Rename or move a folder', security, params: IdParams, body: FolderPatchBody, response: { 200: FolderItem, ...errors(400, 401, 403, 404, 409) } } },
    async (req) => presentFolder(await updateFolder(deps, whoOf(req), (req.params as { id: string }).id, req.body as never)),
  );

  app.delete(
    '/api/v1/folders/:id',
    { preValidation: signedIn, schema: { tags: ftags, summary: 'Delete an empty folder (409 folder_not_empty otherwise)', security, params: IdParams, response: { 204: { type: 'null' }, ...errors(401, 403, 404, 409) } } },
    async (req, reply) => {
      await deleteFolder(deps, whoOf(req), (req.params as { id: string }).id);
      return reply.code(204).send();
    },
  );
}
