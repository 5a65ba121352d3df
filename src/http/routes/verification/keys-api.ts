/**
 * Issuer keys in public: `GET /issuers/{issuerId}/jwks.json` (every key still usable for
 * verification, including rotated ones), `GET /keys/log` (the hash-chained key log, paged)
 * and `GET /keys/sandbox-root.pem` (the sandbox trust anchor, for pdfsig/openssl). And
 * for operators, under /api/v1/admin (admin token): list, register, rotate, revoke.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../../deps.ts';
import type { VerificationDeps } from '../../../domain/verification/deps.ts';
import { notFound } from '../../../domain/errors.ts';
import { registerIssuerKeys, revokeIssuerKey, rotateIssuerKeys, SANDBOX_ROOT_ID } from '../../../domain/verification/issuer-keys.ts';
import type { IssuerKey } from '../../../domain/verification/ports.ts';
import { derToPem } from '../../../crypto/signing/x509.ts';
import { requireAdmin } from '../../plugins/admin-auth.ts';

const IssuerParams = Type.Object({ issuerId: Type.String({ minLength: 2, maxLength: 100, pattern: '^[a-z0-9][a-z0-9.-]+$' }) });

export function publicJwk(k: IssuerKey): Record<string, unknown> {
  return { ...k.publicJwk, kid: k.kid, alg: k.alg, use: 'sig', ...(k.certificate ? { x5c: [k.certificate, ...k.chain].map((c) => c.toString('base64')) } : {}) };
}

export function presentKey(k: IssuerKey) {
  return {
    kid: k.kid,
    issuer_id: k.issuerId,
    issuer_name: k.issuerName,
    kind: k.kind,
    alg: k.alg,
    did: k.did,
    origin: k.origin,
    certificate_sha256: k.certSha256,
    valid_from: k.validFrom.toISOString(),
    valid_until: k.validUntil?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
    revocation_reason: k.revocationReason,
    status: k.revokedAt ? 'revoked' : k.validUntil && k.validUntil.getTime() <= Date.now() ? 'retired' : 'active',
  };
}

export function registerKeysApi(app: FastifyInstance, deps: AppDeps, v: VerificationDeps): void {
  app.get(
    '/issuers/:issuerId/jwks.json',
    { schema: { tags: ['verification'], summary: "An issuer's public keys (JWKS): current and rotated, not revoked", params: IssuerParams } },
    async (req, reply) => {
      const { issuerId } = req.params as { issuerId: string };
      const keys = await v.keys.listForIssuer(issuerId);
      if (keys.length === 0) throw notFound(`Issuer ${issuerId}`, 'unknown_issuer');
      reply.header('cache-control', 'public, max-age=300');
      return { keys: keys.filter((k) => !k.revokedAt).map(publicJwk) };
    },
  );

  app.get(
    '/keys/log',
    {
      schema: {
        tags: ['verification'],
        summary: 'The key log: every key added, retired or revoked, hash-chained (append-only)',
        description: 'Each entry names the SHA-256 of the previous one (`prev`); its own hash is SHA-256 of its canonical JSON (RFC 8785). Page with `after` (the last seq you have).',
        querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
      },
    },
    async (req) => {
      const { after = 0, limit = 500 } = req.query as { after?: number; limit?: number };
      const records = await v.keys.readLog(after, limit);
      return { entries: records.map((r) => ({ ...r.entry, hash: r.hash })), more: records.length === limit };
    },
  );

  app.get('/keys/sandbox-root.pem', { schema: { tags: ['verification'], summary: 'The sandbox root CA certificate (trust it to check sandbox documents with pdfsig or openssl)' } }, async (_req, reply) => {
    const anchor = await v.keys.getAnchor(SANDBOX_ROOT_ID);
    if (!anchor) throw notFound('The sandbox root CA (no sandbox document has been issued yet)', 'not_found');
    return reply.type('application/x-pem-file').header('content-disposition', 'attachment; filename="openlocker-sandbox-root.pem"').send(derToPem(anchor.certificate));
  });

  const admin = { preHandler: requireAdmin(deps) };
  const security = [{ admin: [] }];
  app.get('/api/v1/admin/issuers/:issuerId/keys', { ...admin, schema: { tags: ['admin'], security, summary: "List an issuer's keys with their status", params: IssuerParams } }, async (req) => {
    const { issuerId } = req.params as { issuerId: string };
    return { keys: (await v.keys.listForIssuer(issuerId)).map(presentKey) };
  });

  app.post(
    '/api/v1/admin/issuers/:issuerId/keys',
    {
      ...admin,
      schema: {
        tags: ['admin'],
        security,
        summary: "Register a real issuer's signing certificate and/or public JWK",
        params: IssuerParams,
        body: Type.Object(
          {
            issuer_name: Type.String({ minLength: 2, maxLength: 200 }),
            certificate_pem: Type.Optional(Type.String({ maxLength: 65_536 })),
            jwk: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const { issuerId } = req.params as { issuerId: string };
      const body = req.body as { issuer_name: string; certificate_pem?: string; jwk?: Record<string, unknown> };
      const keys = await registerIssuerKeys(v, { issuerId, issuerName: body.issuer_name, ...(body.certificate_pem ? { certificatePem: body.certificate_pem } : {}), ...(body.jwk ? { jwk: body.jwk } : {}) });
      return reply.code(201).send({ keys: keys.map(presentKey) });
    },
  );

  app.post('/api/v1/admin/issuers/:issuerId/keys/rotate', { ...admin, schema: { tags: ['admin'], security, summary: "Rotate a sandbox issuer's keys (old keys stay valid for documents they signed)", params: IssuerParams } }, async (req) => {
    const { issuerId } = req.params as { issuerId: string };
    return rotateIssuerKeys(v, issuerId);
  });

  app.post(
    '/api/v1/admin/keys/:kid/revoke',
    {
      ...admin,
      schema: {
        tags: ['admin'],
        security,
        summary: 'Revoke a key: documents it signed then verify as "revoked"',
        params: Type.Object({ kid: Type.String({ minLength: 4, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) }),
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const { kid } = req.params as { kid: string };
      const { reason } = req.body as { reason: string };
      return presentKey(await revokeIssuerKey(v, kid, reason));
    },
  );
}
