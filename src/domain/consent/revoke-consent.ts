/**
 * revokeConsent: the citizen withdraws a consent. The record is marked revoked (one
 * guarded UPDATE), then the grant and every token issued under it are deleted — and even
 * a token that escaped deletion (issued in the same instant) is refused, because every
 * partner request checks the consent itself. "Not found" and "not yours" answer the same.
 * Revoking an already revoked consent answers with it unchanged (idempotent).
 */
import { AppError } from '../errors.ts';
import type { ConsentDeps } from './deps.ts';
import type { Consent } from './model.ts';

export function consentNotFound(): AppError {
  return new AppError('not_found', 'consent_not_found', 'There is no such consent in your locker.');
}

export async function revokeConsent(
  deps: Pick<ConsentDeps, 'consents' | 'tokens' | 'partners' | 'activity' | 'clock'>,
  input: { accountId: string; consentId: string; ip: string | null; userAgent: string | null },
): Promise<Consent> {
  const revoked = await deps.consents.revoke(input.consentId, 'citizen', 'citizen_revoked', deps.clock.now(), input.accountId);
  if (!revoked) {
    const existing = await deps.consents.get(input.consentId);
    if (!existing || existing.accountId !== input.accountId) throw consentNotFound();
    if (existing.grantId) await deps.tokens.revokeGrant(existing.grantId);
    return existing;
  }
  if (revoked.grantId) await deps.tokens.revokeGrant(revoked.grantId);
  const partner = await deps.partners.get(revoked.partnerId);
  await deps.activity.append({
    accountId: input.accountId,
    type: 'consent_revoked',
    actor: { kind: 'citizen', id: input.accountId, name: 'citizen' },
    ip: input.ip,
    userAgent: input.userAgent,
    subject: { kind: 'consent', id: revoked.id, name: partner?.name ?? revoked.partnerId },
    details: { by: 'citizen' },
  });
  return revoked;
}
