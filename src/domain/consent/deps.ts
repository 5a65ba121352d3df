/**
 * What the consent use cases work with. Each use case takes `Pick<ConsentDeps, …>` of only
 * what it touches; wiring/consent.ts builds one ConsentDeps from AppDeps.
 */
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { AccountPolicy } from '../accounts/deps.ts';
import type { AccountRepository, OtpChallengeStore } from '../accounts/ports.ts';
import type { ActivityLog } from '../activity/ports.ts';
import type { Clock } from '../clock.ts';
import type { CounterStore } from '../limits/ports.ts';
import type { EmailSender } from '../notifications/email-port.ts';
import type { SmsSender } from '../sms/ports.ts';
import type { ConsentDocumentSources, ConsentRepository, DeviceRequestStore, NoticeQueue, PartnerRepository, ReceiptSigner, TokenStore } from './ports.ts';

export interface ConsentPolicy {
  /** A consent with no `consent_valid_till` lasts this long. */
  defaultValidityMs: number;
  /** No consent lasts longer, whatever the partner asks. */
  maxValidityMs: number;
  /** Access token lifetime (DigiLocker: 3600 s), never past the consent. */
  accessTokenTtlSeconds: number;
  /** At most one access notification per citizen and partner in this interval. */
  noticeIntervalMs: number;
  /** Redirect URIs must be https (loopback http allowed outside production). */
  production: boolean;
  serviceName: string;
  publicUrl: string;
}

export const DAY_MS = 86_400_000;

export function defaultConsentPolicy(o: { production: boolean; publicUrl: string }): ConsentPolicy {
  return {
    defaultValidityMs: 30 * DAY_MS,
    maxValidityMs: 365 * DAY_MS,
    accessTokenTtlSeconds: 3600,
    noticeIntervalMs: 3600_000,
    production: o.production,
    serviceName: 'OpenLocker',
    publicUrl: o.publicUrl,
  };
}

export interface ConsentDeps {
  partners: PartnerRepository;
  consents: ConsentRepository;
  notices: NoticeQueue;
  devices: DeviceRequestStore;
  tokens: TokenStore;
  documents: ConsentDocumentSources;
  receipts: ReceiptSigner;
  accounts: AccountRepository;
  otps: OtpChallengeStore;
  activity: ActivityLog;
  sms: SmsSender;
  email: EmailSender;
  counters: CounterStore;
  clock: Clock;
  /** Key of the client-secret HMAC. */
  secretHashKey: Buffer;
  /** Seals client secrets (bound to the client id). */
  secretBox: SecretBox;
  /** OTP hashing key and policy (shared with the accounts module: same codes, same limits). */
  otpKey: Buffer;
  accountPolicy: AccountPolicy;
  policy: ConsentPolicy;
}
