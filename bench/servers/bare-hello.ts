/**
 * The baseline: a bare Fastify app with the same logger level as the locker, answering
 * GET /hello with a small JSON body, and GET /echo returning a body given at start (so a
 * scenario can compare a locker route with "the same bytes from memory").
 *
 * GET /echo-logged answers the same body only after recording the request as `BENCH_LOG_ROWS`
 * rows (default 1) in a SQLite file in WAL mode (`BENCH_LOG_DB`), committed before the
 * answer, with the requests of one event-loop turn sharing a transaction — the least any
 * server pays to record every access durably on this machine, raw better-sqlite3 with no
 * query builder. Scenarios whose route must log each access report it beside their bar.
 *
 * POST /upload (with `BENCH_UPLOAD_DIR`) is the floor of the uploads scenario: the raw request
 * body (not parsed as multipart) hashed with SHA-256 and encrypted with AES-256-GCM as it
 * arrives, written to a new file, fsynced, answered 201 — what any server must do to keep an
 * upload encrypted and checksummed, with nothing else.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = process.env.BENCH_BODY_FILE ? fs.readFileSync(process.env.BENCH_BODY_FILE) : Buffer.from('{"status":"ok"}');
app.get('/hello', async () => ({ status: 'ok' }));
app.get('/echo', (_req, reply) => reply.type('application/json; charset=utf-8').send(body));

if (process.env.BENCH_LOG_DB) {
  const db = new SQLite(process.env.BENCH_LOG_DB);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const rowsPerRequest = Number(process.env.BENCH_LOG_ROWS ?? 1);
  // One table per row of a request (an access is recorded in several places), indexed as a log is read: by subject, newest first.
  const inserts = Array.from({ length: rowsPerRequest }, (_, i) => {
    db.exec(`create table if not exists log${i} (id integer primary key, subject text not null, at text not null, ip text, user_agent text); create index if not exists log${i}_subject on log${i} (subject, at)`);
    return db.prepare(`insert into log${i} (subject, at, ip, user_agent) values (?, ?, ?, ?)`);
  });
  let queue: Array<{ ip: string; ua: string | undefined; done(): void }> = [];
  const flush = db.transaction((batch: typeof queue) => {
    const at = new Date().toISOString();
    for (const r of batch) for (const insert of inserts) insert.run('bench-subject', at, r.ip, r.ua ?? null);
  });
  app.get('/echo-logged', (req, reply) => {
    if (queue.length === 0) {
      setImmediate(() => {
        const batch = queue;
        queue = [];
        flush(batch);
        for (const r of batch) r.done();
      });
    }
    queue.push({ ip: req.ip, ua: req.headers['user-agent'], done: () => void reply.type('application/json; charset=utf-8').send(body) });
  });
}

if (process.env.BENCH_UPLOAD_DIR) {
  const dir = process.env.BENCH_UPLOAD_DIR;
  app.addContentTypeParser('multipart/form-data', (_req, _payload, done) => done(null));
  app.post('/upload', async (req, reply) => {
    const file = path.join(dir, crypto.randomUUID());
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    const sha = crypto.createHash('sha256');
    const cipher = crypto.createCipheriv('aes-256-gcm', crypto.randomBytes(32), crypto.randomBytes(12));
    for await (const chunk of req.raw) {
      sha.update(chunk as Buffer);
      if (!out.write(cipher.update(chunk as Buffer))) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    cipher.final();
    out.end(cipher.getAuthTag());
    await new Promise<void>((resolve, reject) => out.once('finish', () => resolve()).once('error', reject));
    const fh = await fsp.open(file, 'r+');
    await fh.sync();
    await fh.close();
    return reply.code(201).send({ sha256: sha.digest('hex') });
  });
}

const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${url}\n`);
