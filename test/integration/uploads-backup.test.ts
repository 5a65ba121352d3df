/**
 * Backup → restore of a locker with uploads, folders and share links, into an empty
 * locker (SQLite + fs, and PostgreSQL + S3): every upload byte-identical through the API,
 * folders and shares as they were (the emailed link still opens the document), and the
 * citizen's activity chain intact — backup enumerates tables generically, and this test
 * holds it to that for the uploads module's tables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createBackup } from '../../src/storage/backup/create-backup.ts';
import { silentProgress } from '../../src/storage/backup/format.ts';
import { restoreBackup } from '../../src/storage/backup/restore-backup.ts';
import { signIn, signUpCitizen } from '../support/citizen.ts';
import { closeDeps, makeLocker, type TestLocker } from '../support/locker.ts';
import { startS3, type TestS3 } from '../support/s3.ts';
import { sampleJpeg, samplePdf, samplePng, upload } from '../support/uploads.ts';

let s3: TestS3;
const cleanup: Array<() => Promise<void>> = [];
beforeAll(async () => {
  s3 = await startS3('uploads-backup');
});
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  await s3.close();
});

function locker(dialect: 'sqlite' | 'postgres', blob: 'fs' | 's3'): TestLocker {
  const l = makeLocker(dialect, blob, s3);
  cleanup.push(() => l.dispose());
  return l;
}

for (const [dialect, blob] of [['sqlite', 'fs'], ['postgres', 's3']] as const) {
  describe(`backup and restore with uploads [${dialect}+${blob}]`, () => {
    it('restores every upload byte for byte, folders, shares and an intact activity chain', { timeout: 180_000 }, async () => {
      const src = locker(dialect, blob);
      const deps = await src.open();
      const app = await buildApp(deps, { logger: false });
      await app.ready();
      const files = new Map<string, Buffer>();
      let citizen;
      let link: string;
      let chainBefore;
      try {
        citizen = await signUpCitizen(app, deps);
        const folder = (await app.inject({ method: 'POST', url: '/api/v1/folders', headers: citizen.headers, payload: { name: 'Certificates' } })).json();
        for (const [bytes, name, fields] of [
          [await samplePdf('backup one'), 'One.pdf', { folder: folder.id }],
          [sampleJpeg(5000), 'Photo.jpg', {}],
          [samplePng(7, 64), 'Scan.png', { doctype: 'OTHER' }],
        ] as const) {
          const r = (await upload(app, citizen.headers, bytes, name, fields as Record<string, string>)).json();
          files.set(r.id, bytes);
        }
        const [firstId] = files.keys();
        await app.inject({ method: 'POST', url: '/api/v1/shares', headers: citizen.headers, payload: { upload_id: firstId, email: 'verifier@example.in', max_views: 5 } });
        const mail = (await deps.outbox.list({ to: 'verifier@example.in', channel: 'email', limit: 1 }))[0]!;
        link = /\/s\/[A-Za-z0-9_-]{43}/.exec(mail.body)![0];
        expect((await app.inject({ url: link })).statusCode).toBe(200);
        chainBefore = await deps.activity.verify(citizen.accountId);
        expect(chainBefore.intact).toBe(true);
      } finally {
        await app.close();
        await closeDeps(deps);
      }

      const dir = path.join(fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'ol-upbk-')), 'snapshot');
      cleanup.push(async () => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
      const backup = await createBackup({ config: src.config, dir, progress: silentProgress });
      expect(backup.manifest.database.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['uploads', 'upload_folders', 'shares', 'share_opens']));

      const target = locker(dialect, blob);
      await restoreBackup({ config: target.config, dir, force: false, progress: silentProgress });
      const restored = await target.open();
      const app2 = await buildApp(restored, { logger: false });
      await app2.ready();
      try {
        const again = await signIn(app2, restored, citizen);
        const list = (await app2.inject({ url: '/api/v1/uploads', headers: again.headers })).json().items as Array<{ id: string; folder: string | null; doctype: string | null }>;
        expect(list.map((u) => u.id).sort()).toEqual([...files.keys()].sort());
        for (const [id, bytes] of files) {
          const f = await app2.inject({ url: `/api/v1/uploads/${id}/file`, headers: again.headers });
          expect(f.statusCode).toBe(200);
          expect(f.rawPayload.equals(bytes)).toBe(true);
        }
        expect((await app2.inject({ url: '/api/v1/folders', headers: again.headers })).json().items.map((f: { name: string }) => f.name)).toEqual(['Certificates']);
        const shares = (await app2.inject({ url: '/api/v1/shares', headers: again.headers })).json().items;
        expect(shares).toHaveLength(1);
        expect(shares[0]).toMatchObject({ views: 1, max_views: 5, status: 'active', recipient: 'verifier@example.in' });
        const visitor = await app2.inject({ url: link! });
        expect(visitor.statusCode).toBe(200);
        const after = await restored.activity.verify(citizen.accountId);
        expect(after.intact).toBe(true);
        expect(after.count).toBeGreaterThan(chainBefore!.count); // the sign-in and the link open since
      } finally {
        await app2.close();
        await closeDeps(restored);
      }
    });
  });
}
