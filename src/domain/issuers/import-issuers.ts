/**
 * `openlocker issuers import FILE.json`: many registrations at once, in the admin API's
 * shape (a list, or `{"issuers": [...]}`). Every entry is checked before any is written,
 * so a file with one bad entry changes nothing and the message names that entry. Running
 * the same file again gives the same registry (each entry replaces its issuer whole).
 */
import { AppError } from '../errors.ts';
import type { IssuerDeps } from './deps.ts';
import type { IssuerSource } from './model.ts';
import { saveValidated } from './register-issuer.ts';
import { validateIssuerInput, type IssuerInput } from './validate-issuer.ts';

export interface ImportResult {
  created: string[];
  updated: string[];
}

export async function importIssuers(deps: Pick<IssuerDeps, 'issuers' | 'secrets' | 'clock' | 'production'>, data: unknown, source: IssuerSource = 'admin'): Promise<ImportResult> {
  const list = Array.isArray(data) ? data : (data as { issuers?: unknown })?.issuers;
  if (!Array.isArray(list) || list.length === 0) {
    throw new AppError('invalid', 'invalid_import', 'The file must hold a JSON list of issuers, or {"issuers": [...]}, with at least one entry.');
  }
  const inputs: IssuerInput[] = list.map((entry, i) => validateIssuerInput(entry, { source, requireHttps: deps.production }, `issuers[${i}]`));
  const seen = new Map<string, number>();
  for (const [i, input] of inputs.entries()) {
    const first = seen.get(input.record.id);
    if (first !== undefined) throw new AppError('invalid', 'invalid_import', `issuers[${i}].id ${input.record.id} is also issuers[${first}].id; list each issuer once.`);
    seen.set(input.record.id, i);
  }
  const result: ImportResult = { created: [], updated: [] };
  for (const input of inputs) {
    const { created } = await saveValidated(deps, input);
    (created ? result.created : result.updated).push(input.record.id);
  }
  return result;
}
