/**
 * One issuer with its document types. The public directory answers 404 for unknown and
 * disabled issuers alike (a disabled issuer is not offered to citizens); operators see both.
 */
import { notFound } from '../errors.ts';
import type { IssuerDeps } from './deps.ts';
import type { Doctype, IssuerWithDoctypes } from './model.ts';

export async function getIssuer(deps: Pick<IssuerDeps, 'issuers'>, id: string, options: { includeDisabled?: boolean } = {}): Promise<IssuerWithDoctypes> {
  const issuer = await deps.issuers.get(id);
  if (!issuer || (issuer.status !== 'active' && !options.includeDisabled)) throw notFound('The issuer');
  return { ...issuer, doctypes: await deps.issuers.doctypes(id) };
}

export async function getDoctype(deps: Pick<IssuerDeps, 'issuers'>, id: string, code: string): Promise<{ issuer: IssuerWithDoctypes; doctype: Doctype }> {
  const issuer = await getIssuer(deps, id);
  const doctype = issuer.doctypes.find((d) => d.code === code);
  if (!doctype) throw notFound('The document type');
  return { issuer, doctype };
}
