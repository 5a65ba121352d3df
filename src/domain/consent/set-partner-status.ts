/**
 * An admin suspends, revokes or rejects a partner (approval is in register-partner.ts).
 *
 * - suspend: approved → suspended. Nothing is deleted; every request of the partner is
 *   refused from now on (authorizePartnerAccess and the token endpoint check the status on
 *   every call), and approving it again restores its consents.
 * - revoke: ends the partner for good: every consent it holds is revoked (by `admin`), its
 *   grants and tokens deleted, and each citizen's activity log says so.
 * - reject: a pending application is turned down.
 */
import { SYSTEM_ACTOR } from '../activity/ports.ts';
import { AppError } from '../errors.ts';
import type { ConsentDeps } from './deps.ts';
import type { Partner, PartnerStatus } from './model.ts';
import { partnerNotFound } from './register-partner.ts';

type Deps = Pick<ConsentDeps, 'partners' | 'consents' | 'tokens' | 'activity' | 'clock'>;

const FROM: Record<'suspend' | 'revoke' | 'reject', PartnerStatus[]> = {
  suspend: ['approved'],
  revoke: ['pending', 'approved', 'suspended'],
  reject: ['pending'],
};
const TO = { suspend: 'suspended', revoke: 'revoked', reject: 'rejected' } as const;

export async function setPartnerStatus(deps: Deps, id: string, action: 'suspend' | 'revoke' | 'reject', reason: string | null = null): Promise<Partner> {
  const current = await deps.partners.get(id);
  if (!current) throw partnerNotFound();
  const partner = await deps.partners.transition(id, FROM[action], TO[action], reason ? reason.slice(0, 500) : null, deps.clock.now());
  if (!partner) throw new AppError('conflict', 'partner_status', `This partner is ${current.status}; it cannot be ${TO[action]}.`);
  if (action === 'revoke') {
    for (;;) {
      const batch = await deps.consents.listUnrevokedForPartner(id, 200);
      if (batch.length === 0) break;
      for (const c of batch) {
        const revoked = await deps.consents.revoke(c.id, 'admin', 'partner_revoked', deps.clock.now());
        if (c.grantId) await deps.tokens.revokeGrant(c.grantId);
        if (revoked) {
          await deps.activity.append({
            accountId: c.accountId,
            type: 'consent_revoked',
            actor: SYSTEM_ACTOR,
            ip: null,
            userAgent: null,
            subject: { kind: 'consent', id: c.id, name: partner.name },
            details: { by: 'admin', reason: 'partner_revoked' },
          });
        }
      }
    }
  }
  return partner;
}
