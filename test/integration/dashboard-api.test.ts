/**
 * GET /api/v1/dashboard and the dashboard page's summary cards, on both stacks. The
 * document sources here are small in-test ones (each answers only for its own citizen,
 * as the contract in domain/documents/sources.ts requires); the real issued and uploads
 * modules are exercised through this endpoint by their own tests.
 */
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import type { DocumentSource, LockerDocument } from '../../src/domain/documents/sources.ts';
import { html } from '../../src/web/html.ts';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen } from '../support/citizen.ts';

function source(kind: 'issued' | 'uploaded', byAccount: Map<string, LockerDocument[]>): DocumentSource {
  return {
    kind,
    list: async (accountId) => byAccount.get(accountId) ?? [],
    get: async (accountId, ref) => (byAccount.get(accountId) ?? []).find((d) => d.ref === ref) ?? null,
    open: async () => ({ filename: 'x.pdf', mime: 'application/pdf', size: 1, stream: Readable.from([Buffer.from('x')]), verifiedAt: null }),
  };
}

const doc = (o: Partial<LockerDocument> & Pick<LockerDocument, 'source' | 'ref' | 'name' | 'date'>): LockerDocument => ({
  type: 'file',
  doctype: null,
  issuerId: null,
  issuerName: null,
  mimes: ['application/pdf'],
  size: null,
  parent: null,
  ...o,
});

describeEachStack('dashboard API', (get) => {
  it('summarises issued documents by issuer, uploads and activity for the signed-in citizen only', async () => {
    const { app, deps } = get();
    const asha = await signUpCitizen(app, deps);
    const ravi = await signUpCitizen(app, deps);
    const issued = new Map<string, LockerDocument[]>([
      [
        asha.accountId,
        [
          doc({ source: 'issued', ref: 'in.gov.cbse-SSCER-1', name: 'Class X Marksheet', date: '2024-05-13T00:00:00.000Z', issuerId: 'in.gov.cbse', issuerName: 'CBSE', doctype: 'SSCER' }),
          doc({ source: 'issued', ref: 'in.gov.cbse-HSCER-1', name: 'Class XII Marksheet', date: '2026-05-13T00:00:00.000Z', issuerId: 'in.gov.cbse', issuerName: 'CBSE', doctype: 'HSCER' }),
          doc({ source: 'issued', ref: 'in.gov.morth-DRVLC-1', name: 'Driving Licence', date: '2025-01-02T00:00:00.000Z', issuerId: 'in.gov.morth', issuerName: 'MoRTH', doctype: 'DRVLC' }),
        ],
      ],
    ]);
    const uploaded = new Map<string, LockerDocument[]>([
      [
        asha.accountId,
        [
          doc({ source: 'uploaded', ref: 'u1', name: 'rent.pdf', date: '2026-01-01T00:00:00.000Z', size: 1000 }),
          doc({ source: 'uploaded', ref: 'u2', name: 'photo.png', date: '2026-02-01T00:00:00.000Z', size: 2500, mimes: ['image/png'] }),
          doc({ source: 'uploaded', ref: 'f1', name: 'Tax', type: 'dir', date: '2026-02-01T00:00:00.000Z', mimes: [] }),
        ],
      ],
    ]);
    deps.documents.register(source('issued', issued));
    deps.documents.register(source('uploaded', uploaded));
    deps.dashboardCards.register({ id: 'storage-test', order: 20, render: async () => html`<h3>Storage</h3>`, data: async () => ({ used_bytes: 3500, quota_bytes: 1e9 }) });

    const r = await app.inject({ url: '/api/v1/dashboard', headers: asha.headers });
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json();
    expect(d.issued.count).toBe(3);
    expect(d.issued.by_issuer).toEqual([
      { issuer_id: 'in.gov.cbse', issuer: 'CBSE', count: 2 },
      { issuer_id: 'in.gov.morth', issuer: 'MoRTH', count: 1 },
    ]);
    expect(d.issued.recent[0]).toMatchObject({ ref: 'in.gov.cbse-HSCER-1', issuer: 'CBSE' });
    expect(d.uploaded).toMatchObject({ count: 2, folders: 1, bytes: 3500 });
    expect(d.cards['storage-test']).toEqual({ used_bytes: 3500, quota_bytes: 1e9 });
    expect(d.recent_activity[0].type).toBe('signed_up');

    const other = (await app.inject({ url: '/api/v1/dashboard', headers: ravi.headers })).json();
    expect(other.issued).toMatchObject({ count: 0, by_issuer: [], recent: [] });
    expect(other.uploaded).toMatchObject({ count: 0, bytes: 0 });
    expect((await app.inject({ url: '/api/v1/dashboard' })).statusCode).toBe(401);
  });

  it('reports a failing source or card as unavailable and still renders the rest (API and page)', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    deps.documents.register({ ...source('issued', new Map()), list: async () => Promise.reject(new Error('issuer registry down')) });
    deps.dashboardCards.register({ id: 'broken', order: 5, render: async () => Promise.reject(new Error('boom')), data: async () => Promise.reject(new Error('boom')) });
    deps.dashboardCards.register({ id: 'fine', order: 6, render: async () => html`<h3>${'Fine <script>x</script>'}</h3>`, data: async () => ({ ok: 1 }) });
    const r = await app.inject({ url: '/api/v1/dashboard', headers: c.headers });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().issued).toEqual({ unavailable: true });
    expect(r.json().cards).toMatchObject({ broken: { unavailable: true }, fine: { ok: 1 } });
    const page = await app.inject({ url: '/dashboard', headers: { cookie: c.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('This summary is unavailable right now');
    expect(page.body).toContain('<h3>Fine &lt;script&gt;x&lt;/script&gt;</h3>');
  });
});
