/**
 * A locker for the partner bench, in its own process: the real app (SQLite + filesystem
 * blobs in a fresh DATA_DIR, logs at warn) with an issued-documents source whose documents
 * are fetched live over HTTP from an issuer (`BENCH_ISSUER_URL`, the bare server's /echo
 * serving a signed PDF from memory) — so `1/file/{uri}` pays what a live fetch costs and the
 * bench can compare it with calling the issuer directly.
 *
 * It drives the real consent flow once (citizen sign-up, partner registration, the consent
 * screen, openid-client's code exchange, using the test helpers) and prints
 * `READY {"url","token","uri"}` on stdout.
 *
 * `BENCH_NO_RECORD=1`: after the flow, the activity log's `record` does nothing — a
 * measurement only, of what the partner routes cost without recording the access.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { openDeps } from '../../src/deps.ts';
import type { DocumentSource, LockerDocument } from '../../src/domain/documents/sources.ts';
import { AppError } from '../../src/domain/errors.ts';
import { signUpCitizen } from '../../test/support/citizen.ts';
import { useTestSources } from '../../test/support/document-sources.ts';
import { connect, createPartner, freePort } from '../../test/support/partners.ts';

const issuerUrl = process.env.BENCH_ISSUER_URL!;
const DOCS = Number(process.env.BENCH_DOCS ?? 10);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ol-bench-partner-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const { config } = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', SANDBOX: 'false', DATA_DIR: dataDir, PUBLIC_URL: base, RATE_LIMIT_PER_MINUTE: '10000000', PARTNER_API_PER_MINUTE: '10000000', PIN_HASH_MEMORY_KIB: '1024', PIN_HASH_ITERATIONS: '1' });
// The test helpers register the partner with the test admin token.
const deps = { ...(await openDeps(config)), adminToken: 'test-admin-token-0123456789' };
const app = await buildApp(deps, { logger: false });

const docs = new Map<string, { accountId: string; meta: LockerDocument }>();
const issued: DocumentSource = {
  kind: 'issued',
  async list(accountId) {
    return [...docs.values()].filter((d) => d.accountId === accountId).map((d) => d.meta);
  },
  async get(accountId, ref) {
    const d = docs.get(ref);
    return d && d.accountId === accountId ? d.meta : null;
  },
  async open(accountId, ref) {
    const d = docs.get(ref);
    if (!d || d.accountId !== accountId) throw new AppError('not_found', 'not_found', 'The document was not found.');
    // node:http over a kept-alive connection, as the locker's Issuer API client talks to issuers.
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(`${issuerUrl}/echo`, { agent }, resolve).on('error', reject));
    if (res.statusCode !== 200) {
      res.resume();
      throw new AppError('upstream', 'repository_service_resperror', 'The issuer answered badly.');
    }
    const size = Number(res.headers['content-length']);
    return { filename: `${ref}.pdf`, mime: 'application/pdf', size: Number.isFinite(size) && size > 0 ? size : null, stream: res, verifiedAt: new Date().toISOString() };
  },
};
// In place of the issued module's source and its consent-screen listing.
useTestSources(deps, issued);
await app.ready();
await app.listen({ port, host: '127.0.0.1' });

const citizen = await signUpCitizen(app, deps);
let first = '';
for (let i = 0; i < DOCS; i++) {
  const uri = `in.gov.sandbox.cbse-HSCER-BENCH${String(i).padStart(6, '0')}`;
  first ||= uri;
  docs.set(uri, { accountId: citizen.accountId, meta: { source: 'issued', ref: uri, type: 'file', name: `Class XII Marksheet ${i}`, doctype: 'HSCER', issuerId: 'in.gov.sandbox.cbse', issuerName: 'Sandbox Board of Education', mimes: ['application/pdf', 'application/xml'], size: null, date: '2024-05-13T10:00:00.000Z', parent: null, description: 'Class XII Marksheet' } });
}
const partner = await createPartner(app, { scopes: ['openid', 'files.issueddocs'], doctypes: ['HSCER'] });
const tokens = await connect({ t: { app, deps } as never, issuer: `${base}/public/oauth2` }, partner, citizen, { scope: 'openid files.issueddocs' });
if (process.env.BENCH_NO_RECORD === '1') deps.activity.record = async () => {};
process.stdout.write(`READY ${JSON.stringify({ url: base, token: tokens.access_token, uri: first })}\n`);

const stop = async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
