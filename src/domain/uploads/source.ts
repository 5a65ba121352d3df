/** The `uploaded` DocumentSource (domain/documents/sources.ts): uploads as files, folders as `dir`. */
import type { DocumentSource, LockerDocument } from '../documents/sources.ts';
import { notFound } from '../errors.ts';
import { downloadName } from './names.ts';
import type { Folder, Upload, UploadDeps } from './ports.ts';

const fileDoc = (u: Upload): LockerDocument => ({
  source: 'uploaded',
  ref: u.id,
  type: 'file',
  name: u.name,
  doctype: u.doctype,
  issuerId: null,
  issuerName: null,
  mimes: [u.mime],
  size: u.size,
  date: u.createdAt,
  parent: u.folderId,
});

const dirDoc = (f: Folder): LockerDocument => ({
  source: 'uploaded',
  ref: f.id,
  type: 'dir',
  name: f.name,
  doctype: null,
  issuerId: null,
  issuerName: null,
  mimes: [],
  size: null,
  date: f.createdAt,
  parent: f.parentId,
});

export function uploadedSource(deps: Pick<UploadDeps, 'uploads' | 'blobs'>): DocumentSource {
  return {
    kind: 'uploaded',
    async list(accountId, options = {}) {
      const [folders, files] = await Promise.all([deps.uploads.listFolders(accountId, options.parent), deps.uploads.list(accountId, options.parent)]);
      const docs = [...folders.map(dirDoc), ...files.map(fileDoc)];
      return options.doctypes?.length ? docs.filter((d) => d.type === 'dir' || (d.doctype && options.doctypes!.includes(d.doctype))) : docs;
    },
    async get(accountId, ref) {
      if (typeof ref !== 'string' || ref.length > 64) return null;
      const u = await deps.uploads.get(accountId, ref);
      if (u) return fileDoc(u);
      const f = await deps.uploads.getFolder(accountId, ref);
      return f ? dirDoc(f) : null;
    },
    async open(accountId, ref) {
      const u = typeof ref === 'string' && ref.length <= 64 ? await deps.uploads.get(accountId, ref) : null;
      if (!u) throw notFound('The document');
      return { filename: downloadName(u.name, u.mime), mime: u.mime, size: u.size, stream: await deps.blobs.get(u.blobKey), verifiedAt: null };
    },
  };
}
