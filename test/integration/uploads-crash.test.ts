/**
 * Crash safety: the real server in a child process takes 20 concurrent uploads (some fast,
 * some trickling in) and is killed with SIGKILL part-way. After a restart on the same data,
 * every upload that was acknowledged (201) is listed, complete and byte-identical (its
 * SHA-256 checks out); nothing listed is partial; and anything that was cut off left no row.
 * On SQLite and on PostgreSQL.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serve } from '../support/cli.ts';
import { json, signUpServed } from '../support/served.ts';
import { TEST_PG_URL } from '../support/services.ts';
import { dropSchema } from '../support/sql.ts';

const dirs: string[] = [];
const schemas: string[] = [];
afterAll(async () => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s).catch(() => {});
});

/** A multipart upload whose file part trickles in: `chunks` pieces of 64 KiB, `delayMs` apart. */
function trickle(token: string, url: string, content: Buffer, chunks: number, delayMs: number, signal: AbortSignal) {
  const boundary = 'crash' + crypto.randomBytes(6).toString('hex');
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="doc.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const piece = Math.ceil(content.length / chunks);
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(ctrl) {
      if (i === 0) ctrl.enqueue(head);
      if (i * piece >= content.length) {
        ctrl.enqueue(tail);
        ctrl.close();
        return;
      }
      if (i > 0 && delayMs) await new Promise((r) => setTimeout(r, delayMs));
      ctrl.enqueue(content.subarray(i * piece, (i + 1) * piece));
      i++;
    },
  });
  return fetch(`${url}/api/v1/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + content.length + tail.length) },
    body,
    signal,
    duplex: 'half',
  } as RequestInit);
}

function pdfBytes(n: number): Buffer {
  const b = crypto.randomBytes(n);
  Buffer.from('%PDF-1.7\n%').copy(b);
  return b;
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`kill -9 during 20 concurrent uploads [${dialect}]`, () => {
    it('keeps every acknowledged upload complete and lists nothing partial', { timeout: 240_000 }, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-crash-'));
      dirs.push(dataDir);
      const schema = `t_${crypto.randomBytes(5).toString('hex')}`;
      if (dialect === 'postgres') schemas.push(schema);
      const env = { DATA_DIR: dataDir, SANDBOX: 'false', LOG_LEVEL: 'warn', PIN_HASH_MEMORY_KIB: '1024', PIN_HASH_ITERATIONS: '1', ...(dialect === 'postgres' ? { DATABASE_URL: `${TEST_PG_URL}?schema=${schema}` } : {}) };
      const db = dialect === 'sqlite' ? ({ kind: 'sqlite', file: path.join(dataDir, 'openlocker.db') } as const) : ({ kind: 'postgres', url: TEST_PG_URL, schema } as const);

      let server = await serve(env);
      const { token } = await signUpServed(server, db);
      const contents = Array.from({ length: 20 }, (_, i) => pdfBytes(256 * 1024 + i * 97 * 1024));
      const acked = new Map<string, string>(); // id → sha256
      const abort = new AbortController();
      const uploads = contents.map((c, i) =>
        trickle(token, server.url, c, 16, i < 8 ? 0 : 40 + i * 10, abort.signal)
          .then(async (res) => {
            if (res.status === 201) {
              const body = await res.json();
              expect(body.sha256).toBe(sha(c));
              acked.set(body.id, body.sha256);
            }
          })
          .catch(() => {}),
      );
      // Kill once some are acknowledged and others are still streaming.
      const deadline = Date.now() + 20_000;
      while (acked.size < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await server.stop('SIGKILL');
      abort.abort();
      await Promise.all(uploads);
      expect(acked.size).toBeGreaterThanOrEqual(5);
      expect(acked.size).toBeLessThan(20);

      server = await serve(env);
      try {
        const auth = { authorization: `Bearer ${token}` };
        const listed = (await json(await fetch(`${server.url}/api/v1/uploads`, { headers: auth }))).items as Array<{ id: string; sha256: string; size: number }>;
        const ids = new Set(listed.map((u) => u.id));
        for (const id of acked.keys()) expect(ids.has(id), `acknowledged upload ${id} is listed`).toBe(true);
        const expected = new Map(contents.map((c) => [sha(c), c.length]));
        for (const u of listed) {
          expect(expected.get(u.sha256), 'listed upload is one of the sent files, whole').toBe(u.size);
          const file = Buffer.from(await (await fetch(`${server.url}/api/v1/uploads/${u.id}/file`, { headers: auth })).arrayBuffer());
          expect(file.length).toBe(u.size);
          expect(sha(file)).toBe(u.sha256);
        }
      } finally {
        await server.stop();
      }
    });
  });
}
