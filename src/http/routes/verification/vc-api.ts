/**
 * The W3C VC API shape: `POST /credentials/issue` (operators: admin token),
 * `POST /credentials/verify` and `POST /presentations/verify` (anyone). Plus
 * `POST /api/v1/admin/credentials` to issue any document as a credential, and
 * `POST /api/v1/credentials/present` to keep only chosen SD-JWT disclosures.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../../deps.ts';
import type { CertificateDocument } from '../../../domain/documents/certificate.ts';
import { invalid } from '../../../domain/errors.ts';
import type { VerificationDeps } from '../../../domain/verification/deps.ts';
import { issueApiCredential, issueDocumentCredential, type CredentialFormat } from '../../../domain/verification/issue-credential.ts';
import { verifyAnyCredential, verifyPresentation } from '../../../domain/verification/verify-credential.ts';
import type { VerifyResult } from '../../../domain/verification/verify-result.ts';
import type { VerifierDeps } from '../../../domain/verification/verify-qr.ts';
import { findSandboxIssuer } from '../../../sandbox/samples/documents.ts';
import { requireAdmin } from '../../plugins/admin-auth.ts';
import { CertificateDocumentSchema } from './document-schema.ts';

const Format = Type.Union([Type.Literal('ldp_vc'), Type.Literal('vc+sd-jwt')]);

function envelope(format: CredentialFormat, credential: string | Record<string, unknown>) {
  return format === 'vc+sd-jwt'
    ? { '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+sd-jwt,${credential as string}` }
    : credential;
}

function vcApiAnswer(r: VerifyResult) {
  return {
    verified: r.status === 'valid',
    status: r.status,
    checks: r.checks.filter((c) => c.result === 'passed').map((c) => c.id),
    warnings: r.checks.filter((c) => c.result === 'skipped' || c.result === 'error').map((c) => c.detail),
    errors: r.checks.filter((c) => c.result === 'failed').map((c) => c.detail),
    issuer_id: r.issuer_id,
    signed_at: r.signed_at,
    fields: r.fields,
  };
}

export function registerVcApi(app: FastifyInstance, deps: AppDeps, v: VerificationDeps, verifier: VerifierDeps): void {
  const admin = { preHandler: requireAdmin(deps) };
  const sandboxIssuer = (id: string) => deps.config.nodeEnv !== 'production' && Boolean(findSandboxIssuer(id));

  app.post(
    '/credentials/issue',
    {
      ...admin,
      schema: {
        tags: ['credentials'],
        security: [{ admin: [] }],
        summary: 'W3C VC API: issue a credential (Data Integrity eddsa-rdfc-2022, or SD-JWT) signed by an issuer',
        description: '`credential.issuer` names the issuer id (e.g. in.gov.cbse); it is replaced by the issuer\'s did:key.',
        body: Type.Object({ credential: Type.Record(Type.String(), Type.Unknown()), options: Type.Optional(Type.Object({ format: Type.Optional(Format) })) }),
      },
    },
    async (req, reply) => {
      const { credential, options } = req.body as { credential: Record<string, unknown>; options?: { format?: CredentialFormat } };
      const issuerId = typeof credential.issuer === 'string' ? credential.issuer : (credential.issuer as { id?: unknown })?.id;
      if (typeof issuerId !== 'string' || !issuerId) throw invalid('invalid_credential', 'credential.issuer must name the issuer id.');
      const known = (await v.keys.listForIssuer(issuerId))[0];
      const sandbox = findSandboxIssuer(issuerId);
      const issued = await issueApiCredential(v, credential, { id: issuerId, name: known?.issuerName ?? sandbox?.name ?? issuerId, sandbox: sandboxIssuer(issuerId) }, options?.format ?? 'ldp_vc');
      return reply.code(201).send({ verifiableCredential: envelope(issued.format, issued.credential) });
    },
  );

  app.post(
    '/api/v1/admin/credentials',
    {
      ...admin,
      schema: {
        tags: ['credentials'],
        security: [{ admin: [] }],
        summary: 'Issue a document as a Verifiable Credential 2.0 (SD-JWT by default, or Data Integrity)',
        body: Type.Object({ document: CertificateDocumentSchema, format: Type.Optional(Format), holder_jwk: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      const body = req.body as { document: CertificateDocument; format?: CredentialFormat; holder_jwk?: Record<string, unknown> };
      const doc = { ...body.document, sandbox: body.document.sandbox === true && sandboxIssuer(body.document.issuer.id) };
      const issued = await issueDocumentCredential(v, doc, body.format ?? 'vc+sd-jwt', body.holder_jwk);
      return reply.code(201).send({ format: issued.format, key_id: issued.keyId, credential: issued.credential });
    },
  );

  app.post(
    '/api/v1/credentials/present',
    {
      schema: {
        tags: ['credentials'],
        summary: 'Keep only the chosen claims of an SD-JWT credential (selective disclosure), e.g. name and result, not the marks',
        body: Type.Object({ credential: Type.String({ minLength: 10, maxLength: 65_536 }), disclose: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 }) }, { additionalProperties: false }),
      },
    },
    async (req) => {
      const { credential, disclose } = req.body as { credential: string; disclose: string[] };
      try {
        return { credential: await (await import('../../../crypto/vc/sd-jwt.ts')).presentSdJwtVc(credential, disclose) };
      } catch {
        throw invalid('invalid_credential', 'The credential is not an SD-JWT this service can present.');
      }
    },
  );

  app.post(
    '/credentials/verify',
    {
      schema: {
        tags: ['credentials'],
        summary: 'W3C VC API: verify a credential (Data Integrity, or an enveloped SD-JWT)',
        body: Type.Object({ verifiableCredential: Type.Unknown(), options: Type.Optional(Type.Object({ challenge: Type.Optional(Type.String({ maxLength: 500 })) })) }),
      },
    },
    async (req) => {
      const { verifiableCredential, options } = req.body as { verifiableCredential: unknown; options?: { challenge?: string } };
      return vcApiAnswer(await verifyAnyCredential(verifier, verifiableCredential, options?.challenge ? { nonce: options.challenge } : {}));
    },
  );

  app.post(
    '/presentations/verify',
    {
      schema: {
        tags: ['credentials'],
        summary: 'W3C VC API: verify a presentation (its proof against your challenge, and every credential in it)',
        body: Type.Object({ verifiablePresentation: Type.Unknown(), options: Type.Optional(Type.Object({ challenge: Type.Optional(Type.String({ maxLength: 500 })), domain: Type.Optional(Type.String({ maxLength: 500 })) })) }),
      },
    },
    async (req) => {
      const { verifiablePresentation, options } = req.body as { verifiablePresentation: unknown; options?: { challenge?: string; domain?: string } };
      const r = await verifyPresentation(verifier, verifiablePresentation, options ?? {});
      return {
        verified: r.verified,
        checks: r.proof === 'passed' ? ['proof'] : [],
        warnings: r.proof === 'absent' ? ['The presentation is not signed: its holder is not authenticated.'] : [],
        errors: r.proof === 'failed' ? (r.errors.length ? r.errors : ['The presentation proof does not verify.']) : [],
        credentials: r.credentials.map(vcApiAnswer),
      };
    },
  );
}
