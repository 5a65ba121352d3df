/**
 * Every setting OpenLocker reads, in one place. Each entry names its environment variable,
 * its default, how it is parsed and what it is for; `loadConfig` applies them all at once
 * and reports every bad value together. Nothing outside `src/config/` reads `process.env`.
 */
import path from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';

/** Parsers return the value or throw a plain Error whose message is shown to the operator. */
export interface SettingSpec<T> {
  env: string;
  doc: string;
  /** The default as shown in documentation (the real default may depend on other settings). */
  defaultDoc?: string;
  secret?: boolean;
  parse: (raw: string | undefined, ctx: ParseContext) => T;
}

export interface ParseContext {
  dataDir: string;
  nodeEnv: NodeEnv;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function int(min: number, max: number, fallback: number) {
  return (raw: string | undefined): number => {
    if (raw === undefined || raw.trim() === '') return fallback;
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

export function oneOf<T extends string>(values: readonly T[], fallback: T) {
  return (raw: string | undefined): T => {
    if (raw === undefined || raw.trim() === '') return fallback;
    const v = raw.trim() as T;
    if (!values.includes(v)) throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`);
    return v;
  };
}

export function optionalString(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

export function optionalUrl(protocols: string[]) {
  return (raw: string | undefined): string | undefined => {
    const v = optionalString(raw);
    if (v === undefined) return undefined;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new Error(`must be a URL, got "${v}"`);
    }
    if (!protocols.includes(u.protocol)) {
      throw new Error(`must start with ${protocols.map((p) => p + '//').join(' or ')}, got "${u.protocol}"`);
    }
    return v;
  };
}

function bool(fallback: boolean) {
  return (raw: string | undefined): boolean => {
    const v = optionalString(raw)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    throw new Error(`must be true or false, got "${raw}"`);
  };
}

/** Parses `MASTER_KEY`: 32 bytes as base64 (44 chars) or hex (64 chars). */
export function parseMasterKey(raw: string | undefined): Buffer | undefined {
  const v = optionalString(raw);
  if (v === undefined) return undefined;
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(v)) key = Buffer.from(v, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) key = Buffer.from(v, v.includes('-') || v.includes('_') ? 'base64url' : 'base64');
  if (!key || key.length !== 32) {
    throw new Error('must be 32 random bytes as 64 hex digits or base64 (generate one with `openssl rand -base64 32`)');
  }
  return key;
}

export type DatabaseUrl =
  | { kind: 'sqlite'; file: string; display: string; synchronous?: 'normal' | 'full' }
  | { kind: 'postgres'; url: string; display: string };

export function parseDatabaseUrl(raw: string | undefined, ctx: ParseContext): DatabaseUrl {
  const v = optionalString(raw);
  if (v === undefined) {
    const file = path.join(ctx.dataDir, 'openlocker.db');
    return { kind: 'sqlite', file, display: `sqlite:${file}` };
  }
  if (v.startsWith('postgres://') || v.startsWith('postgresql://')) {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new Error(`is not a valid PostgreSQL URL: "${redactUrl(v)}"`);
    }
    if (!u.hostname && !u.searchParams.get('host')) throw new Error('needs a host, e.g. postgres://127.0.0.1:5432/openlocker');
    return { kind: 'postgres', url: v, display: redactUrl(v) };
  }
  const m = /^(?:sqlite|file):(.*)$/.exec(v);
  if (m) {
    const rest = m[1]!.replace(/^\/\/(?=\/)/, '');
    if (rest === '') throw new Error('sqlite: needs a file path, e.g. sqlite:./data/openlocker.db');
    const file = rest === ':memory:' ? ':memory:' : path.resolve(rest);
    return { kind: 'sqlite', file, display: `sqlite:${file}` };
  }
  throw new Error(`must start with postgres://, postgresql:// or sqlite:, got "${redactUrl(v)}"`);
}

export type BlobUrl =
  | { kind: 'file'; root: string; display: string }
  | {
      kind: 's3';
      bucket: string;
      prefix: string;
      endpoint: string | undefined;
      region: string;
      forcePathStyle: boolean;
      accessKeyId: string | undefined;
      secretAccessKey: string | undefined;
      display: string;
    };

export function parseBlobUrl(raw: string | undefined, ctx: ParseContext): BlobUrl {
  const v = optionalString(raw);
  if (v === undefined) {
    const root = path.join(ctx.dataDir, 'blobs');
    return { kind: 'file', root, display: `file:${root}` };
  }
  if (v.startsWith('file:')) {
    const rest = v.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === '') throw new Error('file: needs a directory, e.g. file:./data/blobs');
    const root = path.resolve(rest);
    return { kind: 'file', root, display: `file:${root}` };
  }
  if (v.startsWith('s3://')) {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new Error(`is not a valid s3:// URL: "${redactUrl(v)}"`);
    }
    const bucket = u.hostname;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new Error(`needs a valid bucket name after s3://, got "${bucket}"`);
    }
    const endpoint = u.searchParams.get('endpoint') ?? undefined;
    if (endpoint !== undefined) {
      try {
        const e = new URL(endpoint);
        if (e.protocol !== 'http:' && e.protocol !== 'https:') throw new Error();
      } catch {
        throw new Error(`endpoint must be an http(s) URL, got "${endpoint}"`);
      }
    }
    const prefix = (u.pathname.replace(/^\/+/, '') + (u.pathname.length > 1 && !u.pathname.endsWith('/') ? '/' : ''));
    return {
      kind: 's3',
      bucket,
      prefix,
      endpoint,
      region: u.searchParams.get('region') ?? 'us-east-1',
      forcePathStyle: (u.searchParams.get('force_path_style') ?? (endpoint ? 'true' : 'false')) === 'true',
      accessKeyId: u.searchParams.get('access_key_id') ?? (u.username ? decodeURIComponent(u.username) : undefined),
      secretAccessKey: u.searchParams.get('secret_access_key') ?? (u.password ? decodeURIComponent(u.password) : undefined),
      display: redactUrl(v),
    };
  }
  throw new Error(`must start with file: or s3://, got "${redactUrl(v)}"`);
}

/** Hides passwords and secret query parameters in URLs shown in logs and messages. */
export function redactUrl(v: string): string {
  try {
    const u = new URL(v);
    if (u.password) u.password = '***';
    for (const k of ['secret_access_key', 'password', 'token']) if (u.searchParams.has(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return v.replace(/\/\/([^:/@]+):[^@/]+@/, '//$1:***@');
  }
}

export const SETTINGS = {
  nodeEnv: { env: 'NODE_ENV', doc: 'development, production or test. Production turns off dev outboxes and the sandbox, and refuses insecure defaults.', defaultDoc: 'development', parse: oneOf(['development', 'production', 'test'] as const, 'development') },
  port: { env: 'PORT', doc: 'TCP port to listen on.', defaultDoc: '3000', parse: int(0, 65535, 3000) },
  host: { env: 'HOST', doc: 'Interface to bind.', defaultDoc: '0.0.0.0', parse: (raw: string | undefined) => optionalString(raw) ?? '0.0.0.0' },
  publicUrl: { env: 'PUBLIC_URL', doc: 'The URL citizens use to reach the locker (links in SMS/email, OAuth issuer, cookie `Secure` flag).', defaultDoc: 'http://localhost:PORT', parse: optionalUrl(['http:', 'https:']) },
  dataDir: { env: 'DATA_DIR', doc: 'Directory for the SQLite file, blobs and generated keys.', defaultDoc: './data', parse: (raw: string | undefined) => path.resolve(optionalString(raw) ?? './data') },
  databaseUrl: { env: 'DATABASE_URL', doc: '`sqlite:FILE` or `postgres://user@host:5432/db` (add `?schema=NAME` to keep the tables in one schema).', defaultDoc: 'sqlite:DATA_DIR/openlocker.db', secret: true, parse: parseDatabaseUrl },
  sqliteSynchronous: { env: 'SQLITE_SYNCHRONOUS', doc: 'SQLite durability: `normal` (WAL; a commit survives a crash of the process, the last commits may be lost on power failure) or `full` (fsync on every commit; survives power failure, slower, and each commit stalls the server briefly).', defaultDoc: 'normal', parse: oneOf(['normal', 'full'] as const, 'normal') },
  blobUrl: { env: 'BLOB_URL', doc: '`file:DIR` or `s3://bucket/prefix?endpoint=http://host:port&region=…` (credentials from `access_key_id`/`secret_access_key` parameters or the AWS environment).', defaultDoc: 'file:DATA_DIR/blobs', secret: true, parse: parseBlobUrl },
  masterKey: { env: 'MASTER_KEY', doc: '32-byte key (base64 or hex) that wraps every data key. If unset, generated once into DATA_DIR/master.key (mode 0600).', defaultDoc: '(key file)', secret: true, parse: parseMasterKey },
  redisUrl: { env: 'REDIS_URL', doc: 'Redis for sessions, rate limits and OTP counters shared by many instances. Unset: the SQL store keeps them.', defaultDoc: '(unset)', secret: true, parse: optionalUrl(['redis:', 'rediss:']) },
  logLevel: { env: 'LOG_LEVEL', doc: 'fatal, error, warn, info, debug, trace or silent.', defaultDoc: 'info', parse: oneOf(LOG_LEVELS, 'info') },
  tlsCert: { env: 'TLS_CERT', doc: 'PEM certificate chain file; with TLS_KEY the locker serves HTTPS itself (TLS 1.2+, HSTS).', defaultDoc: '(unset)', parse: optionalString },
  tlsKey: { env: 'TLS_KEY', doc: 'PEM private key file for TLS_CERT.', defaultDoc: '(unset)', parse: optionalString },
  sandbox: { env: 'SANDBOX', doc: 'Start the sandbox issuers beside the locker and register them (never in production).', defaultDoc: 'true outside production', parse: (raw: string | undefined, ctx: ParseContext) => bool(ctx.nodeEnv !== 'production')(raw) },
  sandboxPort: { env: 'SANDBOX_PORT', doc: 'Port of the sandbox issuers app (0 picks a free port).', defaultDoc: '3001', parse: int(0, 65535, 3001) },
  issuerTimeoutMs: { env: 'ISSUER_TIMEOUT_MS', doc: 'How long one call to an issuer (Pull URI / Pull Doc) may take before it is abandoned; an issuer may set its own.', defaultDoc: '10000', parse: int(100, 120_000, 10_000) },
  issuerRetries: { env: 'ISSUER_RETRIES', doc: 'Extra attempts after an issuer times out, refuses the connection or answers 5xx (exponential back-off with jitter).', defaultDoc: '2', parse: int(0, 5, 2) },
  issuerBreakerFailures: { env: 'ISSUER_BREAKER_FAILURES', doc: 'Consecutive failed attempts after which the locker stops calling an issuer for a while (circuit breaker, per issuer and instance).', defaultDoc: '5', parse: int(1, 100, 5) },
  issuerBreakerCooldownSeconds: { env: 'ISSUER_BREAKER_COOLDOWN_SECONDS', doc: 'How long an issuer is left alone after its circuit opens, before one trial call.', defaultDoc: '30', parse: int(1, 3600, 30) },
  uidaiEkycUrl: { env: 'UIDAI_EKYC_URL', doc: 'Base URL of the UIDAI eKYC API used to link Aadhaar (`…/uidai/ekyc`; requests are signed with the key registered for issuer `in.gov.uidai`). Unset: the sandbox UIDAI when it runs beside the locker, else Aadhaar linking is unavailable.', defaultDoc: '(sandbox)', parse: optionalUrl(['http:', 'https:']) },
  issuedRetrySeconds: { env: 'ISSUED_RETRY_SECONDS', doc: 'How often each instance retries pulls an issuer answered "pending" (0 turns the in-process sweeper off).', defaultDoc: '30 (0 when NODE_ENV=test)', parse: (raw: string | undefined, ctx: ParseContext) => int(0, 86_400, ctx.nodeEnv === 'test' ? 0 : 30)(raw) },
  adminToken: { env: 'ADMIN_TOKEN', doc: 'Bearer token for the admin API. If unset, `openlocker admin token` prints one kept in DATA_DIR.', defaultDoc: '(key file)', secret: true, parse: optionalString },
  otpTtlSeconds: { env: 'OTP_TTL_SECONDS', doc: 'How long an SMS OTP stays valid.', defaultDoc: '600', parse: int(60, 3600, 600) },
  sessionIdleSeconds: { env: 'SESSION_IDLE_SECONDS', doc: 'Timed logout after this much inactivity.', defaultDoc: '900', parse: int(60, 86_400, 900) },
  sessionMaxSeconds: { env: 'SESSION_MAX_SECONDS', doc: 'Absolute session lifetime.', defaultDoc: '43200', parse: int(300, 7 * 86_400, 43_200) },
  otpResendSeconds: { env: 'OTP_RESEND_SECONDS', doc: 'Cooldown before a new OTP can be sent to the same number (the new code cancels the old one).', defaultDoc: '30', parse: int(10, 600, 30) },
  otpMaxPerMobileHour: { env: 'OTP_MAX_PER_MOBILE_HOUR', doc: 'OTPs one mobile number may receive per hour (all purposes together).', defaultDoc: '6', parse: int(1, 1000, 6) },
  otpMaxPerIpHour: { env: 'OTP_MAX_PER_IP_HOUR', doc: 'OTPs one client IP may request per hour. Mobile carriers put many citizens behind one IP (CGNAT): keep this generous.', defaultDoc: '60', parse: int(1, 1_000_000, 60) },
  authMaxPerIpHour: { env: 'AUTH_MAX_PER_IP_HOUR', doc: 'Sign-up, sign-in and PIN-reset attempts (OTP and PIN checks) one client IP may make per hour.', defaultDoc: '300', parse: int(1, 1_000_000, 300) },
  pinMaxFailures: { env: 'PIN_MAX_FAILURES', doc: 'Wrong PINs in a row that lock an account.', defaultDoc: '5', parse: int(3, 10, 5) },
  pinLockoutMinutes: { env: 'PIN_LOCKOUT_MINUTES', doc: 'First lockout after too many wrong PINs; each further lockout doubles it (up to 24 hours).', defaultDoc: '15', parse: int(1, 1440, 15) },
  pinHashMemoryKib: { env: 'PIN_HASH_MEMORY_KIB', doc: 'argon2id memory cost for security PINs, in KiB (production refuses less than the OWASP minimum, 19456).', defaultDoc: '19456', parse: int(1024, 4 * 1024 * 1024, 19_456) },
  pinHashIterations: { env: 'PIN_HASH_ITERATIONS', doc: 'argon2id time cost (passes) for security PINs (production refuses less than 2).', defaultDoc: '2', parse: int(1, 20, 2) },
  pinHashConcurrency: { env: 'PIN_HASH_CONCURRENCY', doc: 'PIN hashes computed at once, off the event loop (more wait in a queue). Default: half the CPU cores, at least 1.', defaultDoc: 'cores / 2', parse: int(0, 64, 0) },
  smsProvider: { env: 'SMS_PROVIDER', doc: '`console` (log + dev outbox) or `http` (POST JSON to SMS_HTTP_URL).', defaultDoc: 'console', parse: oneOf(['console', 'http'] as const, 'console') },
  smsHttpUrl: { env: 'SMS_HTTP_URL', doc: 'SMS gateway endpoint for SMS_PROVIDER=http.', defaultDoc: '(unset)', parse: optionalUrl(['http:', 'https:']) },
  smsHttpToken: { env: 'SMS_HTTP_TOKEN', doc: 'Bearer token sent to SMS_HTTP_URL.', defaultDoc: '(unset)', secret: true, parse: optionalString },
  smsHttpTimeoutMs: { env: 'SMS_HTTP_TIMEOUT_MS', doc: 'How long one POST to SMS_HTTP_URL may take before it is abandoned and retried.', defaultDoc: '5000', parse: int(100, 60_000, 5000) },
  smsHttpRetries: { env: 'SMS_HTTP_RETRIES', doc: 'Retries after a failed POST to SMS_HTTP_URL (network error, timeout, 429 or 5xx), with a growing pause.', defaultDoc: '2', parse: int(0, 5, 2) },
  smtpUrl: { env: 'SMTP_URL', doc: 'SMTP server for email (`smtp://user:pass@host:587`, `smtps://…`). Unset: dev outbox.', defaultDoc: '(unset)', secret: true, parse: optionalUrl(['smtp:', 'smtps:']) },
  smtpTimeoutSeconds: { env: 'SMTP_TIMEOUT_SECONDS', doc: 'How long to wait for the SMTP server to connect, greet, and answer each command before an email fails with `email_timeout`.', defaultDoc: '20', parse: int(1, 600, 20) },
  mailFrom: { env: 'MAIL_FROM', doc: 'Sender address of emails.', defaultDoc: 'OpenLocker <no-reply@localhost>', parse: (raw: string | undefined) => optionalString(raw) ?? 'OpenLocker <no-reply@localhost>' },
  uploadMaxBytes: { env: 'UPLOAD_MAX_BYTES', doc: 'Largest uploaded file.', defaultDoc: '10485760', parse: int(1024, 1024 ** 3, 10 * 1024 * 1024) },
  quotaBytes: { env: 'QUOTA_BYTES', doc: 'Storage quota per citizen.', defaultDoc: '1073741824', parse: int(1024, 1024 ** 4, 1024 ** 3) },
  shareDefaultDays: { env: 'SHARE_DEFAULT_DAYS', doc: 'How long a share link works unless the citizen chooses otherwise (days).', defaultDoc: '7', parse: int(1, 365, 7) },
  shareMaxDays: { env: 'SHARE_MAX_DAYS', doc: 'The longest a citizen may make a share link last (days).', defaultDoc: '90', parse: int(1, 3650, 90) },
  shareLinkPerMinute: { env: 'SHARE_LINK_PER_MINUTE', doc: 'Share-link opens (`/s/{token}` and its file) per minute from one client IP, counted by each server process. Tokens are 256-bit, so this guards capacity, not a secret: raise it for an office that opens many links from one address.', defaultDoc: '120', parse: int(10, 10_000_000, 120) },
  shareNoticeMinutes: { env: 'SHARE_NOTICE_MINUTES', doc: 'Opens of a citizen\'s share links are reported to them in one SMS (and email) at most this often.', defaultDoc: '15', parse: int(1, 1440, 15) },
  blobGcIntervalSeconds: { env: 'BLOB_GC_INTERVAL_SECONDS', doc: 'How often `openlocker serve` sweeps unreferenced blobs and abandoned temporary writes (0 turns the in-process sweep off; `openlocker blobs gc` still works).', defaultDoc: '3600 (0 when NODE_ENV=test)', parse: (raw: string | undefined, ctx: ParseContext) => int(0, 7 * 86_400, ctx.nodeEnv === 'test' ? 0 : 3600)(raw) },
  blobGcGraceSeconds: { env: 'BLOB_GC_GRACE_SECONDS', doc: 'A blob is deleted only after no reference has pointed at it for this long (protects uploads that are about to reference content that was just released).', defaultDoc: '86400', parse: int(60, 90 * 86_400, 86_400) },
  supportEmail: { env: 'SUPPORT_EMAIL', doc: 'Support contact shown on every page.', defaultDoc: 'support@localhost', parse: (raw: string | undefined) => optionalString(raw) ?? 'support@localhost' },
  rateLimitPerMinute: { env: 'RATE_LIMIT_PER_MINUTE', doc: 'Requests per minute one client IP may make to any route (stricter limits apply to sign-in, OTP and token routes).', defaultDoc: '600', parse: int(10, 10_000_000, 600) },
  issuedFilePerHour: { env: 'ISSUED_FILE_PER_HOUR', doc: 'Issued documents one citizen may open per hour (each is fetched live from its issuer, so this also shields issuers from a runaway app).', defaultDoc: '600', parse: int(10, 10_000_000, 600) },
  partnerApiPerMinute: { env: 'PARTNER_API_PER_MINUTE', doc: 'Requests per minute one client IP may make to the partner APIs that carry an access token (`1/user`, `2/files/issued`, `1/file/{uri}`…). A partner’s backend is one IP serving many citizens: raise it for busy partners.', defaultDoc: '600', parse: int(10, 10_000_000, 600) },
  trustProxy: { env: 'TRUST_PROXY', doc: 'Trust X-Forwarded-For from a reverse proxy (client IPs for rate limits and the activity log).', defaultDoc: 'false', parse: bool(false) },
} satisfies Record<string, SettingSpec<unknown>>;

export type SettingKey = keyof typeof SETTINGS;
