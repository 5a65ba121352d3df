/**
 * Tells citizens when their share links are opened, batched: opens are queued as they
 * happen (consumeShareUse), and a sweeper on every instance claims, per citizen, the opens
 * once the oldest is `noticeIntervalMs` old, sending one SMS (and one email to a verified
 * address) for all of them. A claim is atomic (one instance wins each open); a notice that
 * cannot be sent is put back for the next sweep.
 */
import type { ShareDeps } from './ports.ts';

export async function notifyShareOpens(deps: Pick<ShareDeps, 'shares' | 'accounts' | 'sms' | 'email' | 'clock' | 'policy'>, limit = 100): Promise<{ sent: number; failed: number }> {
  const now = deps.clock.now();
  const before = new Date(now.getTime() - deps.policy.noticeIntervalMs).toISOString();
  const result = { sent: 0, failed: 0 };
  for (const batch of await deps.shares.claimOpens(before, now.toISOString(), limit)) {
    const account = await deps.accounts.findById(batch.accountId);
    if (!account || account.status !== 'active' || batch.opens.length === 0) continue;
    const names = new Map<string, { name: string; to: string; n: number }>();
    for (const o of batch.opens) {
      const s = await deps.shares.get(batch.accountId, o.shareId);
      if (!s) continue;
      const e = names.get(s.id) ?? { name: s.docName, to: s.recipientEmail, n: 0 };
      e.n++;
      names.set(s.id, e);
    }
    const listed = (by: string, times: string) => [...names.values()].map((e) => `"${e.name.slice(0, 40)}"${by}${e.to}${e.n > 1 ? ` (${e.n} ${times})` : ''}`).join('; ');
    const list = listed(' by ', 'times');
    const listHi = listed(' — ', 'बार');
    const n = batch.opens.length;
    const text = `${deps.policy.serviceName}: your shared document${n > 1 ? 's were' : ' was'} opened ${n} time${n > 1 ? 's' : ''}: ${list}. Review or revoke at ${deps.policy.publicUrl}/shared`;
    try {
      // SMS stays in English: Hindi SMS go as UCS-2, 70 characters a part.
      await deps.sms.send(account.mobile, text);
      if (account.email && account.emailVerified) {
        const hi = `${deps.policy.serviceName}: आपके साझा किए गए दस्तावेज़ ${n} बार खोले गए: ${listHi}। समीक्षा करें या लिंक रद्द करें: ${deps.policy.publicUrl}/shared`;
        await deps.email.send({ to: account.email, subject: `Your shared documents were opened / आपके साझा दस्तावेज़ खोले गए`, text: `${text}\n\nEvery open is also in your Activity log.\n\n— हिन्दी —\n\n${hi}\n\nहर बार खोले जाने का ब्योरा आपकी गतिविधि (Activity) में भी है।` }).catch(() => {});
      }
      result.sent++;
    } catch {
      await deps.shares.unclaim(batch.accountId, now.toISOString());
      result.failed++;
    }
  }
  await deps.shares.pruneOpens(new Date(now.getTime() - 30 * 86_400_000).toISOString());
  return result;
}
