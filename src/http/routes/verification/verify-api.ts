/**
 * `POST /api/v1/verify` — no sign-in. Multipart `file` (signed PDF, JPEG/PNG photo of the
 * QR code, or certificate XML), or JSON `{qr: "<QR text>"}` or `{credential: "<SD-JWT>"}`.
 * Answers 200 with `{status, issuer_id, signed_at, checks, fields, …}` for every
 * verifiable input — "tampered" and "revoked" are answers, not errors — and 4xx only
 * when the input cannot be read.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../../deps.ts';
import type { VerifyResult } from '../../../domain/verification/verify-result.ts';
import { verifyQrText, type VerifierDeps } from '../../../domain/verification/verify-qr.ts';
import { verifySdJwtCredential } from '../../../domain/verification/verify-credential.ts';
import { limitBy } from '../../plugins/limits.ts';
import { nothingToVerify, readVerifyInput } from './upload.ts';

// Plain `enum` and `nullable` rather than unions: fast-json-stringify serialises them
// directly, where `anyOf` would validate every branch on every response.
const nullableString = Type.Unsafe<string | null>({ type: 'string', nullable: true });

export const VerifyResultSchema = Type.Object(
  {
    status: Type.Unsafe<'valid' | 'tampered' | 'revoked' | 'unknown_issuer' | 'undetermined'>({ type: 'string', enum: ['valid', 'tampered', 'revoked', 'unknown_issuer', 'undetermined'] }),
    source: Type.Unsafe<'pdf' | 'qr' | 'xml' | 'credential'>({ type: 'string', enum: ['pdf', 'qr', 'xml', 'credential'] }),
    issuer_id: nullableString,
    issuer_name: nullableString,
    signed_at: nullableString,
    key_id: nullableString,
    checks: Type.Array(Type.Object({ id: Type.String(), result: Type.Unsafe<string>({ type: 'string', enum: ['passed', 'failed', 'skipped', 'error'] }), detail: Type.String() })),
    fields: Type.Record(Type.String(), Type.String()),
  },
  { $id: 'VerifyResult' },
);

export function registerVerifyApi(app: FastifyInstance, deps: AppDeps, verifier: VerifierDeps, verifyFile: (file: Buffer) => Promise<VerifyResult>): void {
  // Files cost real CPU (PDF parsing, image decoding): count them per client in the shared store.
  const fileLimit = limitBy(deps, { name: 'verify-file', max: 120, windowMs: 60_000, key: (req) => (req.isMultipart() ? req.ip : null), message: 'Too many files verified from your address. Wait a minute and try again.' });
  app.post(
    '/api/v1/verify',
    {
      preHandler: fileLimit,
      schema: {
        tags: ['verification'],
        summary: 'Verify a document: signed PDF, photo of its QR code, QR text, certificate XML or SD-JWT credential',
        description:
          'No sign-in. Send `multipart/form-data` with a `file` (PDF, JPEG/PNG photo of the QR code, or certificate XML), ' +
          'or JSON `{"qr": "OL1:/…"}` (the text a QR reader returns) or `{"credential": "<SD-JWT VC presentation>"}`. ' +
          'The answer is always one of valid, tampered, revoked, unknown_issuer or undetermined (the key directory could not be consulted).',
        response: { 200: VerifyResultSchema },
      },
    },
    async (req) => {
      const input = await readVerifyInput(req, deps.config.uploadMaxBytes);
      if (input.file) return verifyFile(input.file);
      if (input.qr) return verifyQrText(verifier, input.qr);
      if (typeof input.credential === 'string') return verifySdJwtCredential(verifier, input.credential);
      throw nothingToVerify();
    },
  );
}
