/**
 * updateEmail: the one detail a citizen edits directly (name, date of birth and gender come
 * from sign-up and, later, from Aadhaar). The address is kept unverified until the email
 * module can send a confirmation code.
 */
import { ACTIVITY_TYPES } from '../activity/ports.ts';
import { notFound } from '../errors.ts';
import type { AccountsDeps } from './deps.ts';
import type { Account, RequestMeta } from './ports.ts';
import { normaliseEmail } from './profile-rules.ts';
import { citizenActor } from './sessions.ts';

export async function updateEmail(deps: Pick<AccountsDeps, 'accounts' | 'activity' | 'clock'>, input: { accountId: string; email: unknown; meta: RequestMeta }): Promise<Account> {
  const email = normaliseEmail(input.email);
  const account = await deps.accounts.findById(input.accountId);
  if (!account || account.status !== 'active') throw notFound('The account');
  if (account.email !== email) {
    await deps.accounts.setEmail(account.id, email, deps.clock.now());
    await deps.activity.append({
      accountId: account.id,
      type: ACTIVITY_TYPES.emailChanged,
      actor: citizenActor(account.id, account.name),
      ip: input.meta.ip,
      userAgent: input.meta.userAgent,
      details: { email_set: email !== null },
    });
  }
  return { ...account, email, emailVerified: account.email === email ? account.emailVerified : false };
}
