/**
 * The public issuer directory over HTTP on both stacks, seeded with the real directory:
 * browsing, category and word search, paging, document types with their parameters,
 * OpenAPI, bad queries answered 400, and nothing secret in any answer.
 */
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { partnerDoctypes, partnerIssuers, partnerParameters } from '../../src/domain/issuers/partner-meta.ts';
import { registerIssuer } from '../../src/domain/issuers/register-issuer.ts';
import { seedIssuerDirectory } from '../../src/domain/issuers/seed-directory.ts';
import { issuerServices } from '../../src/wiring/issuers.ts';
import { describeEachStack } from '../support/app.ts';
import { buildIssuerBody } from '../support/issuers.ts';

describeEachStack('public issuer directory', (get) => {
  let connectedId: string;

  beforeAll(async () => {
    const services = issuerServices(get().deps);
    await seedIssuerDirectory(services);
    const body = buildIssuerBody({ name: 'Zz Connected Test Board', category: 'education', hmac_key: 'secret-key-never-shown-0000' });
    connectedId = String(body.id);
    await registerIssuer(services, body);
  });

  const api = async (url: string) => {
    const res = await get().app.inject({ url });
    return { status: res.statusCode, body: res.json(), headers: res.headers, raw: res.body };
  };

  it('lists active issuers, connected first, paged, with totals', async () => {
    const r = await api('/api/v1/issuers?per_page=5');
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=60');
    expect(r.body.total).toBeGreaterThanOrEqual(1494);
    expect(r.body.items).toHaveLength(5);
    expect(r.body.items[0]).toMatchObject({ id: connectedId, connected: true, category: 'education', doctype_count: 1 });
    expect(Object.keys(r.body.items[0]).sort()).toEqual(['category', 'connected', 'doctype_count', 'id', 'name', 'scope', 'state']);
    const p2 = await api('/api/v1/issuers?per_page=5&page=2');
    expect(p2.body.page).toBe(2);
    const firstIds = new Set(r.body.items.map((i: { id: string }) => i.id));
    expect(p2.body.items.some((i: { id: string }) => firstIds.has(i.id))).toBe(false);
  });

  it('filters by category and finds issuers by their document types, in any case', async () => {
    const transport = await api('/api/v1/issuers?category=transport&per_page=100');
    expect(transport.body.items.every((i: { category: string }) => i.category === 'transport')).toBe(true);
    expect(transport.body.items.map((i: { id: string }) => i.id)).toContain('in.gov.transport');
    const dl = await api(`/api/v1/issuers?q=${encodeURIComponent('DRIVING License')}&per_page=100`);
    expect(dl.body.items.map((i: { id: string }) => i.id)).toContain('in.gov.transport');
    // The examples the search box gives: British spelling, and the Hindi words people use.
    for (const q of ['driving licence', 'ड्राइविंग लाइसेंस']) {
      const r = await api(`/api/v1/issuers?q=${encodeURIComponent(q)}&per_page=100`);
      expect(r.body.items.map((i: { id: string }) => i.id), q).toContain('in.gov.transport');
    }
    expect((await api(`/api/v1/issuers?q=${encodeURIComponent('आय प्रमाणपत्र')}&per_page=5`)).body.total).toBeGreaterThan(0);
    expect((await api(`/api/v1/issuers?q=${encodeURIComponent('अंकपत्र')}&per_page=5`)).body.total).toBeGreaterThan(0);
    const cbse = await api('/api/v1/issuers?q=secondary%20education%20delhi');
    expect(cbse.body.items.map((i: { id: string }) => i.id)).toContain('in.gov.cbse');
    const none = await api('/api/v1/issuers?q=zzzz-no-such-issuer');
    expect(none.body).toEqual({ items: [], page: 1, per_page: 20, total: 0 });
    const connected = await api('/api/v1/issuers?connected=true&per_page=100');
    expect(connected.body.items.map((i: { id: string }) => i.id)).toEqual([connectedId]);
  });

  it('lists categories with counts, in English and Hindi', async () => {
    const r = await api('/api/v1/issuers/categories');
    const edu = r.body.categories.find((c: { id: string }) => c.id === 'education');
    expect(edu).toMatchObject({ name: 'Education', name_hi: 'शिक्षा', connected: 1 });
    expect(edu.issuers).toBeGreaterThan(1000);
  });

  it('gives document types with parameters (label, example, pattern, values) and profile fields', async () => {
    const r = await api('/api/v1/issuers/in.gov.pan/doctypes');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      issuer_id: 'in.gov.pan',
      connected: false,
      doctypes: [
        {
          code: 'PANCR',
          name: 'PAN Verification Record',
          formats: ['pdf', 'xml'],
          parameters: [
            { name: 'panno', label: 'PAN No.', example: 'ABCD123EF', pattern: '[A-Za-z]{5}[0-9]{4}[A-Za-z]' },
            { name: 'PANFullName', label: 'Name as in PAN Card', example: 'RAMESHWAR KUMAR SINGH' },
          ],
          profile_fields: ['UID', 'FullName', 'DOB', 'GENDER'],
        },
      ],
    });
    const transport = await api('/api/v1/issuers/in.gov.transport/doctypes');
    const challan = transport.body.doctypes.find((d: { code: string }) => d.code === 'CHALN');
    expect(challan.parameters[0]).toEqual({ name: 'REQUEST', label: 'Request', values: [{ value: 'Driving License', label: 'Driving License' }, { value: 'Registration Certificate', label: 'Registration Certificate' }] });
    const one = await api('/api/v1/issuers/in.gov.cbse');
    expect(one.body).toMatchObject({ id: 'in.gov.cbse', name: 'Central Board of Secondary Education', scope: 'central', state: 'Delhi', connected: false });
    expect(one.body.doctypes.length).toBeGreaterThan(20);
  });

  it('never shows endpoints, keys or key hints publicly', async () => {
    for (const url of [`/api/v1/issuers/${connectedId}`, `/api/v1/issuers/${connectedId}/doctypes`, '/api/v1/issuers?per_page=3']) {
      const r = await api(url);
      expect(r.raw).not.toContain('issuer.example');
      expect(r.raw).not.toContain('secret-key');
      expect(r.raw).not.toMatch(/hmac|pull_uri|pull_doc|…0000/);
    }
  });

  it('answers bad input with 400/404 and a clear sentence, never 500', async () => {
    for (const [url, status, code] of [
      ['/api/v1/issuers?per_page=1000', 400, 'invalid_request'],
      ['/api/v1/issuers?page=0', 400, 'invalid_request'],
      ['/api/v1/issuers?category=sports', 400, 'invalid_request'],
      [`/api/v1/issuers?q=${'x'.repeat(101)}`, 400, 'invalid_request'],
      ['/api/v1/issuers/in.gov.nobody', 404, 'not_found'],
      ['/api/v1/issuers/in.gov.nobody/doctypes', 404, 'not_found'],
      [`/api/v1/issuers/${'a'.repeat(300)}`, 400, 'invalid_request'],
      ['/api/v1/issuers?q=%25%27%22%3B--', 200, undefined],
    ] as const) {
      const r = await api(url);
      expect(r.status, url).toBe(status);
      if (code) {
        expect(r.body.error, url).toBe(code);
        expect(r.body.error_description.length, url).toBeGreaterThan(10);
      }
    }
  });

  it('hides disabled issuers from the public directory', async () => {
    const services = issuerServices(get().deps);
    const body = buildIssuerBody({ name: 'Soon Disabled Board' });
    await registerIssuer(services, { ...body, status: 'disabled' });
    expect((await api(`/api/v1/issuers/${String(body.id)}`)).status).toBe(404);
    expect((await api('/api/v1/issuers?q=soon%20disabled')).body.total).toBe(0);
  });

  it('is described in OpenAPI', async () => {
    const spec = (await api('/openapi.json')).body;
    for (const p of ['/api/v1/issuers', '/api/v1/issuers/categories', '/api/v1/issuers/{id}', '/api/v1/issuers/{id}/doctypes', '/api/v1/admin/issuers', '/api/v1/admin/issuers/{id}', '/api/v1/admin/issuers/{id}/disable']) {
      expect(spec.paths[p], p).toBeDefined();
    }
    expect(spec.paths['/api/v1/issuers/{id}/doctypes'].get.responses['200']).toBeDefined();
  });

  it('answers the partner meta APIs (pull/issuers, doctype, parameters) in DigiLocker\'s shapes, connected issuers only', async () => {
    const services = issuerServices(get().deps);
    const { issuers } = await partnerIssuers(services);
    expect(issuers.map((i) => i.issuerid)).toEqual([connectedId]);
    expect(issuers[0]).toEqual({ name: 'Zz Connected Test Board', description: 'Zz Connected Test Board', categories: 'Education', issuerid: connectedId, orgid: connectedId });
    expect(await partnerDoctypes(services, connectedId)).toEqual({ documents: [{ doctype: 'HSCER', description: 'Class XII Marksheet' }] });
    expect(await partnerParameters(services, connectedId, 'HSCER')).toEqual([{ label: 'Roll No', paramname: 'rollno', example: '1100040' }]);
    await expect(partnerDoctypes(services, 'in.gov.cbse')).rejects.toMatchObject({ code: 'invalid_parameter', message: 'The orgid parameter is missing or invalid.' });
    await expect(partnerParameters(services, connectedId, 'NOPE1')).rejects.toMatchObject({ code: 'invalid_parameter', message: 'The doctype parameter is missing or invalid.' });
    await expect(partnerParameters(services, undefined, 'HSCER')).rejects.toMatchObject({ code: 'invalid_parameter' });
  });

  it('random query strings and ids never cause a 5xx (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 120 }), fc.string({ maxLength: 20 }), fc.string({ maxLength: 8 }), fc.string({ maxLength: 60 }), async (q, category, page, id) => {
        const qs = new URLSearchParams({ q, category, page, per_page: page }).toString();
        for (const url of [`/api/v1/issuers?${qs}`, `/api/v1/issuers/${encodeURIComponent(id)}`, `/api/v1/issuers/${encodeURIComponent(id)}/doctypes`, `/issuers?${qs}`, `/issuers/${encodeURIComponent(id)}/${encodeURIComponent(q.slice(0, 10))}`]) {
          const res = await get().app.inject({ url, headers: { accept: 'text/html' } });
          expect(res.statusCode, url).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
  });
});

