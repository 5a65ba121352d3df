/**
 * The citizen's view of their consents: each with its partner (name, type), purpose,
 * scopes, documents, granted/valid till, state, and the accesses made under it.
 */
import { AppError } from '../errors.ts';
import type { ConsentDeps } from './deps.ts';
import { consentState, type Consent, type ConsentAccess, type ConsentState, type Partner } from './model.ts';
import { consentNotFound } from './revoke-consent.ts';

export interface ConsentView {
  consent: Consent;
  partner: Pick<Partner, 'id' | 'name' | 'type' | 'status'>;
  state: ConsentState;
  accesses: ConsentAccess[];
}

type Deps = Pick<ConsentDeps, 'consents' | 'partners' | 'clock'>;

async function view(deps: Deps, c: Consent, cache: Map<string, Partner | null>, accessLimit: number): Promise<ConsentView> {
  if (!cache.has(c.partnerId)) cache.set(c.partnerId, await deps.partners.get(c.partnerId));
  const p = cache.get(c.partnerId);
  return {
    consent: c,
    partner: p ? { id: p.id, name: p.name, type: p.type, status: p.status } : { id: c.partnerId, name: c.partnerId, type: 'other', status: 'revoked' },
    state: consentState(c, deps.clock.now()),
    accesses: await deps.consents.listAccesses(c.accountId, c.id, accessLimit),
  };
}

export async function listConsents(deps: Deps, accountId: string, o: { accessLimit?: number } = {}): Promise<ConsentView[]> {
  const cache = new Map<string, Partner | null>();
  const out: ConsentView[] = [];
  for (const c of await deps.consents.listForAccount(accountId)) out.push(await view(deps, c, cache, o.accessLimit ?? 50));
  return out;
}

export async function getConsent(deps: Deps, accountId: string, consentId: string): Promise<ConsentView> {
  if (!/^[0-9a-f-]{36}$/i.test(consentId)) throw consentNotFound();
  const c = await deps.consents.get(consentId);
  if (!c || c.accountId !== accountId) throw consentNotFound();
  return view(deps, c, new Map(), 200);
}

/** The partner's receipt for the consent its token is bound to. */
export function receiptOf(c: Consent): string {
  if (!c.receipt) throw new AppError('not_found', 'receipt_not_found', 'This consent has no receipt.');
  return c.receipt;
}
