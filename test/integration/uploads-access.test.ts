/**
 * Access denial for uploads, folders and shares, on both stacks: anonymous → 401; another
 * citizen reading, renaming, downloading, sharing or deleting Asha's document, folder or
 * share gets exactly the answer a non-existent id gets (status and body).
 */
import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { samplePdf, upload } from '../support/uploads.ts';

// CSRF tokens, ids and the seconds left before the idle logout (the clock moves between the two requests) differ; nothing else may.
const normalise = (body: string) =>
  body
    .replace(/name="_csrf" value="[^"]*"/g, '')
    .replace(/data-idle-seconds="\d+"/g, '')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID');

describeEachStack('uploads: other citizens and anonymous callers', (get) => {
  it('answer "not found" exactly as for an id that does not exist, and change nothing', async () => {
    const { app, deps } = get();
    const asha = await signUpCitizen(app, deps);
    const ravi = await signUpCitizen(app, deps);
    const doc = (await upload(app, asha.headers, await samplePdf('private'), 'Private.pdf')).json();
    const folder = (await app.inject({ method: 'POST', url: '/api/v1/folders', headers: asha.headers, payload: { name: 'Mine' } })).json();
    const shareId = (await app.inject({ method: 'POST', url: '/api/v1/shares', headers: asha.headers, payload: { upload_id: doc.id, email: 'x@example.in' } })).json().id;
    const missing = crypto.randomUUID();

    const probes = (id: string, fid: string, sid: string) => [
      { method: 'GET' as const, url: `/api/v1/uploads/${id}` },
      { method: 'GET' as const, url: `/api/v1/uploads/${id}/file` },
      { method: 'GET' as const, url: `/api/v1/uploads/${id}/file?download=1` },
      { method: 'PATCH' as const, url: `/api/v1/uploads/${id}`, payload: { name: 'pwned' } },
      { method: 'DELETE' as const, url: `/api/v1/uploads/${id}` },
      { method: 'POST' as const, url: '/api/v1/shares', payload: { upload_id: id, email: 'thief@example.in' } },
      { method: 'PATCH' as const, url: `/api/v1/uploads/${missing}`, payload: { folder: fid } },
      { method: 'PATCH' as const, url: `/api/v1/folders/${fid}`, payload: { name: 'pwned' } },
      { method: 'DELETE' as const, url: `/api/v1/folders/${fid}` },
      { method: 'POST' as const, url: '/api/v1/folders', payload: { name: 'x', parent: fid } },
      { method: 'PATCH' as const, url: `/api/v1/shares/${sid}`, payload: { expires_in_days: 30 } },
      { method: 'DELETE' as const, url: `/api/v1/shares/${sid}` },
      { method: 'GET' as const, url: `/uploaded/${id}` },
      { method: 'GET' as const, url: `/uploaded/${id}/file` },
      { method: 'GET' as const, url: `/uploaded/${id}/delete` },
      { method: 'GET' as const, url: `/shared/new?upload=${id}` },
    ];
    const theirs = probes(doc.id, folder.id, shareId);
    const nobody = probes(missing, crypto.randomUUID(), crypto.randomUUID());
    for (let i = 0; i < theirs.length; i++) {
      const headers = theirs[i]!.url.startsWith('/api/') ? ravi.headers : { cookie: ravi.cookie, accept: 'text/html' };
      const a = await app.inject({ ...theirs[i]!, headers });
      const b = await app.inject({ ...nobody[i]!, headers });
      expect(a.statusCode, `${theirs[i]!.method} ${theirs[i]!.url}`).toBe(404);
      expect(b.statusCode).toBe(404);
      if (headers.authorization) expect(a.json().error).toBe(b.json().error);
      else expect(normalise(a.body)).toBe(normalise(b.body));
    }
    // Ravi's lists never show Asha's things.
    expect((await app.inject({ url: '/api/v1/uploads', headers: ravi.headers })).json().items).toEqual([]);
    expect((await app.inject({ url: '/api/v1/folders', headers: ravi.headers })).json().items).toEqual([]);
    expect((await app.inject({ url: '/api/v1/shares', headers: ravi.headers })).json().items).toEqual([]);
    // Nothing changed for Asha.
    const still = (await app.inject({ url: `/api/v1/uploads/${doc.id}`, headers: asha.headers })).json();
    expect(still.name).toBe('Private.pdf');
    expect((await app.inject({ url: '/api/v1/shares', headers: asha.headers })).json().items[0]).toMatchObject({ status: 'active' });
    expect((await app.inject({ url: '/api/v1/folders', headers: asha.headers })).json().items[0].name).toBe('Mine');
  });

  it('asks anonymous callers to sign in', async () => {
    const { app } = get();
    for (const [method, url] of [
      ['GET', '/api/v1/uploads'],
      ['POST', '/api/v1/uploads'],
      ['GET', `/api/v1/uploads/${crypto.randomUUID()}/file`],
      ['GET', '/api/v1/folders'],
      ['GET', '/api/v1/shares'],
      ['POST', '/api/v1/shares'],
      ['GET', '/api/v1/activity/export'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, url).toBe(401);
    }
    const page = await app.inject({ url: '/uploaded', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(303);
  });
});
