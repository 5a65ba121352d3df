/**
 * Disables an issuer (it leaves the public directory and the locker stops calling it,
 * answering `repository_service_inactive`) or enables it again. Its registration, key and
 * the URIs citizens hold are kept.
 */
import { notFound } from '../errors.ts';
import type { IssuerDeps } from './deps.ts';
import type { IssuerStatus } from './model.ts';

export async function setIssuerStatus(deps: Pick<IssuerDeps, 'issuers' | 'clock'>, id: string, status: IssuerStatus): Promise<void> {
  if (!(await deps.issuers.setStatus(id, status, deps.clock.now()))) throw notFound('The issuer');
}
