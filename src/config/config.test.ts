import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/ol-config-test' };

describe('loadConfig', () => {
  it('has working defaults', () => {
    const { config } = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.databaseUrl).toEqual({ kind: 'sqlite', file: '/tmp/ol-config-test/openlocker.db', display: 'sqlite:/tmp/ol-config-test/openlocker.db', synchronous: 'normal' });
    expect(config.blobUrl).toMatchObject({ kind: 'file', root: '/tmp/ol-config-test/blobs' });
    expect(config.otpTtlSeconds).toBe(600);
    expect(config.sessionIdleSeconds).toBe(900);
    expect(config.uploadMaxBytes).toBe(10 * 1024 * 1024);
    expect(config.quotaBytes).toBe(1024 ** 3);
    expect(config.secureCookies).toBe(false);
  });

  it('reports every bad value together, each with the setting name', () => {
    let err: unknown;
    try {
      loadConfig({ ...base, PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', BLOB_URL: 'ftp://x', MASTER_KEY: 'short', OTP_TTL_SECONDS: '5' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/PORT must be a whole number, got "abc"/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL must be one of/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL must start with postgres/);
    expect(problems.join('\n')).toMatch(/BLOB_URL must start with file: or s3:/);
    expect(problems.join('\n')).toMatch(/MASTER_KEY must be 32 random bytes/);
    expect(problems.join('\n')).toMatch(/OTP_TTL_SECONDS must be between 60 and 3600/);
    expect((err as Error).message).toMatch(/^OpenLocker cannot start: 6 settings are wrong/);
  });

  it('rejects ports out of range', () => {
    expect(() => loadConfig({ ...base, PORT: '70000' })).toThrow(/PORT must be between 0 and 65535/);
  });

  it('parses PostgreSQL and S3 URLs, hiding secrets in displays', () => {
    const { config } = loadConfig({
      ...base,
      DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/locker',
      BLOB_URL: 's3://locker-blobs/prod?endpoint=http://minio:9000&region=ap-south-1&access_key_id=AK&secret_access_key=SK',
    });
    expect(config.databaseUrl.kind).toBe('postgres');
    expect(config.databaseUrl.display).not.toContain('s3cret');
    expect(config.blobUrl).toMatchObject({ kind: 's3', bucket: 'locker-blobs', prefix: 'prod/', endpoint: 'http://minio:9000', region: 'ap-south-1', forcePathStyle: true, accessKeyId: 'AK', secretAccessKey: 'SK' });
    expect(config.blobUrl.display).not.toContain('SK');
  });

  it('accepts a master key as hex or base64', () => {
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ ...base, MASTER_KEY: hex }).config.masterKey?.toString('hex')).toBe(hex);
    const b64 = Buffer.alloc(32, 9).toString('base64');
    expect(loadConfig({ ...base, MASTER_KEY: b64 }).config.masterKey?.equals(Buffer.alloc(32, 9))).toBe(true);
  });

  it('needs TLS_CERT and TLS_KEY together, and readable', () => {
    expect(() => loadConfig({ ...base, TLS_CERT: '/nope.pem' })).toThrow(/TLS_CERT and TLS_KEY must be set together/);
    expect(() => loadConfig({ ...base, TLS_CERT: '/nope.pem', TLS_KEY: '/nope.key' })).toThrow(/cannot be read: ENOENT/);
  });

  it('refuses insecure defaults in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: '/tmp/x' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production', DATA_DIR: '/tmp/x', SANDBOX: 'true' });
    } catch (e) {
      const text = (e as ConfigError).problems.join('\n');
      expect(text).toMatch(/SMS_PROVIDER=console is not allowed in production/);
      expect(text).toMatch(/SANDBOX=true is not allowed in production/);
      expect(text).toMatch(/PUBLIC_URL must be set in production/);
    }
    const ok = loadConfig({ NODE_ENV: 'production', DATA_DIR: '/tmp/x', SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example/send', PUBLIC_URL: 'https://locker.example.in' });
    expect(ok.config.secureCookies).toBe(true);
    // A guessable admin token is refused in production, warned about elsewhere.
    const prodOk = { NODE_ENV: 'production', DATA_DIR: '/tmp/x', SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example/send', PUBLIC_URL: 'https://locker.example.in' };
    expect(() => loadConfig({ ...prodOk, ADMIN_TOKEN: 'abc' })).toThrow(/ADMIN_TOKEN is only 3 characters/);
    expect(loadConfig({ ...prodOk, ADMIN_TOKEN: 'x'.repeat(24) }).config.adminToken).toBe('x'.repeat(24));
    expect(loadConfig({ NODE_ENV: 'development', DATA_DIR: '/tmp/x', ADMIN_TOKEN: 'abc' }).warnings.join('\n')).toMatch(/ADMIN_TOKEN is only 3 characters/);
    expect(ok.config.sandbox).toBe(false);
  });

  it('warns loudly about development defaults', () => {
    const { warnings } = loadConfig({ NODE_ENV: 'development', DATA_DIR: '/tmp/x' });
    expect(warnings.join('\n')).toMatch(/SMS_PROVIDER=console/);
    expect(warnings.join('\n')).toMatch(/MASTER_KEY is unset/);
  });
});
