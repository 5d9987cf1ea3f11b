import { describe, expect, it } from 'vitest';
import { loadIngestConfig } from './config.js';

const base = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379' };
const strongPepper = 'p'.repeat(40);

describe('loadIngestConfig', () => {
  it('gives every platform the dev secret in development', () => {
    const config = loadIngestConfig({ ...base, MIRRORWATCH_MODE: 'development' });
    expect(config.webhookSecrets.get('telegram')).toBe('dev-secret');
    expect(config.PORT).toBe(8080);
  });

  it('reads per-platform secrets and keeps unlisted platforms unknown in production', () => {
    const config = loadIngestConfig({
      ...base,
      WEBHOOK_SECRETS: 'x=s1, telegram=s2',
      IDENTIFIER_PEPPER: strongPepper,
    });
    expect(config.webhookSecrets.get('x')).toBe('s1');
    expect(config.webhookSecrets.get('telegram')).toBe('s2');
    expect(config.webhookSecrets.has('facebook')).toBe(false);
  });

  it('refuses to start production with the dev secret, without secrets, or without a strong pepper', () => {
    expect(() =>
      loadIngestConfig({ ...base, WEBHOOK_SECRETS: 'x=dev-secret', IDENTIFIER_PEPPER: strongPepper }),
    ).toThrow(/WEBHOOK_SECRETS: contains a development credential/);
    expect(() => loadIngestConfig({ ...base, IDENTIFIER_PEPPER: strongPepper })).toThrow(
      /WEBHOOK_SECRETS: is required in production/,
    );
    expect(() => loadIngestConfig({ ...base, WEBHOOK_SECRETS: 'x=s' })).toThrow(/IDENTIFIER_PEPPER/);
  });

  it('names malformed secret lists and unknown platforms', () => {
    expect(() =>
      loadIngestConfig({ ...base, WEBHOOK_SECRETS: 'myspace=s', IDENTIFIER_PEPPER: strongPepper }),
    ).toThrow(/unknown platform "myspace"/);
    expect(() =>
      loadIngestConfig({ ...base, WEBHOOK_SECRETS: 'nonsense', IDENTIFIER_PEPPER: strongPepper }),
    ).toThrow(/platform=secret/);
  });
});
