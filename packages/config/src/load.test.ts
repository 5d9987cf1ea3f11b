import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commonEnv, refuseDevCredentials } from './fragments.js';
import { ConfigError, loadConfig } from './load.js';

const schema = z
  .object({ ...commonEnv, SECRET: z.string() })
  .superRefine((env, ctx) =>
    refuseDevCredentials(
      env.MIRRORWATCH_MODE,
      [{ name: 'SECRET', value: env.SECRET, devValue: 'dev-secret' }],
      ctx,
    ),
  );

const base = { KAFKA_BROKERS: 'a:9092, b:9092', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('loadConfig', () => {
  it('parses and applies defaults', () => {
    const config = loadConfig(schema, { ...base, SECRET: 's' });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9092']);
    expect(config.MIRRORWATCH_MODE).toBe('production');
    expect(config.REDIS_KEY_PREFIX).toBe('mw:');
  });

  it('names every bad variable', () => {
    try {
      loadConfig(schema, { REDIS_URL: 'http://nope', SECRET: 's' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('KAFKA_BROKERS');
      expect(message).toContain('REDIS_URL');
    }
  });

  it('refuses development credentials in production but accepts them in development', () => {
    expect(() => loadConfig(schema, { ...base, SECRET: 'x=dev-secret' })).toThrow(
      /SECRET: contains a development/,
    );
    expect(
      loadConfig(schema, { ...base, SECRET: 'dev-secret', MIRRORWATCH_MODE: 'development' }).SECRET,
    ).toBe('dev-secret');
  });
});
