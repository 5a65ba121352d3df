/**
 * The sandbox issuers: a Fastify app of its own (its own database, keys and port) that
 * answers the DigiLocker Issuer API for UIDAI, CBSE, MoRTH, the Income Tax Department and
 * e-District Uttar Pradesh, plus UIDAI's eKYC, over real HTTP. `npm start` runs it beside
 * the locker and registers the five issuers (cli/start-hooks.ts); `openlocker sandbox
 * serve` runs it alone. Never in production (config refuses SANDBOX there).
 *
 *   GET  /                              what this is, issuers and their endpoints
 *   GET  /demo-identities               the synthetic people to try every flow with
 *   POST /issuers/{id}/pulluri|pulldoc  Issuer API (issuer-routes.ts)
 *   POST /uidai/ekyc/otp|verify         eKYC (ekyc-routes.ts)
 *   GET  /sms                           standalone only: SMS the sandbox "sent"
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { systemClock, type Clock } from '../domain/clock.ts';
import { SandboxControl } from './control.ts';
import { registerEkycRoutes } from './ekyc-routes.ts';
import { demoIdentities } from './identities.ts';
import { registerIssuerRoutes } from './issuer-routes.ts';
import { SANDBOX_ISSUERS } from './issuers.ts';
import { unsignedRenderer, type DocumentRenderer } from './render/renderer.ts';
import type { SandboxStore } from './store.ts';

export type SendSms = (to: string, message: string) => Promise<void> | void;

export interface SandboxAppOptions {
  store: SandboxStore;
  /** Where OTP SMS go: the locker's dev outbox when beside it, the sandbox's own list standalone. */
  sendSms: SendSms;
  renderer?: DocumentRenderer;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'] | false;
  /** How long records and faults marked `slow` take (default 15 s: past the default client timeout). */
  slowMs?: number;
  otpTtlMs?: number;
  /** Standalone: serve GET /sms with what `sendSms` recorded. */
  exposeSms?: boolean;
}

export interface SandboxApp {
  app: FastifyInstance;
  store: SandboxStore;
  control: SandboxControl;
}

export async function buildSandboxApp(options: SandboxAppOptions): Promise<SandboxApp> {
  const clock = options.clock ?? systemClock;
  const control = new SandboxControl();
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true, bodyLimit: 2 * 1024 * 1024 }) as unknown as FastifyInstance;

  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'sandbox error');
    return reply.code(status).send({ error: status >= 500 ? 'internal_error' : 'invalid_request', error_description: status >= 500 ? 'The sandbox failed unexpectedly.' : String(err.message ?? 'Bad request.') });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', error_description: `There is nothing at ${req.method} ${req.url.split('?')[0]} in the sandbox.` }));

  const renderer = options.renderer ?? unsignedRenderer();
  await renderer.warmUp?.();
  registerIssuerRoutes(app, { store: options.store, renderer, control, clock, slowMs: options.slowMs ?? 15_000 });
  registerEkycRoutes(app, { store: options.store, clock, sendSms: options.sendSms, otpTtlMs: options.otpTtlMs ?? 600_000 });

  app.get('/', async (req) => {
    const base = `${req.protocol}://${req.headers.host ?? req.hostname}`;
    return {
      name: 'OpenLocker sandbox issuers',
      notice: 'Synthetic people and documents for development and testing. Nothing here is real.',
      issuers: SANDBOX_ISSUERS.map((i) => ({ id: i.id, name: i.name, pull_uri_url: `${base}/issuers/${i.id}/pulluri`, pull_doc_url: `${base}/issuers/${i.id}/pulldoc`, doctypes: i.doctypes.map((d) => d.code) })),
      ekyc: { otp: `${base}/uidai/ekyc/otp`, verify: `${base}/uidai/ekyc/verify` },
      demo_identities: `${base}/demo-identities`,
    };
  });
  app.get('/demo-identities', async () => demoIdentities(options.store));
  app.get('/healthz', async () => ({ status: 'ok' }));
  if (options.exposeSms) {
    app.get('/sms', async (req) => ({ items: options.store.sms((req.query as { to?: string }).to) }));
  }
  await app.ready();
  return { app, store: options.store, control };
}

export interface SandboxRegistration {
  id: string;
  name: string;
  category: string;
  scope: string;
  state: string | null;
  description: string;
  pull_uri_url: string;
  pull_doc_url: string;
  hmac_key: string;
  hmac_encoding: 'base64-hex' | 'base64-raw';
  doctypes: Array<{ code: string; name: string; formats: string[]; parameters: unknown[]; profile_fields: string[] }>;
}

/**
 * The five issuers as admin-API registrations pointing at `baseUrl`, with their keys, so
 * the locker can register them (`registerIssuer(…, 'sandbox')`) and call them at once.
 */
export function sandboxRegistrations(store: SandboxStore, baseUrl: string): SandboxRegistration[] {
  const base = baseUrl.replace(/\/+$/, '');
  return SANDBOX_ISSUERS.map((i) => ({
    id: i.id,
    name: i.name,
    category: i.category,
    scope: i.scope,
    state: i.state,
    description: i.description,
    pull_uri_url: `${base}/issuers/${i.id}/pulluri`,
    pull_doc_url: `${base}/issuers/${i.id}/pulldoc`,
    hmac_key: store.issuerKey(i.id),
    hmac_encoding: 'base64-hex',
    doctypes: i.doctypes.map((d) => ({ code: d.code, name: d.name, formats: d.formats, parameters: d.parameters, profile_fields: d.profileFields })),
  }));
}

export interface RunningSandbox extends SandboxApp {
  url: string;
  close(): Promise<void>;
}

/** Builds and listens (port 0 picks a free port). Closing also closes the store. */
export async function startSandbox(options: SandboxAppOptions & { port: number; host: string }): Promise<RunningSandbox> {
  const built = await buildSandboxApp(options);
  try {
    await built.app.listen({ port: options.port, host: options.host });
  } catch (err) {
    await built.app.close();
    throw err;
  }
  const addr = built.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : options.port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    ...built,
    url: `http://${host}:${port}`,
    async close() {
      await built.app.close();
      options.store.close();
    },
  };
}
