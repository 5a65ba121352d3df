/**
 * DESIGN §7: "kill -9 during concurrent uploads and pushes: after restart, every
 * acknowledged write is there". The real server in a child process takes pushes from an
 * issuer — single URIs on several connections at once, and bulk batches — and is killed
 * with SIGKILL part-way. After a restart on the same data: every URI whose push was
 * acknowledged is in its citizen's Issued list, with its date; nothing appears that was
 * never sent; and each citizen's activity log still verifies as an unbroken chain.
 * On SQLite and on PostgreSQL.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../support/cli.ts';
import { TEST_PG_URL } from '../support/services.ts';
import { json, postJson, signUpServed } from '../support/served.ts';
import { dropSchema } from '../support/sql.ts';

const ADMIN_TOKEN = 'crash-admin-token-0123456789abcdef';
const ISSUER = 'in.gov.crashboard';

const dirs: string[] = [];
const schemas: string[] = [];
afterAll(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s).catch(() => {});
});

async function pushCredential(s: Served): Promise<{ client_id: string; client_secret: string }> {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  await json(
    await postJson(
      s,
      '/api/v1/admin/issuers',
      { id: ISSUER, name: 'Crash Test Board', category: 'education', doctypes: [{ code: 'HSCER', name: 'Class XII Marksheet', formats: ['pdf'], parameters: [{ name: 'rollno', label: 'Roll No' }] }] },
      admin,
    ),
  );
  return json(await fetch(`${s.url}/api/v1/admin/issuers/${ISSUER}/push-credential`, { method: 'POST', headers: admin }));
}

function signed(cred: { client_id: string; client_secret: string }) {
  const ts = String(Math.floor(Date.now() / 1000));
  return { clientid: cred.client_id, ts, hmac: crypto.createHash('sha256').update(cred.client_secret + cred.client_id + ts).digest('hex') };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`kill -9 during concurrent pushes [${dialect}]`, () => {
    it('keeps every acknowledged URI, invents none, and the activity chains stay intact', { timeout: 240_000 }, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-push-crash-'));
      dirs.push(dataDir);
      const schema = `t_${crypto.randomBytes(5).toString('hex')}`;
      if (dialect === 'postgres') schemas.push(schema);
      const env = {
        DATA_DIR: dataDir,
        SANDBOX: 'false',
        LOG_LEVEL: 'warn',
        ADMIN_TOKEN,
        RATE_LIMIT_PER_MINUTE: '1000000',
        PIN_HASH_MEMORY_KIB: '1024',
        PIN_HASH_ITERATIONS: '1',
        ...(dialect === 'postgres' ? { DATABASE_URL: `${TEST_PG_URL}?schema=${schema}` } : {}),
      };
      const db = dialect === 'sqlite' ? ({ kind: 'sqlite', file: path.join(dataDir, 'openlocker.db') } as const) : ({ kind: 'postgres', url: TEST_PG_URL, schema } as const);

      let server = await serve(env);
      const cred = await pushCredential(server);
      const citizens = [await signUpServed(server, db, 'Asha Verma'), await signUpServed(server, db, 'Bina Rao'), await signUpServed(server, db, 'Chitra Das')];
      const sent = new Set<string>();
      const acked = new Map<string, { accountId: string; date: string }>();
      let serial = 0;
      const nextUri = () => `${ISSUER}-HSCER-2024${String(++serial).padStart(7, '0')}`;
      let killed = false;

      // Six connections pushing one URI at a time, as an issuer's workers would.
      const single = async (w: number) => {
        while (!killed) {
          const c = citizens[(w + serial) % citizens.length]!;
          const uri = nextUri();
          sent.add(uri);
          const body = new URLSearchParams({ ...signed(cred), digilockerid: c.accountId, uri, issuedate: '13052024', action: 'A' });
          try {
            const res = await fetch(`${server.url}/public/account/1/pushuri`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
            if (res.status === 200 && (await res.json()).status === 'success') acked.set(uri, { accountId: c.accountId, date: '2024-05-13' });
          } catch {
            return; // the server is gone
          }
        }
      };
      // Two connections sending bulk batches of 200.
      const bulk = async (w: number) => {
        while (!killed) {
          const items = Array.from({ length: 200 }, (_, i) => ({ digilockerid: citizens[(w + i) % citizens.length]!.accountId, uri: nextUri(), issuedate: '2022-05-01' }));
          for (const it of items) sent.add(it.uri);
          try {
            const res = await postJson(server, '/public/account/1/pushuri/bulk', { ...signed(cred), items });
            if (res.status !== 200) continue;
            const r = (await res.json()) as { written: number; rejected: unknown[] };
            expect(r.rejected).toEqual([]);
            for (const it of items) acked.set(it.uri, { accountId: it.digilockerid, date: '2022-05-01' });
          } catch {
            return;
          }
        }
      };
      const workers = [...Array.from({ length: 6 }, (_, w) => single(w)), ...Array.from({ length: 2 }, (_, w) => bulk(w))];
      const deadline = Date.now() + 30_000;
      while (acked.size < 600 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      killed = true;
      await server.stop('SIGKILL');
      await Promise.all(workers);
      expect(acked.size).toBeGreaterThanOrEqual(600);

      server = await serve(env);
      try {
        for (const c of citizens) {
          const auth = { authorization: `Bearer ${c.token}` };
          const items = (await json(await fetch(`${server.url}/api/v1/issued`, { headers: auth }))).items as Array<{ uri: string; date: string }>;
          const listed = new Map(items.map((i) => [i.uri, i.date]));
          for (const [uri, a] of acked) {
            if (a.accountId !== c.accountId) continue;
            expect(listed.get(uri), `acknowledged push ${uri} is listed`).toBe(a.date);
          }
          for (const uri of listed.keys()) expect(sent.has(uri), `${uri} was sent`).toBe(true);
          const chain = await json(await fetch(`${server.url}/api/v1/activity/verify`, { headers: auth }));
          expect(chain.intact, JSON.stringify(chain)).toBe(true);
        }
      } finally {
        await server.stop();
      }
    });
  });
}
