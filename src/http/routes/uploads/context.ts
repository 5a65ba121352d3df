import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../domain/activity/ports.ts';
import type { Who } from '../../../domain/uploads/manage-uploads.ts';
import { contentDisposition } from '../../../domain/uploads/names.ts';
import type { Readable } from 'node:stream';

/** Who is acting, for the activity log: the signed-in citizen from the request. */
export function whoOf(req: FastifyRequest): Who {
  const c = req.citizen!;
  const actor: Actor = { kind: 'citizen', id: c.accountId, name: c.name };
  const ua = req.headers['user-agent'];
  return { accountId: c.accountId, actor, ip: req.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null };
}

/**
 * Sends a document's bytes with its sniffed type, a safe Content-Disposition and a CSP that
 * lets nothing inside it run (images are sandboxed; PDFs get no scripts, no network).
 */
export function sendDocument(reply: FastifyReply, doc: { mime: string; size: number | null; filename: string; stream: Readable }, disposition: 'inline' | 'attachment'): FastifyReply {
  reply
    .header('content-type', doc.mime)
    .header('content-disposition', contentDisposition(disposition, doc.filename))
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', doc.mime.startsWith('image/') ? "default-src 'none'; sandbox" : "default-src 'none'; frame-ancestors 'self'");
  if (doc.size !== null) reply.header('content-length', String(doc.size));
  return reply.send(doc.stream);
}
