/**
 * The authorization server's signing keys: RS256 for id tokens (what OIDC clients written
 * for DigiLocker expect) and Ed25519 for consent receipts. Generated on first start, sealed
 * by a master-key-derived key in `oauth_keys`, published (public parts only) in the JWKS.
 * Kids are fixed per generation (`idt-1`, `rcpt-1`) and inserted with ON CONFLICT DO
 * NOTHING, so instances starting together agree on one key per use. No key is in source.
 */
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { SqlStore } from '../storage/sql/database.ts';

export interface SigningKeys {
  /** Private JWKs for oidc-provider's `jwks` (id tokens first, then receipts). */
  providerJwks: JWK[];
  receipt: { kid: string; privateKey: crypto.KeyObject; publicJwk: JWK };
}

export const OAUTH_KEY_PURPOSE = 'oauth-signing-keys';

const generateKeyPair = promisify(crypto.generateKeyPair);

/** A new key pair, generated off the event loop (RSA-2048 takes a noticeable part of a first start). */
async function generate(use: 'id_token' | 'receipt'): Promise<{ alg: string; priv: JWK; pub: JWK }> {
  const pair = use === 'id_token' ? await generateKeyPair('rsa', { modulusLength: 2048 }) : await generateKeyPair('ed25519');
  const alg = use === 'id_token' ? 'RS256' : 'EdDSA';
  return { alg, priv: await exportJWK(pair.privateKey), pub: await exportJWK(pair.publicKey) };
}

export async function loadSigningKeys({ db }: SqlStore, box: SecretBox, now: Date): Promise<SigningKeys> {
  for (const [use, kid] of [['id_token', 'idt-1'], ['receipt', 'rcpt-1']] as const) {
    const have = await db.selectFrom('oauth_keys').select('kid').where('use', '=', use).where('retired_at', 'is', null).executeTakeFirst();
    if (have) continue;
    const k = await generate(use);
    const pub = { ...k.pub, kid, alg: k.alg, use: 'sig' };
    await db
      .insertInto('oauth_keys')
      .values({ kid, use, alg: k.alg, private_sealed: box.seal(Buffer.from(JSON.stringify(k.priv)), kid), public_jwk: JSON.stringify(pub), created_at: now.toISOString(), retired_at: null })
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
  }
  const rows = await db.selectFrom('oauth_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at').orderBy('kid').execute();
  const open = (r: (typeof rows)[number]) => ({ ...(JSON.parse(box.open(r.private_sealed, r.kid).toString('utf8')) as JWK), kid: r.kid, alg: r.alg, use: 'sig' });
  const idt = rows.filter((r) => r.use === 'id_token').map(open);
  const rc = rows.find((r) => r.use === 'receipt')!;
  const rcPriv = open(rc);
  return {
    providerJwks: [...idt, rcPriv],
    receipt: { kid: rc.kid, privateKey: crypto.createPrivateKey({ key: rcPriv as crypto.JsonWebKey, format: 'jwk' }), publicJwk: JSON.parse(rc.public_jwk) as JWK },
  };
}
