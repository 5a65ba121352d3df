/**
 * The Issuers directory, as citizens browse it (no sign-in): active issuers by category
 * and search words, connected ones first, in pages. Operators (`includeDisabled`) also
 * see disabled ones.
 */
import type { IssuerDeps } from './deps.ts';
import type { Category, IssuerSummary } from './model.ts';

export interface ListIssuersInput {
  category?: Category;
  q?: string;
  connectedOnly?: boolean;
  includeDisabled?: boolean;
  /** 1-based. */
  page: number;
  perPage: number;
}

export interface IssuerPage {
  items: IssuerSummary[];
  page: number;
  perPage: number;
  total: number;
}

export const MAX_PER_PAGE = 100;

export async function listIssuers(deps: Pick<IssuerDeps, 'issuers'>, input: ListIssuersInput): Promise<IssuerPage> {
  const perPage = Math.min(Math.max(1, Math.floor(input.perPage)), MAX_PER_PAGE);
  const page = Math.max(1, Math.floor(input.page));
  const q = input.q?.trim().slice(0, 100);
  const { items, total } = await deps.issuers.list({
    ...(input.category ? { category: input.category } : {}),
    ...(q ? { q } : {}),
    ...(input.connectedOnly ? { connectedOnly: true } : {}),
    ...(input.includeDisabled ? { includeDisabled: true } : {}),
    offset: (page - 1) * perPage,
    limit: perPage,
  });
  return { items, page, perPage, total };
}
