import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

const prod = { NODE_ENV: 'production', DATA_DIR: '/tmp/x', SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example/send', PUBLIC_URL: 'https://locker.example.in' };

describe('accounts settings', () => {
  it('have secure defaults', () => {
    const { config } = loadConfig({ NODE_ENV: 'test' });
    expect(config).toMatchObject({ otpTtlSeconds: 600, otpResendSeconds: 30, sessionIdleSeconds: 900, sessionMaxSeconds: 43_200, pinMaxFailures: 5, pinLockoutMinutes: 15, pinHashMemoryKib: 19_456, pinHashIterations: 2 });
  });

  it('production refuses argon2id below the OWASP minimum', () => {
    expect(loadConfig(prod).config.pinHashMemoryKib).toBe(19_456);
    for (const weak of [{ PIN_HASH_MEMORY_KIB: '1024' }, { PIN_HASH_ITERATIONS: '1' }]) {
      expect(() => loadConfig({ ...prod, ...weak })).toThrow(ConfigError);
      try {
        loadConfig({ ...prod, ...weak });
      } catch (e) {
        expect((e as ConfigError).problems.join('\n')).toMatch(/PIN_HASH_MEMORY_KIB must be at least 19456/);
      }
    }
  });

  it('reports bad values by name', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', PIN_MAX_FAILURES: '1', OTP_RESEND_SECONDS: 'soon' })).toThrow(/OTP_RESEND_SECONDS must be a whole number[\s\S]*PIN_MAX_FAILURES must be between 3 and 10/);
  });
});
