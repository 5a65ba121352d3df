/**
 * buildApp(deps) assembles the HTTP application without listening: plugins in a fixed
 * order (request ids, security headers, cookies and CSRF, error shape, rate limits,
 * OpenAPI), then operations routes, the web shell and every feature module. main.ts
 * listens; tests use `inject` or `listen({port: 0})`.
 */
import crypto from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import type { AppDeps } from './deps.ts';
import { registerCompression } from './http/plugins/compression.ts';
import { registerErrorHandling } from './http/plugins/errors.ts';
import { registerFloodGuard } from './http/plugins/flood-guard.ts';
import { registerSecurityHeaders } from './http/plugins/security.ts';
import { loggerOptions, requestChildLogger } from './http/logging.ts';
import { registerOpenApi, registerOpenApiDocs } from './http/openapi.ts';
import './http/principal.ts';
import { registerHealthRoutes } from './http/routes/health.ts';
import { MODULES, type AppModule } from './modules.ts';
import { registerDevOutbox } from './web/dev/outbox.ts';
import { csrfUserInfo } from './web/render.ts';
import { htmlErrorRenderer, registerWebShell } from './web/shell/routes.ts';

export interface BuildOptions {
  /** Override the logger (tests pass false or a stream). */
  logger?: FastifyServerOptions['logger'] | false;
  /** Serve HTTPS directly (from TLS_CERT/TLS_KEY). */
  https?: { cert: Buffer; key: Buffer };
  /** Feature modules to register (default: all). */
  modules?: AppModule[];
  /** Told of every route as it is registered (the fuzz tests use it to reach them all). */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const serverOptions: FastifyServerOptions = {
    logger: options.logger === undefined ? loggerOptions(config) : options.logger,
    // One access-log line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestChildLogger,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // A malformed URL (`/…/%zz`) gets the locker's error shape, not Fastify's default body.
    frameworkErrors: (err, _req, reply) =>
      void (reply as unknown as FastifyReply).code(400).type('application/json; charset=utf-8').send({ error: 'invalid_request', error_description: err.code === 'FST_ERR_BAD_URL' ? 'The address is not valid: a % must be followed by two hexadecimal digits.' : 'The request is not valid.' }),
  };
  const app = (options.https
    ? Fastify({ ...(serverOptions as object), https: { ...options.https, minVersion: 'TLSv1.2' } } as never)
    : Fastify(serverOptions)) as unknown as FastifyInstance;

  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.decorateRequest('citizen', null);
  // JSON APIs take JSON (and forms where DigiLocker's wire format says so); text/plain
  // bodies get 415 rather than a confusing validation error.
  app.removeContentTypeParser('text/plain');
  const changes = deps.sql.changes;
  app.addHook('onRequest', (req, reply, done) => {
    // The never-stale read caches see every commit made before this request arrived.
    changes?.observe();
    reply.header('x-request-id', req.id);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    if (req.routeOptions.config?.floodGuard !== false) {
      req.log.info({ req, res: reply, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    }
    done();
  });

  const web = { supportEmail: config.supportEmail, sandbox: config.sandbox };
  registerSecurityHeaders(app, { https: Boolean(options.https) || config.secureCookies });
  await app.register(cookie, { secret: deps.masterKey.derive('cookie-signing').toString('base64') });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'ol_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.secureCookies, signed: true },
    // Tokens are bound to the citizen's session: a token (and secret cookie) obtained in one
    // session — someone else's, planted by a related domain — is refused in another.
    getUserInfo: csrfUserInfo,
    csrfOpts: { hmacKey: deps.masterKey.derive('csrf-user-info') },
  });
  await app.register(formbody);
  registerCompression(app);
  registerErrorHandling(app, htmlErrorRenderer(web));
  await registerOpenApi(app, config.publicUrl);
  registerFloodGuard(app, config.rateLimitPerMinute);

  registerHealthRoutes(app, [
    { name: 'database', check: () => deps.sql.ping() },
    { name: 'blobs', check: () => deps.blobs.ping() },
    ...(deps.redis ? [{ name: 'redis', check: async () => void (await deps.redis!.ping()) }] : []),
  ]);

  const modules = options.modules ?? MODULES;
  await registerWebShell(app, { ...web, secureCookies: config.secureCookies, sectionsHandledElsewhere: modules.flatMap((m) => m.sections ?? []) });
  if (config.nodeEnv !== 'production') registerDevOutbox(app, deps.outbox, web);
  for (const m of modules) await m.register(app, deps);

  await registerOpenApiDocs(app);
  return app;
}
