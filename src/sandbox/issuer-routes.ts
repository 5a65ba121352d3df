/**
 * The sandbox issuers' Issuer API: for each issuer, `POST /issuers/{id}/pulluri` and
 * `POST /issuers/{id}/pulldoc`, answering exactly as the DigiLocker Issuer API spec says
 * (XML in, XML out, Status 1/0/9, base64 DocContent/DataContent). Every call must carry
 * `x-digilocker-hmac` for that issuer's key, in either encoding (base64 of the raw HMAC, or
 * of its hex digest).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/clock.ts';
import { HMAC_HEADER, verifyIssuerHmac } from '../crypto/issuer-hmac.ts';
import {
  buildPullDocResponse,
  buildPullUriResponse,
  parsePullDocRequest,
  parsePullUriRequest,
  WireError,
  type IssuedPerson,
} from '../integrations/issuer-api/wire.ts';
import type { SandboxControl } from './control.ts';
import { toCertificateDocument } from './documents.ts';
import { findRecord, sandboxIssuer } from './issuers.ts';
import type { DocumentRenderer } from './render/renderer.ts';
import type { SandboxStore, StoredRecord } from './store.ts';

export interface IssuerRouteDeps {
  store: SandboxStore;
  renderer: DocumentRenderer;
  control: SandboxControl;
  clock: Clock;
  /** How long records marked `slow` take to answer. */
  slowMs: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const xml = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('application/xml; charset=utf-8').send(body);
const dmy = (iso: string) => iso.split('-').reverse().join('-');

/** Applies a simulated fault; returns true if the reply was already sent (or the socket dropped). */
async function applyFault(deps: IssuerRouteDeps, issuerId: string, req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const fault = deps.control.take(issuerId);
  if (!fault) return false;
  if (fault.mode === 'slow') {
    await sleep(fault.delayMs ?? deps.slowMs);
    return false;
  }
  if (fault.mode === 'reset') {
    req.raw.socket.destroy();
    reply.hijack();
    return true;
  }
  await reply.code(fault.status ?? 500).type('text/plain').send('Simulated issuer failure (sandbox)');
  return true;
}

/** Per-record trouble from the seed data. */
async function recordBehaviour(deps: IssuerRouteDeps, record: StoredRecord, reply: FastifyReply): Promise<boolean> {
  if (record.behaviour === 'error') {
    await reply.code(500).type('text/plain').send('Simulated issuer failure for this record (sandbox)');
    return true;
  }
  if (record.behaviour === 'slow') await sleep(deps.slowMs);
  return false;
}

async function files(deps: IssuerRouteDeps, record: StoredRecord, format: string | undefined) {
  const person = deps.store.person(record.personId);
  if (!person) throw new Error(`sandbox record ${record.uri} has no person`);
  const issuer = sandboxIssuer(record.issuerId);
  const hasXml = issuer?.doctypes.find((d) => d.code === record.doctype)?.formats.includes('xml') ?? false;
  const rendered = await deps.renderer.render(toCertificateDocument(record, person));
  const wantPdf = format === undefined || format === 'pdf' || format === 'both';
  const wantXml = format === 'xml' || format === 'both';
  return {
    person,
    ...(wantPdf ? { docContent: rendered.pdf } : {}),
    ...(wantXml && hasXml && rendered.xml ? { dataContent: Buffer.from(rendered.xml, 'utf8') } : {}),
  };
}

export function registerIssuerRoutes(app: FastifyInstance, deps: IssuerRouteDeps): void {
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer', bodyLimit: 2 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  const guard = async (req: FastifyRequest, reply: FastifyReply): Promise<{ issuerId: string; body: string } | null> => {
    const { issuerId } = req.params as { issuerId: string };
    if (!sandboxIssuer(issuerId)) {
      await reply.code(404).send({ error: 'not_found', error_description: `No sandbox issuer ${issuerId}.` });
      return null;
    }
    if (await applyFault(deps, issuerId, req, reply)) return null;
    const raw = req.body;
    if (!Buffer.isBuffer(raw)) {
      await reply.code(415).send({ error: 'unsupported_media_type', error_description: 'Send the request as application/xml.' });
      return null;
    }
    if (!verifyIssuerHmac(raw, deps.store.issuerKey(issuerId), req.headers[HMAC_HEADER] as string | undefined)) {
      await reply.code(401).send({ error: 'hmac_mismatch', error_description: `${HMAC_HEADER} is missing or is not the HMAC-SHA256 of the body under this issuer's key.` });
      return null;
    }
    return { issuerId, body: raw.toString('utf8') };
  };

  const badXml = (reply: FastifyReply, err: unknown) => reply.code(400).send({ error: 'invalid_request', error_description: `The request is not a valid Issuer API message: ${(err as Error).message}` });

  app.post('/issuers/:issuerId/pulluri', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    let m: ReturnType<typeof parsePullUriRequest>;
    try {
      m = parsePullUriRequest(g.body);
    } catch (err) {
      if (err instanceof WireError) return badXml(reply, err);
      throw err;
    }
    const echo = { ts: m.ts, txn: m.txn, docType: m.docType, digiLockerId: m.digiLockerId, ...(m.uid ? { uid: m.uid } : {}), ...(m.fullName ? { fullName: m.fullName } : {}), ...(m.dob ? { dob: m.dob } : {}), params: m.params };
    const record = sandboxIssuer(g.issuerId)!.doctypes.some((d) => d.code === m.docType) ? findRecord(deps.store, g.issuerId, m) : null;
    if (!record) return xml(reply, buildPullUriResponse({ status: '0', ...echo, issuedTo: [] }));
    if (await recordBehaviour(deps, record, reply)) return reply;
    if (record.behaviour === 'pending' && deps.store.pollPending(record.uri) > 0) {
      return xml(reply, buildPullUriResponse({ status: '9', ...echo, issuedTo: [] }));
    }
    const out = await files(deps, record, m.format);
    const issuedTo: IssuedPerson[] = [{ name: out.person.name, dob: dmy(out.person.dob), gender: out.person.gender, phone: '' }];
    return xml(reply, buildPullUriResponse({ status: '1', ...echo, uri: record.uri, issuedTo, ...(out.docContent ? { docContent: out.docContent } : {}), ...(out.dataContent ? { dataContent: out.dataContent } : {}) }));
  });

  app.post('/issuers/:issuerId/pulldoc', async (req, reply) => {
    const g = await guard(req, reply);
    if (!g) return reply;
    let m: ReturnType<typeof parsePullDocRequest>;
    try {
      m = parsePullDocRequest(g.body);
    } catch (err) {
      if (err instanceof WireError) return badXml(reply, err);
      throw err;
    }
    const record = deps.store.byUri(m.uri);
    if (!record || record.issuerId !== g.issuerId) return xml(reply, buildPullDocResponse({ status: '0', ts: m.ts, txn: m.txn }));
    if (await recordBehaviour(deps, record, reply)) return reply;
    const out = await files(deps, record, m.format);
    return xml(reply, buildPullDocResponse({ status: '1', ts: m.ts, txn: m.txn, ...(out.docContent ? { docContent: out.docContent } : {}), ...(out.dataContent ? { dataContent: out.dataContent } : {}) }));
  });
}
