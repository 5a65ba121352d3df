/**
 * Small secrets at rest (issuer HMAC keys): AES-256-GCM under a key derived from the master
 * key for one purpose, with a fresh 96-bit nonce per seal. `context` (e.g. the issuer id)
 * is bound as additional authenticated data, so a sealed value copied onto another row
 * does not open there. Format: `v1.` + base64url(nonce | ciphertext | tag).
 */
import crypto from 'node:crypto';
import type { MasterKey } from './master-key.ts';

export interface SecretBox {
  seal(plaintext: Buffer, context: string): string;
  /** Throws if the value was tampered with, sealed for another context or under another key. */
  open(sealed: string, context: string): Buffer;
}

export function secretBox(masterKey: MasterKey, purpose: string): SecretBox {
  const key = masterKey.derive(purpose);
  return {
    seal(plaintext, context) {
      const nonce = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return 'v1.' + Buffer.concat([nonce, ct, cipher.getAuthTag()]).toString('base64url');
    },
    open(sealed, context) {
      if (!sealed.startsWith('v1.')) throw new Error('unknown sealed-secret format');
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      if (raw.length < 12 + 16) throw new Error('sealed secret is truncated');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    },
  };
}

/** Purpose label of the key that seals issuer HMAC keys. */
export const ISSUER_KEY_PURPOSE = 'issuer-hmac-keys';
