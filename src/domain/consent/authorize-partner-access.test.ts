import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { authorizePartnerAccess } from './authorize-partner-access.ts';
import type { Consent, Partner } from './model.ts';

const partner = { id: 'OLP', name: 'Bank', status: 'approved' } as Partner;
const consent: Consent = {
  id: 'c1', accountId: 'acc', partnerId: 'OLP', grantId: 'g1', flow: 'authorization_code', purpose: 'KYC',
  scopes: ['userdetails', 'files.issueddocs', 'partners.PANCR'],
  documents: [{ kind: 'issued', uri: 'in.gov.pan-PANCR-X1', name: 'PAN', doctype: 'PANCR', issuer: 'IT' }, { kind: 'upload', id: 'u1', name: 'rent.pdf' }],
  grantedAt: '2026-01-01T00:00:00.000Z', validTill: '2026-02-01T00:00:00.000Z', revokedAt: null, revokedBy: null, revokedReason: null, referenceKey: 'r', receipt: 'j', ip: null, userAgent: null,
};

function deps(o: { consent?: Consent | null; partner?: Partner | null; scopes?: string[] } = {}) {
  const clock = new ManualClock('2026-01-15T00:00:00.000Z');
  return {
    clock,
    // A token that outlives its consent: only the consent check can refuse it.
    tokens: { findAccessToken: async (v: string) => (v === 'tok' ? { accountId: 'acc', clientId: 'OLP', grantId: 'g1', scopes: o.scopes ?? ['userdetails', 'files.issueddocs'], expiresAt: Date.parse('2027-01-01') } : null) } as never,
    partners: { get: async () => (o.partner === undefined ? partner : o.partner) } as never,
    consents: { getByGrant: async () => (o.consent === undefined ? consent : o.consent) } as never,
  };
}

describe('authorizePartnerAccess', () => {
  it('lets a live consent through with its scopes and documents', async () => {
    const d = deps();
    expect((await authorizePartnerAccess(d, 'tok')).accountId).toBe('acc');
    await expect(authorizePartnerAccess(d, 'tok', { scope: 'files.issueddocs', documentUri: 'in.gov.pan-PANCR-X1' })).resolves.toMatchObject({ consent: { id: 'c1' } });
    await expect(authorizePartnerAccess(d, 'tok', { doctype: 'PANCR' })).resolves.toBeTruthy();
    await expect(authorizePartnerAccess(d, 'tok', { scope: 'files.uploadeddocs', uploadId: 'u1' })).rejects.toMatchObject({ code: 'insufficient_scope' });
  });

  it('refuses unknown tokens, ended partners, revoked and expired consents — on every request', async () => {
    await expect(authorizePartnerAccess(deps(), 'nope')).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(authorizePartnerAccess(deps(), undefined)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(authorizePartnerAccess(deps({ partner: { ...partner, status: 'suspended' } }), 'tok')).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(authorizePartnerAccess(deps({ consent: { ...consent, revokedAt: '2026-01-10T00:00:00.000Z' } }), 'tok')).rejects.toMatchObject({ code: 'invalid_token', message: expect.stringMatching(/revoked/) });
    const d = deps();
    d.clock.set('2026-02-01T00:00:00.000Z');
    await expect(authorizePartnerAccess(d, 'tok')).rejects.toMatchObject({ code: 'invalid_token', message: expect.stringMatching(/expired/) });
    await expect(authorizePartnerAccess(deps({ consent: { ...consent, accountId: 'someone-else' } }), 'tok')).rejects.toMatchObject({ code: 'invalid_token' });
  });

  it('a scope missing from the consent or the token is insufficient_scope; a document outside the consent is "not found"', async () => {
    await expect(authorizePartnerAccess(deps(), 'tok', { scope: 'email' })).rejects.toMatchObject({ code: 'insufficient_scope' });
    await expect(authorizePartnerAccess(deps({ scopes: ['userdetails'] }), 'tok', { scope: 'files.issueddocs' })).rejects.toMatchObject({ code: 'insufficient_scope' });
    await expect(authorizePartnerAccess(deps(), 'tok', { doctype: 'DRVLC' })).rejects.toMatchObject({ code: 'insufficient_scope' });
    const other = await authorizePartnerAccess(deps(), 'tok', { scope: 'files.issueddocs', documentUri: 'in.gov.pan-PANCR-OTHER' }).catch((e) => e);
    const missing = await authorizePartnerAccess(deps(), 'tok', { scope: 'files.issueddocs', documentUri: 'no-such-uri' }).catch((e) => e);
    expect([other.kind, other.code, other.message]).toEqual([missing.kind, missing.code, missing.message]);
    expect(other.code).toBe('invalid_uri');
  });
});
