/**
 * grantConsent: the citizen's decision becomes a consent record — partner, purpose, the
 * granted scopes, exactly the documents ticked, granted at, valid till, a reference key —
 * with a signed receipt (compact JWS) both sides can download. The record is bound to the
 * OAuth grant the partner's tokens come from, so every token carries the consent.
 *
 * consentValidity: `consent_valid_till` (UNIX seconds, as DigiLocker clients send it) is
 * honoured if it is in the future, capped by policy; without it a consent lasts the
 * policy's default.
 */
import crypto from 'node:crypto';
import { AppError } from '../errors.ts';
import type { ConsentDeps } from './deps.ts';
import type { Consent, ConsentDocument, ConsentFlow, Partner } from './model.ts';

export function consentValidity(policy: ConsentDeps['policy'], now: Date, requested: unknown): Date {
  const cap = now.getTime() + policy.maxValidityMs;
  if (requested === undefined || requested === null || requested === '') return new Date(Math.min(now.getTime() + policy.defaultValidityMs, cap));
  const s = String(requested).trim();
  if (!/^\d{9,11}$/.test(s)) throw new AppError('invalid', 'invalid_request', 'consent_valid_till must be a UNIX time in seconds.');
  const ms = Number(s) * 1000;
  if (ms <= now.getTime() + 60_000) throw new AppError('invalid', 'invalid_request', 'consent_valid_till must be at least a minute in the future.');
  return new Date(Math.min(ms, cap));
}

export interface GrantInput {
  accountId: string;
  digilockerId: string;
  partner: Partner;
  purpose: string;
  scopes: string[];
  documents: ConsentDocument[];
  validTill: Date;
  grantId: string | null;
  flow: ConsentFlow;
  ip: string | null;
  userAgent: string | null;
  issuer: string;
}

export function receiptClaims(c: Consent, partner: Pick<Partner, 'id' | 'name' | 'type'>, issuer: string, digilockerId: string): Record<string, unknown> {
  return {
    iss: issuer,
    sub: digilockerId,
    aud: partner.id,
    iat: Math.floor(new Date(c.grantedAt).getTime() / 1000),
    jti: c.id,
    consent: {
      id: c.id,
      reference_key: c.referenceKey,
      partner: { client_id: partner.id, name: partner.name, type: partner.type },
      digilockerid: digilockerId,
      purpose: c.purpose,
      scopes: c.scopes,
      documents: c.documents,
      flow: c.flow,
      granted_at: c.grantedAt,
      valid_till: c.validTill,
    },
  };
}

export async function grantConsent(deps: Pick<ConsentDeps, 'consents' | 'receipts' | 'activity' | 'clock'>, input: GrantInput): Promise<Consent> {
  const now = deps.clock.now();
  const draft: Consent = {
    id: crypto.randomUUID(),
    accountId: input.accountId,
    partnerId: input.partner.id,
    grantId: input.grantId,
    flow: input.flow,
    purpose: input.purpose,
    scopes: input.scopes,
    documents: input.documents,
    grantedAt: now.toISOString(),
    validTill: input.validTill.toISOString(),
    revokedAt: null,
    revokedBy: null,
    revokedReason: null,
    referenceKey: crypto.randomBytes(16).toString('hex'),
    receipt: '',
    ip: input.ip,
    userAgent: input.userAgent,
  };
  const consent = { ...draft, receipt: await deps.receipts.sign(receiptClaims(draft, input.partner, input.issuer, input.digilockerId)) };
  await deps.consents.create(consent);
  await deps.activity.append({
    accountId: input.accountId,
    type: 'consent_granted',
    actor: { kind: 'citizen', id: input.accountId, name: 'citizen' },
    ip: input.ip,
    userAgent: input.userAgent,
    subject: { kind: 'consent', id: consent.id, name: input.partner.name },
    details: { partner: input.partner.id, flow: input.flow, scopes: input.scopes, documents: input.documents.length, valid_till: consent.validTill },
  });
  return consent;
}
