import { describe, expect, it } from 'vitest';
import { parseRedisUrl, RedisUrlError } from './url.js';

describe('parseRedisUrl', () => {
  it('passes a single server URL through as is', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({
      kind: 'single',
      url: 'redis://127.0.0.1:6379',
    });
    expect(parseRedisUrl('rediss://:pw@cache:6380/3')).toEqual({
      kind: 'single',
      url: 'rediss://:pw@cache:6380/3',
    });
  });

  it('reads a cluster URL as seed nodes, credentials and TLS', () => {
    expect(parseRedisUrl('redis+cluster://127.0.0.1:7000,127.0.0.1:7001, [::1]:7002')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '127.0.0.1', port: 7000 },
        { host: '127.0.0.1', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      tls: false,
    });
    expect(parseRedisUrl('rediss+cluster://app:p%40ss@redis-0.redis/')).toEqual({
      kind: 'cluster',
      nodes: [{ host: 'redis-0.redis', port: 6379 }],
      username: 'app',
      password: 'p@ss',
      tls: true,
    });
    expect(parseRedisUrl('REDIS+CLUSTER://:pw@h:1')).toMatchObject({ password: 'pw', tls: false });
  });

  it('refuses other forms with the accepted ones, never echoing a password', () => {
    const refusal = (url: string) => {
      try {
        parseRedisUrl(url);
      } catch (error) {
        expect(error).toBeInstanceOf(RedisUrlError);
        return (error as Error).message;
      }
      throw new Error(`${url} was accepted`);
    };
    expect(refusal('http://h')).toMatch(/^expected a redis:\/\/ or rediss:\/\/ URL, or redis\+cluster:\/\//);
    expect(refusal('h:6379')).toMatch(/^expected/);
    expect(refusal('redis://:hunter2@[bad')).toMatch(/^not a valid URL/);
    expect(refusal('redis+cluster://:hunter2@h:7000/1')).toMatch(/no path/);
    expect(refusal('redis+cluster://:hunter2@h:7000?x=1')).toMatch(/no path or query/);
    expect(refusal('redis+cluster://:hunter2@h:70000')).toBe('"h:70000" in a cluster URL is not host:port');
    expect(refusal('redis+cluster://:hunter2@h:1,,h:2')).toBe('"" in a cluster URL is not host:port');
    for (const url of [
      'redis://:hunter2@[bad',
      'redis+cluster://:hunter2@h:7000/1',
      'redis+cluster://:hunter2@h:x',
    ])
      expect(refusal(url)).not.toContain('hunter2');
  });
});
