/**
 * recordPartnerAccess: what a partner was given is recorded three ways — on the consent
 * (what, when, from which IP: the Connected organisations page), in the citizen's
 * hash-chained activity log, and in the notification batch (at most one SMS/email per
 * partner per interval, see notify-partner-accesses.ts).
 */
import type { ConsentDeps } from './deps.ts';
import type { Consent, Partner } from './model.ts';

export interface AccessFact {
  /** snake_case: token_issued, user_details, issued_list, file, xml, … */
  action: string;
  /** Document URI, upload id or doc type, if any. */
  subject?: string | null;
  ip: string | null;
  userAgent?: string | null;
}

export async function recordPartnerAccess(deps: Pick<ConsentDeps, 'consents' | 'activity' | 'notices' | 'clock'>, access: { consent: Consent; partner: Pick<Partner, 'id' | 'name'> }, fact: AccessFact): Promise<void> {
  const at = deps.clock.now();
  const { consent, partner } = access;
  // The three records go out together, so each joins its store's group commit in the same turn.
  await Promise.all([
    deps.consents.recordAccess({ consentId: consent.id, accountId: consent.accountId, partnerId: partner.id, at: at.toISOString(), action: fact.action, subject: fact.subject ?? null, ip: fact.ip }),
    deps.activity.append({
      accountId: consent.accountId,
      type: fact.action === 'token_issued' ? 'partner_token_issued' : 'partner_accessed',
      actor: { kind: 'partner', id: partner.id, name: partner.name },
      ip: fact.ip,
      userAgent: fact.userAgent ?? null,
      subject: { kind: 'consent', id: consent.id, name: partner.name },
      details: { action: fact.action, ...(fact.subject ? { subject: fact.subject } : {}) },
      at,
    }),
    deps.notices.bump(consent.accountId, partner.id, at),
  ]);
}
