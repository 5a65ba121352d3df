/**
 * The baseline: a bare Fastify app with the same logger level as the locker, answering
 * GET /hello with a small JSON body, and GET /echo returning a body given at start (so a
 * scenario can compare a locker route with "the same bytes from memory").
 */
import fs from 'node:fs';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = process.env.BENCH_BODY_FILE ? fs.readFileSync(process.env.BENCH_BODY_FILE) : Buffer.from('{"status":"ok"}');
app.get('/hello', async () => ({ status: 'ok' }));
app.get('/echo', (_req, reply) => reply.type('application/json; charset=utf-8').send(body));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${url}\n`);
