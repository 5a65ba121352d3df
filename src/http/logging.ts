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

type LogFn = (...args: unknown[]) => void;
interface PinoLike {
  levelVal: number;
  child(bindings: Record<string, unknown>, opts?: object): PinoLike & Record<string, LogFn>;
}

const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * Fastify gives every request a child logger bound to its request id. Making a pino child
 * runs the redaction over its bindings — with the wildcard paths above that is several
 * microseconds, paid on every request although at the usual `warn` level a healthy
 * request writes nothing. This child is made only when a line at an enabled level is
 * written; its lines are exactly those of the eager child.
 */
export class RequestLogger {
  #real: (PinoLike & Record<string, LogFn>) | undefined;
  readonly #parent: PinoLike;
  readonly #bindings: Record<string, unknown>;
  readonly #opts: object | undefined;

  constructor(parent: PinoLike, bindings: Record<string, unknown>, opts?: object) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#opts = opts && Object.keys(opts).length ? opts : undefined;
  }

  #child(): PinoLike & Record<string, LogFn> {
    return (this.#real ??= this.#parent.child(this.#bindings, this.#opts));
  }

  #write(level: string, args: unknown[]): void {
    if (this.#real) return void this.#real[level]!(...args);
    if (LEVEL_VALUES[level]! < this.#parent.levelVal) return;
    this.#child()[level]!(...args);
  }

  get level(): string {
    return (this.#child() as unknown as { level: string }).level;
  }
  set level(value: string) {
    (this.#child() as unknown as { level: string }).level = value;
  }
  isLevelEnabled(level: string): boolean {
    return (LEVEL_VALUES[level] ?? Infinity) >= (this.#real ?? this.#parent).levelVal;
  }
  child(bindings: Record<string, unknown>, opts?: object): unknown {
    return this.#child().child(bindings, opts);
  }
  trace(...args: unknown[]): void { this.#write('trace', args); }
  debug(...args: unknown[]): void { this.#write('debug', args); }
  info(...args: unknown[]): void { this.#write('info', args); }
  warn(...args: unknown[]): void { this.#write('warn', args); }
  error(...args: unknown[]): void { this.#write('error', args); }
  fatal(...args: unknown[]): void { this.#write('fatal', args); }
  silent(): void {}
}

/** Fastify's `childLoggerFactory`: per-route log levels get an eager child (rare), the rest a lazy one. */
export function requestChildLogger(logger: unknown, bindings: Record<string, unknown>, opts: { level?: string }): never {
  if (opts.level) return (logger as PinoLike).child(bindings, opts) as never;
  return new RequestLogger(logger as PinoLike, bindings, opts) as never;
}
