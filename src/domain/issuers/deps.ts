/**
 * What the issuer use cases need. Each use case takes only the parts it touches.
 */
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Clock } from '../clock.ts';
import type { IssuerRegistry } from './ports.ts';

export interface IssuerDeps {
  issuers: IssuerRegistry;
  /** Seals and opens issuer HMAC keys (bound to the issuer id). */
  secrets: SecretBox;
  clock: Clock;
  /** NODE_ENV=production: issuer endpoints must be https. */
  production: boolean;
}
