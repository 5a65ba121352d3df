/**
 * Logger options, set once. Secrets never reach a log line: headers that carry credentials,
 * body fields holding OTPs, PINs, tokens and Aadhaar numbers, and URL parts that are bearer
 * secrets themselves (share-link tokens, OAuth codes) are redacted here.
 */
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config/index.ts';

const SECRET_FIELDS = [
  'pin', 'new_pin', 'old_pin', 'otp', 'dl_otp', 'token', 'access_token', 'refresh_token', 'id_token',
  'client_secret', 'code', 'code_verifier', 'device_code', 'password', 'aadhaar', 'uid', 'hmac_key',
  'access_code', 'secret', 'authorization', 'cookie', 'session',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-digilocker-hmac"]',
  'req.headers["x-admin-token"]',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

/** URL query parameters whose values are secrets. */
const SECRET_PARAMS = new Set(['code', 'token', 'access_token', 'refresh_token', 'otp', 'pin', 'code_verifier', 'client_secret', 'state', 'dl_otp', 'access_code']);

/** Removes bearer secrets from a request URL before it is logged. */
export function redactRequestUrl(url: string): string {
  const q = url.indexOf('?');
  let pathPart = q === -1 ? url : url.slice(0, q);
  // Share links carry their secret in the path: /s/{token}[/file]
  pathPart = pathPart.replace(/^\/s\/[^/]+/, '/s/[redacted]');
  if (q === -1) return pathPart;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SECRET_PARAMS.has(key.toLowerCase())) params.set(key, '[redacted]');
  return `${pathPart}?${params.toString()}`;
}

export function loggerOptions(config: Pick<Config, 'logLevel' | 'nodeEnv'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req(req) {
        return {
          method: req.method,
          url: redactRequestUrl(req.url),
          host: req.headers?.host,
          remoteAddress: req.ip,
          userAgent: req.headers?.['user-agent'],
        };
      },
      res(res) {
        return { statusCode: res.statusCode };
      },
    },
  };
}
