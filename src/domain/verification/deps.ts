/**
 * What the verification use cases need, built from the app's dependencies: the issuer
 * key store over the SQL database, the master key (to unwrap private keys), the clock and
 * the public URL printed on documents. Tests and the offline CLI pass their own
 * `KeyDirectory` to the verifier instead.
 */
import type { MasterKey } from '../../crypto/master-key.ts';
import type { Clock } from '../clock.ts';
import type { IssuerKeyStore } from './ports.ts';

export interface VerificationDeps {
  keys: IssuerKeyStore;
  masterKey: MasterKey;
  clock: Clock;
  /** PUBLIC_URL, no trailing slash. */
  publicUrl: string;
}
