/**
 * `loadConfig(env)` parses every setting once, at start, and reports every problem together
 * (a `ConfigError` listing them) so an operator fixes them in one go. It also returns
 * warnings about insecure development defaults, which `main.ts` prints loudly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS, type BlobUrl, type DatabaseUrl, type NodeEnv, type ParseContext, type SettingKey } from './schema.ts';

export type { BlobUrl, DatabaseUrl, NodeEnv } from './schema.ts';
export { SETTINGS, redactUrl } from './schema.ts';

type Parsed = { [K in SettingKey]: ReturnType<(typeof SETTINGS)[K]['parse']> };

export interface Config extends Omit<Parsed, 'publicUrl' | 'tlsCert' | 'tlsKey'> {
  /** Always set: PUBLIC_URL or http://localhost:PORT. No trailing slash. */
  publicUrl: string;
  /** True when citizens reach the locker over https (cookies get `Secure`). */
  secureCookies: boolean;
  tls: { cert: Buffer; key: Buffer } | undefined;
  databaseUrl: DatabaseUrl;
  blobUrl: BlobUrl;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`OpenLocker cannot start: ${problems.length} setting${problems.length === 1 ? ' is' : 's are'} wrong:\n` + problems.map((p) => `  - ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: Config;
  warnings: string[];
}

export function loadConfig(env: Record<string, string | undefined> = process.env): LoadedConfig {
  const problems: string[] = [];
  const values: Partial<Record<SettingKey, unknown>> = {};

  const parseOne = (key: SettingKey, ctx: ParseContext) => {
    const spec = SETTINGS[key];
    try {
      values[key] = (spec.parse as (raw: string | undefined, c: ParseContext) => unknown)(env[spec.env], ctx);
    } catch (err) {
      problems.push(`${spec.env} ${(err as Error).message}`);
    }
  };

  // NODE_ENV and DATA_DIR shape other defaults, so they are parsed first.
  const bootCtx: ParseContext = { dataDir: '', nodeEnv: 'development' };
  parseOne('nodeEnv', bootCtx);
  parseOne('dataDir', bootCtx);
  const ctx: ParseContext = {
    nodeEnv: (values.nodeEnv as NodeEnv | undefined) ?? 'development',
    dataDir: (values.dataDir as string | undefined) ?? '',
  };
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    if (key !== 'nodeEnv' && key !== 'dataDir') parseOne(key, ctx);
  }

  const v = values as Parsed;
  const warnings: string[] = [];
  const production = ctx.nodeEnv === 'production';

  let tls: Config['tls'];
  if ((v.tlsCert === undefined) !== (v.tlsKey === undefined)) {
    problems.push('TLS_CERT and TLS_KEY must be set together');
  } else if (v.tlsCert && v.tlsKey) {
    try {
      tls = { cert: fs.readFileSync(v.tlsCert), key: fs.readFileSync(v.tlsKey) };
    } catch (err) {
      problems.push(`TLS_CERT/TLS_KEY cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (v.smsProvider === 'http' && !v.smsHttpUrl) problems.push('SMS_PROVIDER=http needs SMS_HTTP_URL');

  const port = typeof v.port === 'number' ? v.port : 3000;
  const publicUrl = (v.publicUrl ?? `${tls ? 'https' : 'http'}://localhost:${port}`).replace(/\/+$/, '');
  const secureCookies = publicUrl.startsWith('https:');

  // The admin token is the operator's whole authority: long enough that guessing (20 tries
  // per IP per 15 minutes) cannot find it. `openlocker admin token` makes a 256-bit one.
  const adminToken = typeof v.adminToken === 'string' ? v.adminToken : undefined;
  if (adminToken !== undefined && adminToken.length < 24) {
    (production ? problems : warnings).push(`ADMIN_TOKEN is only ${adminToken.length} characters: use at least 24 random characters (leave it unset and \`openlocker admin token\` prints a generated one)`);
  }
  if (production) {
    if (v.smsProvider === 'console') problems.push('SMS_PROVIDER=console is not allowed in production (OTPs would only reach the log); set SMS_PROVIDER=http');
    if (v.sandbox) problems.push('SANDBOX=true is not allowed in production (sandbox issuers hand out synthetic documents)');
    if (!v.publicUrl) problems.push('PUBLIC_URL must be set in production');
    else if (!secureCookies) warnings.push(`PUBLIC_URL is ${publicUrl}: citizens' sessions travel without TLS. Use https in production.`);
    if (!v.smtpUrl) warnings.push('SMTP_URL is unset in production: emails go nowhere.');
    if (v.pinHashMemoryKib < 19_456 || v.pinHashIterations < 2) {
      problems.push('PIN_HASH_MEMORY_KIB must be at least 19456 and PIN_HASH_ITERATIONS at least 2 in production (OWASP argon2id minimum): 6-digit PINs need a slow hash');
    }
  } else {
    if (v.smsProvider === 'console') warnings.push('SMS_PROVIDER=console: OTPs are printed to the log and shown at /dev/outbox. Development only.');
    if (v.sandbox) warnings.push('SANDBOX is on: synthetic sandbox issuers and a demo citizen are available. Development only.');
  }
  if (!v.masterKey && values.masterKey === undefined && !problems.some((p) => p.startsWith('MASTER_KEY'))) {
    warnings.push('MASTER_KEY is unset: using the key file in DATA_DIR. Back it up; without it, blobs cannot be decrypted.');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const databaseUrl = v.databaseUrl?.kind === 'sqlite' ? { ...v.databaseUrl, synchronous: v.sqliteSynchronous } : v.databaseUrl;
  return {
    config: { ...v, databaseUrl, publicUrl, secureCookies, tls } as Config,
    warnings,
  };
}

/** A configuration for tests and tools: defaults plus overrides, without reading process.env. */
export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SANDBOX: 'false', ...overrides }).config;
}

/** The process environment, for the entry points only (main, CLI). */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}

/** The directories the system searches for programs (PATH), for the tools the locker runs (pdftoppm, prlimit). */
export function programSearchPath(): string[] {
  return (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
}
