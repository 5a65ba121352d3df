/**
 * changePin (signed in): the current PIN (through checkPin, so guesses here count towards
 * the lockout too), then a new acceptable one. Every session of the account ends — this
 * one included — and a fresh session is returned, so a token stolen before the change is
 * worthless after it. The citizen is told by SMS.
 */
import { ACTIVITY_TYPES } from '../activity/ports.ts';
import { AppError, notFound } from '../errors.ts';
import { checkPin } from './check-pin.ts';
import type { AccountsDeps } from './deps.ts';
import { assertAcceptablePin, isPinFormat, pinFormatError } from './pin-policy.ts';
import type { RequestMeta } from './ports.ts';
import { citizenActor, startSession, type StartedSession } from './sessions.ts';
import { pinChangedText } from './sms-texts.ts';

export interface ChangePinInput {
  accountId: string;
  currentPin: unknown;
  newPin: unknown;
  meta: RequestMeta;
}

export async function changePin(deps: AccountsDeps, input: ChangePinInput): Promise<StartedSession> {
  const account = await deps.accounts.findById(input.accountId);
  if (!account || account.status !== 'active') throw notFound('The account');
  if (!isPinFormat(input.currentPin)) throw pinFormatError('current_pin');
  assertAcceptablePin(input.newPin, { dob: account.dob, mobile: account.mobile }, 'new_pin');
  if (input.newPin === input.currentPin) {
    throw new AppError('invalid', 'pin_unchanged', 'The new PIN must be different from the current one.', { field: 'new_pin' });
  }
  await checkPin(deps, account, input.currentPin, input.meta, 'current_pin');
  const pinHash = await deps.pinHasher.hash(input.newPin);
  const now = deps.clock.now();
  await deps.accounts.setPin(account.id, pinHash, now);
  const ended = await deps.sessions.endAllForAccount(account.id, 'pin_changed', now.getTime());
  const session = await startSession(deps, { ...account, mustChangePin: false }, input.meta);
  await deps.activity.append({
    accountId: account.id,
    type: ACTIVITY_TYPES.pinChanged,
    actor: citizenActor(account.id, account.name),
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    details: { sessions_ended: ended.length, was_provisioned: account.mustChangePin },
  });
  await deps.sms.send(account.mobile, pinChangedText(deps.policy.serviceName, input.meta.lang ?? 'en', 'changed')).catch(() => {});
  return session;
}
