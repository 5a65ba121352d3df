/** Checks shared by the upload use cases: doc types from the catalogue, folder ownership, folder names. */
import { AppError, invalid, notFound } from '../errors.ts';
import { sanitizeName } from './names.ts';
import type { Folder, UploadDeps } from './ports.ts';

export const OTHER_DOCTYPE = 'OTHER';

/** `undefined`/empty → null; otherwise a code of the catalogue, or OTHER. */
export async function checkDoctype(deps: Pick<UploadDeps, 'catalogue'>, code: string | null | undefined): Promise<string | null> {
  if (code === undefined || code === null || code === '') return null;
  const c = String(code).trim().toUpperCase();
  if (c === OTHER_DOCTYPE) return c;
  if (!/^[A-Z0-9]{2,16}$/.test(c) || !(await deps.catalogue.list()).some((d) => d.code === c)) {
    throw invalid('unknown_doctype', 'That document type is not in the list. Choose one of the listed types, or "Other".', { field: 'doctype' });
  }
  return c;
}

export async function checkFolder(deps: Pick<UploadDeps, 'uploads'>, accountId: string, folderId: string): Promise<Folder> {
  const f = typeof folderId === 'string' ? await deps.uploads.getFolder(accountId, folderId) : null;
  if (!f) throw notFound('The folder', 'folder_not_found');
  return f;
}

export function checkName(raw: unknown, what: 'document' | 'folder'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid('invalid_name', `Give the ${what} a name.`, { field: 'name' });
  const name = sanitizeName(raw, '');
  if (!name) throw invalid('invalid_name', `Give the ${what} a name made of letters or digits.`, { field: 'name' });
  return name;
}

export const notYours = () => new AppError('not_found', 'not_found', 'The document was not found.');
