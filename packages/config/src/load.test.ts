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

  it('takes a Redis Cluster as redis+cluster://host:port,host:port and says why a Redis URL is refused', () => {
    const cluster = 'redis+cluster://:pw@10.0.0.1:7000,10.0.0.2:7001';
    expect(loadConfig(schema, { ...base, REDIS_URL: cluster, SECRET: 's' }).REDIS_URL).toBe(cluster);
    expect(loadConfig(schema, { ...base, REDIS_URL: 'rediss://h:6380/2', SECRET: 's' }).REDIS_URL).toBe(
      'rediss://h:6380/2',
    );
    const refused = (REDIS_URL: string) => {
      try {
        loadConfig(schema, { ...base, REDIS_URL, SECRET: 's' });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      throw new Error(`${REDIS_URL} was accepted`);
    };
    expect(refused('http://h:6379')).toEqual([
      'REDIS_URL: expected a redis:// or rediss:// URL, or redis+cluster://host:port[,host:port…] (rediss+cluster:// for TLS) for Redis Cluster',
    ]);
    expect(refused('redis+cluster://:secret@h:7000,h:port')).toEqual([
      'REDIS_URL: "h:port" in a cluster URL is not host:port',
    ]);
    expect(refused('redis+cluster://h:7000/0')[0]).toMatch(/REDIS_URL: a cluster URL is .* with no path/);
    expect(refused('redis+cluster://')[0]).toMatch(/REDIS_URL: "" in a cluster URL is not host:port/);
    expect(refused('')[0]).toMatch(/^REDIS_URL: expected a redis:\/\//);
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
