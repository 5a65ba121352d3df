/**
 * recordPartnerAccess: what a partner was given is recorded once, in the citizen's
 * hash-chained activity log (what, when, from which IP; subject: the consent) — the
 * Connected organisations page and the access notices read it from there — and the
 * notification batch is started if none is pending (at most one SMS/email per partner per
 * interval, see notify-partner-accesses.ts).
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

/** The activity types of partner accesses (subject: the consent; details: action, subject). */
export const PARTNER_ACCESS_TYPES = ['partner_token_issued', 'partner_accessed'] as const;

export async function recordPartnerAccess(deps: Pick<ConsentDeps, 'activity' | 'notices' | 'clock'>, access: { consent: Consent; partner: Pick<Partner, 'id' | 'name'> }, fact: AccessFact): Promise<void> {
  const at = deps.clock.now();
  const { consent, partner } = access;
  // Both go out together, so each joins its store's group commit in the same turn. The
  // entry is recorded (committed now, chained a moment later): this runs on every call.
  await Promise.all([
    deps.activity.record({
      accountId: consent.accountId,
      type: fact.action === 'token_issued' ? PARTNER_ACCESS_TYPES[0] : PARTNER_ACCESS_TYPES[1],
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
