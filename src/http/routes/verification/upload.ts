/**
 * Reads a verification request: a multipart upload (`file`, optionally a `qr` text field)
 * or a JSON body. The file is read into memory up to the upload limit (PDFs and photos
 * must be whole to verify); nothing is stored.
 */
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { AppError, invalid } from '../../../domain/errors.ts';

export interface VerifyInput {
  file?: Buffer;
  qr?: string;
  credential?: unknown;
}

const MAX_TEXT = 16 * 1024;

export async function readVerifyInput(req: FastifyRequest, maxBytes: number): Promise<VerifyInput> {
  if (req.isMultipart()) {
    const out: VerifyInput = {};
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: MAX_TEXT } })) {
      if (part.type === 'file') {
        const buf = await part.toBuffer();
        if (part.fieldname === 'file' && buf.length > 0) out.file = buf;
      } else if (part.fieldname === 'qr' && typeof part.value === 'string' && part.value.trim()) {
        out.qr = part.value.trim();
      }
    }
    return out;
  }
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const out: VerifyInput = {};
  if (body.qr !== undefined) {
    if (typeof body.qr !== 'string' || body.qr.length > MAX_TEXT) throw invalid('invalid_request', 'The field "qr" must be the text of the QR code.');
    if (body.qr.trim()) out.qr = body.qr.trim();
  }
  if (body.credential !== undefined) out.credential = body.credential;
  return out;
}

export function nothingToVerify(): AppError {
  return invalid('nothing_to_verify', 'Send a file (a signed PDF or a photo of the QR code) as multipart field "file", or the QR text as JSON {"qr": "…"}.');
}
