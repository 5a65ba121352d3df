/**
 * OpenAPI generated from the route schemas: every JSON route with a schema is described
 * at /openapi.json and readable at /docs. Pages and internal routes set `hide: true`.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
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
