/**
 * Issuer private keys at rest: AES-256-GCM under a key derived from the master key
 * (`issuer-signing-keys`), with the key id as associated data so a wrapped key cannot be
 * moved to another row. Format: `v1.<iv>.<ciphertext>.<tag>` (base64url).
 */
import crypto from 'node:crypto';
import type { MasterKey } from '../master-key.ts';

const PURPOSE = 'issuer-signing-keys';

export function wrapPrivateKey(master: MasterKey, kid: string, key: crypto.KeyObject): string {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', master.derive(PURPOSE), iv);
  cipher.setAAD(Buffer.from(`openlocker/issuer-key/${kid}`));
  const ct = Buffer.concat([cipher.update(der), cipher.final()]);
  return ['v1', iv, ct, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

export function unwrapPrivateKey(master: MasterKey, kid: string, wrapped: string): crypto.KeyObject {
  const [v, iv, ct, tag] = wrapped.split('.');
  if (v !== 'v1' || !iv || !ct || !tag) throw new Error(`wrapped key ${kid} has an unknown format`);
  const decipher = crypto.createDecipheriv('aes-256-gcm', master.derive(PURPOSE), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`openlocker/issuer-key/${kid}`));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const der = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}
