/**
 * Tells citizens what partners did with their consent, batched: at most one SMS (and one
 * email, when the citizen has a verified address) per citizen and partner per
 * `noticeIntervalMs` (an hour), summarising every access since the last message.
 * Run by every instance's sweeper; each batch is claimed atomically by one of them
 * (NoticeQueue.claimDue), and a batch whose message cannot be sent is put back.
 */
import type { ConsentDeps } from './deps.ts';
import type { ConsentAccess } from './model.ts';

const ACTION_TEXT: Record<string, string> = {
  token_issued: 'received access to your locker',
  user_details: 'read your profile (name, date of birth, gender)',
  issued_list: 'listed your issued documents',
  uploaded_list: 'listed your uploaded documents',
  file: 'downloaded a document',
  xml: 'downloaded a document’s data',
  eaadhaar: 'downloaded your eAadhaar',
  pull: 'fetched a document from an issuer into your locker',
  receipt: 'downloaded its consent receipt',
};

export function accessSummary(accesses: ConsentAccess[]): string {
  const counts = new Map<string, number>();
  for (const a of accesses) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
  return [...counts].map(([action, n]) => `${ACTION_TEXT[action] ?? action.replace(/_/g, ' ')}${n > 1 ? ` (${n} times)` : ''}`).join('; ');
}

export interface NoticeSweepResult {
  sent: number;
  failed: number;
}

export async function notifyPartnerAccesses(deps: Pick<ConsentDeps, 'notices' | 'consents' | 'partners' | 'accounts' | 'sms' | 'email' | 'clock' | 'policy'>, limit = 100): Promise<NoticeSweepResult> {
  const now = deps.clock.now();
  const result: NoticeSweepResult = { sent: 0, failed: 0 };
  for (const batch of await deps.notices.claimDue(now, deps.policy.noticeIntervalMs, limit)) {
    const [account, partner, accesses] = await Promise.all([
      deps.accounts.findById(batch.accountId),
      deps.partners.get(batch.partnerId),
      deps.consents.accessesSince(batch.accountId, batch.partnerId, batch.since),
    ]);
    if (!account || account.status !== 'active' || accesses.length === 0) continue;
    const name = partner?.name ?? batch.partnerId;
    const text = `${deps.policy.serviceName}: ${name} ${accessSummary(accesses)}. Review or revoke at ${deps.policy.publicUrl}/connected`;
    try {
      await deps.sms.send(account.mobile, text);
      if (account.email && account.emailVerified) {
        await deps.email
          .send({ to: account.email, subject: `${name} used your ${deps.policy.serviceName} consent`, text: `${text}\n\nEvery access is also in your Activity log.` })
          .catch(() => {});
      }
      result.sent++;
    } catch {
      await deps.notices.release({ ...batch, count: accesses.length });
      result.failed++;
    }
  }
  return result;
}
