/**
 * Partner registration, three ways in:
 * - registerPartner: an admin creates an approved partner at once → client id + secret;
 * - applyForPartnership: an organisation applies (public form / API) → pending, no secret;
 * - approvePartner: an admin approves a pending (or suspended) partner; a partner that
 *   never had a secret gets one now, returned this once.
 * The secret is shown exactly once; only its HMAC and a sealed copy are stored.
 */
import { generateClientId, generateClientSecret, hashClientSecret } from '../../crypto/partner-secret.ts';
import { AppError } from '../errors.ts';
import type { ConsentDeps } from './deps.ts';
import type { Partner } from './model.ts';
import { validatePartner, type PartnerInput } from './validate-partner.ts';

type Deps = Pick<ConsentDeps, 'partners' | 'clock' | 'secretHashKey' | 'secretBox' | 'policy'>;

export interface IssuedCredentials {
  partner: Partner;
  clientId: string;
  /** Shown once. */
  clientSecret: string;
}

export function newSecret(deps: Pick<ConsentDeps, 'secretHashKey' | 'secretBox'>, clientId: string): { secret: string; hash: string; sealed: string; hint: string } {
  const secret = generateClientSecret();
  return { secret, hash: hashClientSecret(deps.secretHashKey, secret), sealed: deps.secretBox.seal(Buffer.from(secret, 'utf8'), clientId), hint: `…${secret.slice(-4)}` };
}

async function insert(deps: Deps, input: PartnerInput, o: { status: Partner['status']; source: Partner['source']; withSecret: boolean }): Promise<{ partner: Partner; secret: string | null }> {
  const clean = validatePartner(input, { production: deps.policy.production, application: o.source === 'application' });
  const now = deps.clock.now().toISOString();
  for (let attempt = 0; ; attempt++) {
    const id = generateClientId();
    const s = o.withSecret ? newSecret(deps, id) : null;
    const partner: Partner = {
      id,
      ...clean,
      status: o.status,
      statusReason: null,
      secretHash: s?.hash ?? null,
      secretSealed: s?.sealed ?? null,
      secretHint: s?.hint ?? null,
      secretCreatedAt: s ? now : null,
      source: o.source,
      createdAt: now,
      updatedAt: now,
      approvedAt: o.status === 'approved' ? now : null,
    };
    try {
      await deps.partners.create(partner);
      return { partner, secret: s?.secret ?? null };
    } catch (err) {
      // 10 random characters from 32: a collision is astronomically rare; try a new id.
      if (err instanceof AppError && err.code === 'partner_exists' && attempt < 3) continue;
      throw err;
    }
  }
}

export async function registerPartner(deps: Deps, input: PartnerInput): Promise<IssuedCredentials> {
  const { partner, secret } = await insert(deps, input, { status: 'approved', source: 'admin', withSecret: true });
  return { partner, clientId: partner.id, clientSecret: secret! };
}

export async function applyForPartnership(deps: Deps, input: PartnerInput): Promise<Partner> {
  return (await insert(deps, input, { status: 'pending', source: 'application', withSecret: false })).partner;
}

export function partnerNotFound(): AppError {
  return new AppError('not_found', 'partner_not_found', 'There is no partner with this client id.');
}

/** Approves a pending or suspended partner. Returns a secret only if the partner had none (first approval). */
export async function approvePartner(deps: Deps, id: string): Promise<{ partner: Partner; clientSecret: string | null }> {
  const current = await deps.partners.get(id);
  if (!current) throw partnerNotFound();
  const partner = await deps.partners.transition(id, ['pending', 'suspended'], 'approved', null, deps.clock.now());
  if (!partner) throw new AppError('conflict', 'partner_status', `This partner is ${current.status}; only pending or suspended partners can be approved.`);
  if (partner.secretHash) return { partner, clientSecret: null };
  const s = newSecret(deps, id);
  await deps.partners.setSecret(id, s, deps.clock.now());
  return { partner: { ...partner, secretHash: s.hash, secretSealed: s.sealed, secretHint: s.hint }, clientSecret: s.secret };
}

/** Issues a new secret; the old one stops working at once. Not for revoked or rejected partners. */
export async function rotatePartnerSecret(deps: Deps, id: string): Promise<IssuedCredentials> {
  const p = await deps.partners.get(id);
  if (!p) throw partnerNotFound();
  if (p.status === 'revoked' || p.status === 'rejected' || p.status === 'pending') {
    throw new AppError('conflict', 'partner_status', `This partner is ${p.status}; its secret cannot be rotated.`);
  }
  const s = newSecret(deps, id);
  await deps.partners.setSecret(id, s, deps.clock.now());
  return { partner: { ...p, secretHash: s.hash, secretSealed: s.sealed, secretHint: s.hint }, clientId: id, clientSecret: s.secret };
}
