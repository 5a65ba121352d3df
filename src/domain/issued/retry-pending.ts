/**
 * retryPendingPulls: the sweeper's pass over pulls the issuer answered "pending". Every
 * instance may run it: each pull is claimed with a lease (IssuedDocumentStore.claimDuePending),
 * so one instance retries it at a time. Back-off doubles from 30 s up to an hour; after
 * MAX_ATTEMPTS, or when the issuer says the record does not exist, the pull is dropped and
 * the citizen's activity log says why. A document that arrives is saved like any pull.
 */
import { AppError } from '../errors.ts';
import { issuerEndpoint } from '../issuers/issuer-endpoint.ts';
import type { IssuedDeps } from './deps.ts';
import { checkHolder, FIRST_RETRY_MS } from './pull-document.ts';
import { citizenFacts } from './profile.ts';
import type { PendingPull } from './ports.ts';

export const MAX_ATTEMPTS = 12;
const MAX_BACKOFF_MS = 3600_000;
const LEASE_MS = 120_000;

export function nextDelay(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_RETRY_MS * 2 ** attempts);
}

export async function retryPendingPulls(deps: Pick<IssuedDeps, 'issuers' | 'secrets' | 'client' | 'docs' | 'accounts' | 'aadhaar' | 'activity' | 'clock'>, limit = 50): Promise<{ issued: number; stillPending: number; dropped: number }> {
  const now = deps.clock.now().getTime();
  const due = await deps.docs.claimDuePending(now, LEASE_MS, limit);
  const out = { issued: 0, stillPending: 0, dropped: 0 };
  for (const p of due) {
    const r = await retryOne(deps, p);
    out[r] += 1;
  }
  return out;
}

async function retryOne(deps: Pick<IssuedDeps, 'issuers' | 'secrets' | 'client' | 'docs' | 'accounts' | 'aadhaar' | 'activity' | 'clock'>, p: PendingPull): Promise<'issued' | 'stillPending' | 'dropped'> {
  const system = { kind: 'system' as const, id: 'system', name: 'OpenLocker' };
  const drop = async (reason: string) => {
    await deps.docs.removePending(p.id);
    await deps.activity.append({ accountId: p.accountId, type: 'issued_pull_failed', actor: system, ip: null, userAgent: null, subject: { kind: 'issued_pull', id: p.id, name: p.name }, details: { issuer_id: p.issuerId, doctype: p.doctype, reason } });
    return 'dropped' as const;
  };
  const attempts = p.attempts + 1;
  try {
    const endpoint = await issuerEndpoint(deps, p.issuerId, p.doctype);
    const doctype = (await deps.issuers.doctype(p.issuerId, p.doctype))!;
    const facts = await citizenFacts(deps, p.accountId);
    const result = await deps.client.pullUri(endpoint, { doctype, digilockerId: p.accountId, params: p.params, profile: facts.profile });
    if (result.status === 'pending') {
      if (attempts >= MAX_ATTEMPTS) return await drop('still_pending');
      await deps.docs.reschedulePending(p.id, attempts, deps.clock.now().getTime() + nextDelay(attempts), null);
      return 'stillPending';
    }
    checkHolder(facts, result.issuedTo);
    const now = deps.clock.now();
    await deps.docs.save({ accountId: p.accountId, uri: result.uri, issuerId: p.issuerId, doctype: p.doctype, name: p.name, issuedOn: now.toISOString().slice(0, 10), source: 'pull' }, now);
    await deps.docs.removePending(p.id);
    await deps.activity.append({ accountId: p.accountId, type: 'issued_pulled', actor: system, ip: null, userAgent: null, subject: { kind: 'issued_document', id: result.uri, name: p.name }, details: { issuer_id: p.issuerId, doctype: p.doctype, after_pending: true } });
    return 'issued';
  } catch (err) {
    const code = err instanceof AppError ? err.code : 'internal_error';
    // Final answers: the record does not exist, the holder does not match, the account is gone.
    if (code === 'record_not_found' || code === 'name_mismatch' || code === 'dob_mismatch' || code === 'not_found' || code === 'invalid_doctype' || code === 'invalid_orgid') return drop(code);
    if (attempts >= MAX_ATTEMPTS) return drop(code);
    await deps.docs.reschedulePending(p.id, attempts, deps.clock.now().getTime() + nextDelay(attempts), code);
    return 'stillPending';
  }
}
