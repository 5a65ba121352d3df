/**
 * What the issued-documents use cases need. Each use case takes `Pick<IssuedDeps, …>` of
 * only what it touches; `wiring/issued.ts` builds one from AppDeps.
 */
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { IssuerApiClient } from '../../integrations/issuer-api/client.ts';
import type { EkycClient } from '../../integrations/uidai/ekyc-client.ts';
import type { AccountRepository } from '../accounts/ports.ts';
import type { ActivityLog } from '../activity/ports.ts';
import type { Clock } from '../clock.ts';
import type { IssuerRegistry } from '../issuers/ports.ts';
import type { AadhaarLinkStore, IssuedDocumentStore, PushClientStore } from './ports.ts';

export interface IssuedDeps {
  docs: IssuedDocumentStore;
  aadhaar: AadhaarLinkStore;
  pushClients: PushClientStore;
  accounts: AccountRepository;
  issuers: IssuerRegistry;
  /** Opens issuer HMAC keys (bound to the issuer id). */
  secrets: SecretBox;
  /** Seals and opens push client secrets (bound to the client id). */
  pushSecrets: SecretBox;
  client: IssuerApiClient;
  activity: ActivityLog;
  clock: Clock;
  /** Key of the Aadhaar number's keyed hash. */
  uidKey: Buffer;
  /** The UIDAI eKYC client, or null when none is configured (UIDAI_EKYC_URL unset and no sandbox). */
  ekyc(): Promise<EkycClient | null>;
}

/** Who did it and from where, for the activity log. */
export interface Meta {
  ip: string | null;
  userAgent: string | null;
}
