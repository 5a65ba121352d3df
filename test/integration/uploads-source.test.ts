/**
 * What other modules see of uploads, on both stacks: the `uploaded` DocumentSource (files
 * and folders with `parent` ids, only the owner's, streamed open), the dashboard cards, the
 * view/download entries in Activity, and account erasure removing uploads, folders, blob
 * references and share links.
 */
import { expect, it } from 'vitest';
import { streamToBuffer } from '../support/bytes.ts';
import { describeEachStack } from '../support/app.ts';
import { signUpCitizen } from '../support/citizen.ts';
import { samplePdf, samplePng, upload } from '../support/uploads.ts';

describeEachStack('uploads as a document source', (get) => {
  it('lists files and folders with parent ids, opens only the owner\'s, and streams the bytes', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const other = await signUpCitizen(app, deps);
    const folder = (await app.inject({ method: 'POST', url: '/api/v1/folders', headers: c.headers, payload: { name: 'School' } })).json();
    const png = samplePng(31);
    const inFolder = (await upload(app, c.headers, png, 'id.png', { folder: folder.id, doctype: 'OTHER' })).json();
    const atRoot = (await upload(app, c.headers, await samplePdf('root'), 'root.pdf')).json();
    const source = deps.documents.get('uploaded')!;
    const root = await source.list(c.accountId, { parent: null });
    expect(root.map((d) => [d.type, d.ref, d.parent])).toEqual([
      ['dir', folder.id, null],
      ['file', atRoot.id, null],
    ]);
    const inside = await source.list(c.accountId, { parent: folder.id });
    expect(inside).toEqual([expect.objectContaining({ source: 'uploaded', type: 'file', ref: inFolder.id, name: 'id.png', doctype: 'OTHER', mimes: ['image/png'], size: png.length, parent: folder.id, issuerId: null })]);
    expect(await source.list(c.accountId)).toHaveLength(3);
    expect((await source.list(c.accountId, { doctypes: ['OTHER'] })).filter((d) => d.type === 'file').map((d) => d.ref)).toEqual([inFolder.id]);
    expect(await source.get(other.accountId, inFolder.id)).toBeNull();
    expect(await source.list(other.accountId)).toEqual([]);
    await expect(source.open(other.accountId, inFolder.id)).rejects.toMatchObject({ code: 'not_found' });
    const opened = await source.open(c.accountId, inFolder.id);
    expect(opened).toMatchObject({ filename: 'id.png', mime: 'image/png', size: png.length, verifiedAt: null });
    expect(((await streamToBuffer(opened.stream)) as Buffer).equals(png)).toBe(true);
  });

  it('shows uploads, storage and active shares on the dashboard, and views and downloads in Activity', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const up = (await upload(app, c.headers, await samplePdf('dash'), 'Dash.pdf')).json();
    await app.inject({ method: 'POST', url: '/api/v1/shares', headers: c.headers, payload: { upload_id: up.id, email: 'd@example.in' } });
    const dash = await app.inject({ url: '/dashboard', headers: { cookie: c.cookie, accept: 'text/html' } });
    expect(dash.body).toMatch(/Documents: 1\. Storage used: \d+ bytes of 1 GB\./);
    expect(dash.body).toContain('Active share links: 1');
    expect(dash.body).toContain('<progress');
    await app.inject({ url: `/api/v1/uploads/${up.id}/file`, headers: c.headers });
    await app.inject({ url: `/api/v1/uploads/${up.id}/file?download=1`, headers: c.headers });
    const log = (await app.inject({ url: `/api/v1/activity?subject_id=${up.id}`, headers: c.headers })).json().items.map((e: { type: string }) => e.type);
    expect(log).toEqual(['document_downloaded', 'document_viewed', 'document_uploaded']);
  });

  it('revokes the share links of a deleted upload', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const up = (await upload(app, c.headers, await samplePdf('revoke on delete ' + Math.random()), 'Gone.pdf')).json();
    await app.inject({ method: 'POST', url: '/api/v1/shares', headers: c.headers, payload: { upload_id: up.id, email: 'g@example.in' } });
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/uploads/${up.id}`, headers: c.headers })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/shares', headers: c.headers })).json().items[0]).toMatchObject({ upload_id: up.id, status: 'revoked' });
  });

  it('erases a deleted account\'s uploads, folders, blob references and share links', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    await app.inject({ method: 'POST', url: '/api/v1/folders', headers: c.headers, payload: { name: 'F' } });
    const up = (await upload(app, c.headers, await samplePdf('erase ' + Math.random()), 'E.pdf')).json();
    await app.inject({ method: 'POST', url: '/api/v1/shares', headers: c.headers, payload: { upload_id: up.id, email: 'e@example.in' } });
    const link = /\/s\/[A-Za-z0-9_-]{43}/.exec((await deps.outbox.list({ to: 'e@example.in', channel: 'email', limit: 1 }))[0]!.body)![0];
    const { blob_key } = await deps.sql.db.selectFrom('uploads').select('blob_key').where('id', '=', up.id).executeTakeFirstOrThrow();
    const eraser = deps.accountErasers.list().find((e) => e.name === 'uploads')!;
    await eraser.erase(c.accountId);
    await eraser.erase(c.accountId); // idempotent
    for (const table of ['uploads', 'upload_folders', 'shares', 'share_opens'] as const) {
      expect(await deps.sql.db.selectFrom(table).select('account_id').where('account_id', '=', c.accountId).execute()).toEqual([]);
    }
    expect(await deps.blobRefs.countRefs(blob_key)).toBe(0);
    expect((await app.inject({ url: link })).statusCode).toBe(404);
  });
});
