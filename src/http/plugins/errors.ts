/**
 * The one place errors become HTTP. Every failure leaves as `{error, error_description}`
 * (DigiLocker's partner-API shape) with a stable code, or as a plain HTML page for
 * browsers; never a stack trace. Unexpected errors are logged with the request id and the
 * client gets that id to quote to support.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorKind } from '../../domain/errors.ts';
import { SqlValueError, StorageUnavailableError } from '../../storage/outage.ts';

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported: 415,
  rate_limited: 429,
  internal: 500,
  upstream: 502,
  unavailable: 503,
  timeout: 504,
};

export interface ErrorBody {
  error: string;
  error_description: string;
  [extra: string]: unknown;
}

/** Renders an error as an HTML page (set by the web shell). */
export type HtmlErrorRenderer = (req: FastifyRequest, reply: FastifyReply, status: number, body: ErrorBody) => unknown;

function wantsHtml(req: FastifyRequest): boolean {
  const url = req.url;
  if (url.startsWith('/api/') || url.startsWith('/public/') || url.startsWith('/credentials/') || url.startsWith('/presentations/') || url.endsWith('.json')) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

/** Translates any thrown value into a status and a wire body. */
export function toHttpError(err: unknown, requestId: string): { status: number; body: ErrorBody; unexpected: boolean } {
  if (err instanceof AppError) {
    return { status: STATUS_BY_KIND[err.kind], body: { error: err.code, error_description: err.message, ...(err.details ?? {}) }, unexpected: false };
  }
  const fe = err as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (fe?.validation) {
    return { status: 400, body: { error: 'invalid_request', error_description: describeValidation(fe) }, unexpected: false };
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'invalid_json', error_description: 'The request body is not valid JSON.' }, unexpected: false };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, body: { error: 'payload_too_large', error_description: 'The request body is larger than this endpoint accepts.' }, unexpected: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 415, body: { error: 'unsupported_media_type', error_description: 'This endpoint does not accept that Content-Type.' }, unexpected: false };
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return { status: 403, body: { error: 'csrf_invalid', error_description: 'The form expired or was not sent from this site. Reload the page and try again.' }, unexpected: false };
  }
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status === 429) {
    return { status, body: { error: 'rate_limited', error_description: 'Too many requests. Wait a little and try again.' }, unexpected: false };
  }
  if (status >= 400 && status < 500) {
    return { status, body: { error: 'invalid_request', error_description: safeMessage(fe?.message) }, unexpected: false };
  }
  return {
    status: 500,
    body: { error: 'internal_error', error_description: `Something went wrong on our side. If it keeps happening, contact support and quote reference ${requestId}.` },
    unexpected: true,
  };
}

function describeValidation(fe: FastifyError & { validation?: unknown[]; validationContext?: string }): string {
  const first = (fe.validation as Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>)[0];
  if (!first) return 'The request is not valid.';
  const where = fe.validationContext ?? 'request';
  const field = first.params?.missingProperty ? `${first.instancePath ?? ''}/${String(first.params.missingProperty)}` : (first.instancePath ?? '');
  const name = field.replace(/^\//, '').replace(/\//g, '.') || where;
  if (first.params?.missingProperty) return `The ${where} is missing the required field "${name}".`;
  if (first.params?.additionalProperty) return `The ${where} has an unknown field "${String(first.params.additionalProperty)}".`;
  return `The ${where} field "${name}" ${first.message ?? 'is not valid'}.`;
}

function safeMessage(m: string | undefined): string {
  if (!m) return 'The request is not valid.';
  // Fastify's own 4xx messages are safe; cap their length.
  return m.length > 300 ? m.slice(0, 300) + '…' : m;
}

export function registerErrorHandling(app: FastifyInstance, renderHtml?: HtmlErrorRenderer): void {
  app.setErrorHandler((err, req, reply) => {
    const { status, body, unexpected } = toHttpError(err, req.id);
    if (unexpected) req.log.error({ err }, 'unhandled error');
    else if (err instanceof StorageUnavailableError) req.log.error({ code: body.error, detail: err.detail }, 'storage unavailable');
    else if (err instanceof SqlValueError) req.log.warn({ code: body.error, detail: err.detail }, 'the database refused a value from the request');
    else if (status >= 500) req.log.warn({ code: body.error }, body.error_description);
    if (status === 429 && body.retry_after === undefined) {
      const ra = reply.getHeader('retry-after');
      if (ra !== undefined) body.retry_after = Number(ra);
    }
    if (status === 503 && typeof body.retry_after === 'number') reply.header('retry-after', String(body.retry_after));
    if (req.url.startsWith('/public/')) {
      // RFC 6749 §5.2: a client that failed to authenticate is challenged with the scheme
      // clients use there (Basic); RFC 6750 §3: bearer-token failures name the error and,
      // for a missing scope, the scope needed.
      if (status === 401) reply.header('www-authenticate', body.error === 'invalid_client' ? 'Basic realm="OpenLocker", charset="UTF-8"' : `Bearer error="${body.error}"`);
      else if (status === 403 && body.error === 'insufficient_scope') reply.header('www-authenticate', `Bearer error="insufficient_scope"${typeof body.scope === 'string' ? `, scope="${body.scope.replace(/["\\]/g, '')}"` : ''}`);
    }
    reply.code(status);
    if (renderHtml && wantsHtml(req)) return renderHtml(req, reply, status, body);
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    const body: ErrorBody = { error: 'not_found', error_description: `There is nothing at ${req.method} ${req.url.split('?')[0]}.` };
    reply.code(404);
    if (renderHtml && wantsHtml(req)) return renderHtml(req, reply, 404, body);
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
