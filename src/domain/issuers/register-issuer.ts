/**
 * Registers an issuer or replaces its registration: the operator's admin API, the CLI
 * (`issuers add`, `issuers import`) and the sandbox all come through here. An issuer saved
 * with endpoints and a key is live at once: the next pull uses them.
 *
 * Rules: the input is validated whole before anything is written; the HMAC key is sealed
 * (AES-256-GCM, bound to the issuer id) before it reaches storage and is never returned,
 * only a hint; a new issuer with endpoints must come with a key; an update without
 * `hmac_key` keeps the stored key.
 */
import { AppError } from '../errors.ts';
import type { IssuerDeps } from './deps.ts';
import type { IssuerSource, IssuerWithDoctypes } from './model.ts';
import { keyHint, validateIssuerInput, type IssuerInput } from './validate-issuer.ts';

export interface RegisterResult {
  created: boolean;
  issuer: IssuerWithDoctypes;
}

export async function registerIssuer(deps: Pick<IssuerDeps, 'issuers' | 'secrets' | 'clock' | 'production'>, body: unknown, source: IssuerSource = 'admin'): Promise<RegisterResult> {
  const input = validateIssuerInput(body, { source, requireHttps: deps.production });
  return saveValidated(deps, input);
}

/** Saves an input already checked by `validateIssuerInput` (imports validate everything first). */
export async function saveValidated(deps: Pick<IssuerDeps, 'issuers' | 'secrets' | 'clock'>, input: IssuerInput): Promise<RegisterResult> {
  const { record, hmacKey } = input;
  const hasEndpoints = Boolean(record.pullUriUrl) || record.doctypes.some((d) => d.pullUriUrl || d.pullDocUrl);
  if (hasEndpoints && hmacKey === undefined && (await deps.issuers.sealedKey(record.id)) === null) {
    throw new AppError('invalid', 'invalid_issuer', 'hmac_key is required with endpoints: the locker signs every Issuer API call with it (x-digilocker-hmac).', { field: 'hmac_key' });
  }
  const key = hmacKey === undefined ? undefined : { sealed: deps.secrets.seal(Buffer.from(hmacKey, 'utf8'), record.id), hint: keyHint(hmacKey) };
  const { created } = await deps.issuers.save(record, key, deps.clock.now());
  const issuer = await deps.issuers.get(record.id);
  if (!issuer) throw new Error(`issuer ${record.id} vanished after saving`);
  return { created, issuer: { ...issuer, doctypes: await deps.issuers.doctypes(record.id) } };
}
