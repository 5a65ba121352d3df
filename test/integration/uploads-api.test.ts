/**
 * The uploads API on SQLite + filesystem blobs and PostgreSQL + S3 blobs: every allowed
 * type, content sniffing (executables, HTML and PDF/HTML polyglots renamed .pdf refused),
 * the size limit and the quota enforced while streaming with nothing stored, duplicates,
 * rename / type / folders, delete releasing the blob reference, hostile file names.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signUpCitizen, type TestCitizen } from '../support/citizen.ts';
import { describeEachStack, startTestApp } from '../support/app.ts';
import { EXE, HTML, pdfOfSize, POLYGLOT, sampleJpeg, samplePdf, samplePng, upload } from '../support/uploads.ts';

async function blobCount(keys: AsyncIterable<string>): Promise<number> {
  let n = 0;
  for await (const _ of keys) n++;
  return n;
}

describeEachStack('uploads API', (get) => {
  let asha: TestCitizen;
  it('accepts PDF, JPEG and PNG, decided from the content, and serves them back byte for byte', async () => {
    const { app, deps } = get();
    asha = await signUpCitizen(app, deps);
    const files: Array<[Buffer, string, string]> = [
      [await samplePdf('type test'), 'marksheet.pdf', 'application/pdf'],
      [sampleJpeg(64), 'photo.jpg', 'image/jpeg'],
      [samplePng(3), 'scan.png', 'image/png'],
      // The name and declared type do not decide: a PNG called .pdf is a PNG.
      [samplePng(4), 'not-really.pdf', 'image/png'],
    ];
    for (const [bytes, name, mime] of files) {
      const res = await upload(app, asha.headers, bytes, name);
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ name, mime, size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), doctype: null });
      const file = await app.inject({ url: `/api/v1/uploads/${body.id}/file`, headers: asha.headers });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe(mime);
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.rawPayload.equals(bytes)).toBe(true);
    }
    const list = (await app.inject({ url: '/api/v1/uploads', headers: asha.headers })).json();
    expect(list.items).toHaveLength(4);
    expect(list.used_bytes).toBe(files.reduce((n, f) => n + f[0].length, 0));
    expect(list.quota_bytes).toBe(deps.config.quotaBytes);
  });

  it('refuses an executable, HTML and a PDF/HTML polyglot named .pdf, storing nothing', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const before = await blobCount(deps.blobs.keys());
    for (const bad of [EXE, HTML, POLYGLOT, Buffer.from('just text, not a pdf')]) {
      const res = await upload(app, c.headers, bad, 'innocent.pdf');
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error).toBe('unsupported_file_type');
    }
    const empty = await upload(app, c.headers, Buffer.alloc(0), 'empty.pdf');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('empty_file');
    expect((await app.inject({ url: '/api/v1/uploads', headers: c.headers })).json().items).toEqual([]);
    expect(await blobCount(deps.blobs.keys())).toBe(before);
  });

  it('notices a duplicate and names the earlier copy', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const pdf = await samplePdf('dup');
    const first = (await upload(app, c.headers, pdf, 'first.pdf')).json();
    const second = await upload(app, c.headers, pdf, 'second.pdf');
    expect(second.statusCode).toBe(201);
    expect(second.json().duplicate_of).toEqual([{ id: first.id, name: 'first.pdf' }]);
  });

  it('renames, sets a type from the catalogue, moves into folders, and refuses unknown types', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const up = (await upload(app, c.headers, await samplePdf('edit'), 'x.pdf', { name: 'Before' })).json();
    expect(up.name).toBe('Before');
    const types = (await app.inject({ url: '/api/v1/uploads/doctypes', headers: c.headers })).json().items;
    expect(types.at(-1)).toEqual({ code: 'OTHER', name: 'Other' });
    const bad = await app.inject({ method: 'PATCH', url: `/api/v1/uploads/${up.id}`, headers: c.headers, payload: { doctype: 'NOPE' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('unknown_doctype');
    const folder = (await app.inject({ method: 'POST', url: '/api/v1/folders', headers: c.headers, payload: { name: 'Certificates' } })).json();
    const sub = (await app.inject({ method: 'POST', url: '/api/v1/folders', headers: c.headers, payload: { name: 'School', parent: folder.id } })).json();
    expect(sub.parent).toBe(folder.id);
    const patched = await app.inject({ method: 'PATCH', url: `/api/v1/uploads/${up.id}`, headers: c.headers, payload: { name: 'After', doctype: 'other', folder: sub.id } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'After', doctype: 'OTHER', folder: sub.id });
    expect((await app.inject({ url: `/api/v1/uploads?folder=${sub.id}`, headers: c.headers })).json().items.map((u: { id: string }) => u.id)).toEqual([up.id]);
    expect((await app.inject({ url: '/api/v1/uploads?folder=root', headers: c.headers })).json().items).toEqual([]);
    // A folder cannot move under itself; a non-empty folder cannot be deleted.
    const cycle = await app.inject({ method: 'PATCH', url: `/api/v1/folders/${folder.id}`, headers: c.headers, payload: { parent: sub.id } });
    expect(cycle.json().error).toBe('folder_cycle');
    const full = await app.inject({ method: 'DELETE', url: `/api/v1/folders/${sub.id}`, headers: c.headers });
    expect(full.statusCode).toBe(409);
    expect(full.json().error).toBe('folder_not_empty');
    await app.inject({ method: 'PATCH', url: `/api/v1/uploads/${up.id}`, headers: c.headers, payload: { folder: null } });
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/folders/${sub.id}`, headers: c.headers })).statusCode).toBe(204);
    const renamed = await app.inject({ method: 'PATCH', url: `/api/v1/folders/${folder.id}`, headers: c.headers, payload: { name: 'Certs' } });
    expect(renamed.json().name).toBe('Certs');
    const types2 = (await app.inject({ url: '/api/v1/activity?type=document_renamed,document_updated,folder_created', headers: c.headers })).json().items.map((e: { type: string }) => e.type);
    expect(types2).toEqual(expect.arrayContaining(['document_renamed', 'document_updated', 'folder_created']));
  });

  it('deletes: the row goes and the blob reference is released', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const up = (await upload(app, c.headers, await samplePdf('to delete ' + crypto.randomUUID()), 'gone.pdf')).json();
    const row = await deps.sql.db.selectFrom('uploads').select('blob_key').where('id', '=', up.id).executeTakeFirstOrThrow();
    expect(await deps.blobRefs.countRefs(row.blob_key)).toBe(1);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/uploads/${up.id}`, headers: c.headers })).statusCode).toBe(204);
    expect(await deps.blobRefs.countRefs(row.blob_key)).toBe(0);
    expect((await app.inject({ url: `/api/v1/uploads/${up.id}`, headers: c.headers })).statusCode).toBe(404);
    const log = (await app.inject({ url: '/api/v1/activity?type=document_deleted', headers: c.headers })).json().items;
    expect(log[0].subject).toMatchObject({ kind: 'upload', id: up.id, name: 'gone.pdf' });
  });

  it('sends a safe Content-Disposition with the exact name as filename*', async () => {
    const { app, deps } = get();
    const c = await signUpCitizen(app, deps);
    const up = (await upload(app, c.headers, await samplePdf('cd'), 'x.pdf', { name: 'अंकपत्र "final";' })).json();
    const res = await app.inject({ url: `/api/v1/uploads/${up.id}/file?download=1`, headers: c.headers });
    const cd = res.headers['content-disposition'] as string;
    expect(cd.startsWith('attachment; filename="')).toBe(true);
    expect(cd).not.toMatch(/[^\x20-\x7e]/);
    const star = /filename\*=UTF-8''(.+)$/.exec(cd)![1]!;
    expect(decodeURIComponent(star)).toBe('अंकपत्र "final";.pdf');
    expect((await app.inject({ url: `/api/v1/uploads/${up.id}/file`, headers: c.headers })).headers['content-disposition']).toMatch(/^inline; /);
  });
});

describeEachStack(
  'upload limits',
  (get) => {
    it('refuses UPLOAD_MAX_BYTES + 1 byte with 413 file_too_large, storing nothing', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      const max = deps.config.uploadMaxBytes;
      const before = await blobCount(deps.blobs.keys());
      const res = await upload(app, c.headers, pdfOfSize(max + 1), 'big.pdf');
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json().error).toBe('file_too_large');
      expect(await blobCount(deps.blobs.keys())).toBe(before);
      expect(await deps.sql.db.selectFrom('uploads').select('id').where('account_id', '=', c.accountId).execute()).toEqual([]);
      // Exactly the limit is fine.
      const ok = await upload(app, c.headers, pdfOfSize(max), 'max.pdf');
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().size).toBe(max);
    });

    it('refuses what does not fit in the quota, counting what is already stored, and storing nothing', async () => {
      const { app, deps } = get();
      const c = await signUpCitizen(app, deps);
      const quota = deps.config.quotaBytes;
      const first = await upload(app, c.headers, pdfOfSize(quota - 50_000), 'a.pdf');
      expect(first.statusCode, first.body).toBe(201);
      const before = await blobCount(deps.blobs.keys());
      const res = await upload(app, c.headers, pdfOfSize(60_000), 'b.pdf');
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: 'quota_exceeded', quota_bytes: quota, used_bytes: quota - 50_000 });
      expect(await blobCount(deps.blobs.keys())).toBe(before);
      expect(await deps.sql.db.selectFrom('uploads').select('id').where('account_id', '=', c.accountId).execute()).toHaveLength(1);
      // Another citizen's quota is their own.
      const other = await signUpCitizen(app, deps);
      expect((await upload(app, other.headers, pdfOfSize(6000), 'b.pdf')).statusCode).toBe(201);
    });
  },
  { env: { UPLOAD_MAX_BYTES: String(256 * 1024), QUOTA_BYTES: String(300 * 1024) } },
);

describe('a request declaring more than the limit', () => {
  it('is refused before its body is read', async () => {
    const t = await startTestApp({ env: { UPLOAD_MAX_BYTES: '2048' } });
    try {
      const c = await signUpCitizen(t.app, t.deps);
      const res = await upload(t.app, c.headers, pdfOfSize(200 * 1024), 'huge.pdf');
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toBe('file_too_large');
    } finally {
      await t.close();
    }
  });
});
