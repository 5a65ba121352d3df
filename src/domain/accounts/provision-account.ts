/**
 * provisionAccount: for issuers that pre-provision citizens (a board creating lockers for
 * its students: mobile + a first PIN such as the last 6 digits of the roll number). The
 * first PIN skips the weak-PIN rules because the citizen did not choose it, and is marked
 * `mustChangePin`: the guards let such a session do nothing but change the PIN.
 * An existing account for the number is returned unchanged (`created: false`).
 */
import type { AccountsDeps } from './deps.ts';
import { normaliseMobile } from './mobile.ts';
import { isPinFormat, pinFormatError } from './pin-policy.ts';
import type { Account, Gender } from './ports.ts';
import { normaliseDob, normaliseGender, normaliseName } from './profile-rules.ts';

export async function provisionAccount(
  deps: Pick<AccountsDeps, 'accounts' | 'pinHasher' | 'clock'>,
  input: { mobile: string; name: string; dob: string; gender: Gender; firstPin: string },
): Promise<{ account: Account; created: boolean }> {
  const mobile = normaliseMobile(input.mobile);
  const existing = await deps.accounts.findByMobile(mobile);
  if (existing) return { account: existing, created: false };
  if (!isPinFormat(input.firstPin)) throw pinFormatError('first_pin');
  const account = await deps.accounts.create(
    {
      mobile,
      name: normaliseName(input.name),
      dob: normaliseDob(input.dob, deps.clock.now()),
      gender: normaliseGender(input.gender),
      email: null,
      pinHash: await deps.pinHasher.hash(input.firstPin),
      mustChangePin: true,
    },
    deps.clock.now(),
  );
  return { account, created: true };
}
