/**
 * OpenAPI generated from the route schemas: every JSON route with a schema is described
 * at /openapi.json and readable at /docs. Pages and internal routes set `hide: true`.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Type } from 'typebox';

/**
 * Any route may meet a store outage (storage/outage.ts): its 503 is documented on every
 * route that describes its answers, with the codes a client can branch on.
 */
const StoreOutage = Type.Object(
  {
    error: Type.String({ description: '`database_unavailable`, `database_busy`, `storage_full` or `blob_store_unavailable` (or, on routes that call an issuer, DigiLocker’s `repository_service_*` codes)' }),
    error_description: Type.String(),
    retry_after: Type.Optional(Type.Integer({ description: 'Seconds to wait before trying again; also sent as the Retry-After header' })),
  },
  { additionalProperties: true, description: 'Temporarily unavailable: a store the locker depends on is out or busy. Nothing to fix in the request; try again after Retry-After.' },
);

function documentOutages(route: RouteOptions): void {
  const schema = route.schema as { response?: Record<string, unknown>; hide?: boolean } | undefined;
  if (!schema?.response || schema.hide || '503' in schema.response) return;
  schema.response = { ...schema.response, 503: StoreOutage };
}

export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  app.addHook('onRoute', documentOutages);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'OpenLocker API',
        version: '1.0.0',
        description:
          'Citizen API (`/api/v1`), operations, and the DigiLocker-compatible Authorized Partner API (`/public`). ' +
          'Errors are always `{"error": "<stable_code>", "error_description": "<human text>"}`.',
        license: { name: 'Apache-2.0' },
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ol_session' },
          bearer: { type: 'http', scheme: 'bearer' },
          admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        },
      },
    },
  });
}

export async function registerOpenApiDocs(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { schema: { hide: true }, config: { floodGuard: false } }, async () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
}
