/**
 * Consent receipts: compact JWS (EdDSA, Ed25519) with `typ: consent-receipt+jwt` and the
 * receipts key's `kid`, verifiable by anyone against the JWKS at /public/oauth2/jwks.
 * A distinct key and `typ` keep a receipt from ever passing for an id token.
 */
import { CompactSign } from 'jose';
import type { ReceiptSigner } from '../domain/consent/ports.ts';
import type { SigningKeys } from './keys.ts';

export const RECEIPT_TYP = 'consent-receipt+jwt';

export function receiptSigner(keys: () => Promise<SigningKeys>): ReceiptSigner {
  return {
    async sign(claims) {
      const { receipt } = await keys();
      return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'EdDSA', kid: receipt.kid, typ: RECEIPT_TYP }).sign(receipt.privateKey);
    },
  };
}
