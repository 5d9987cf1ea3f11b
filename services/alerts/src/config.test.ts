import { describe, expect, it } from 'vitest';
import { loadAlertsConfig } from './config.js';

const base = { KAFKA_BROKERS: '127.0.0.1:9092', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('alerts configuration', () => {
  it('accepts the dev token only in development', () => {
    const development = loadAlertsConfig({ ...base, MIRRORWATCH_MODE: 'development' });
    expect(development.tokens).toContainEqual({ name: 'dev', role: 'admin', secret: 'dev-token' });
    expect(development.PORT).toBe(8082);
    const production = loadAlertsConfig({ ...base, ALERTS_TOKENS: 'ana:admin:long-enough-secret' });
    expect(production.tokens.map((token) => token.name)).toEqual(['ana']);
    expect(() => loadAlertsConfig({ ...base, ALERTS_TOKENS: 'ana:admin:dev-token' })).toThrow(
      /ALERTS_TOKENS/,
    );
  });

  it('requires a signing secret for outbound webhooks and refuses the dev secret in production', () => {
    expect(() => loadAlertsConfig({ ...base, ALERT_WEBHOOK_URLS: 'https://platform.example/hook' })).toThrow(
      /ALERT_WEBHOOK_SECRET: is required/,
    );
    expect(() =>
      loadAlertsConfig({
        ...base,
        ALERT_WEBHOOK_URLS: 'https://platform.example/hook',
        ALERT_WEBHOOK_SECRET: 'dev-secret-dev-secret',
      }),
    ).toThrow(/ALERT_WEBHOOK_SECRET/);
    expect(() => loadAlertsConfig({ ...base, ALERT_WEBHOOK_URLS: 'ftp://nope' })).toThrow(
      /ALERT_WEBHOOK_URLS/,
    );
  });
});
