import { createServer, type Server } from 'node:net';
import { createLogger } from '@mirrorwatch/logger';
import type { Cluster } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { closeRedis, createRedisClient, isCluster, type Redis } from './client.js';

const logger = createLogger({ name: 'test', level: 'silent' });

/** A port nothing listens on: bound, then closed again. */
async function deadPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createRedisClient', () => {
  const clients: Redis[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => closeRedis(client)));
  });

  it('gives a single-server client for redis:// and a Cluster for redis+cluster://, both under the keyPrefix', () => {
    const single = createRedisClient({ url: 'redis://127.0.0.1:6379/2', keyPrefix: 'mw:', logger });
    const cluster = createRedisClient({
      url: 'redis+cluster://app:s3cret@127.0.0.1:7000,127.0.0.1:7001',
      keyPrefix: 'mw:',
      logger,
    });
    clients.push(single, cluster);
    expect(isCluster(single)).toBe(false);
    expect(single.options).toMatchObject({
      keyPrefix: 'mw:',
      db: 2,
      lazyConnect: true,
      maxRetriesPerRequest: 2,
    });
    expect(isCluster(cluster)).toBe(true);
    expect((cluster as Cluster).options).toMatchObject({
      keyPrefix: 'mw:',
      lazyConnect: true,
      enableOfflineQueue: false,
      redisOptions: { username: 'app', password: 's3cret', connectTimeout: 3000, maxRetriesPerRequest: 2 },
    });
    expect(cluster.status).toBe('wait');
  });

  it('refuses a URL it cannot use before connecting anywhere', () => {
    expect(() => createRedisClient({ url: 'http://h:1', keyPrefix: '', logger })).toThrow(
      /expected a redis:\/\//,
    );
  });

  it('fails commands fast while a Cluster is unreachable instead of queueing them', async () => {
    const cluster = createRedisClient({
      url: `redis+cluster://127.0.0.1:${await deadPort()},127.0.0.1:${await deadPort()}`,
      keyPrefix: 'mw:',
      logger,
    });
    clients.push(cluster);
    await expect(cluster.connect()).rejects.toThrow();
    const startedAt = performance.now();
    await expect(cluster.get('k')).rejects.toThrow(/enableOfflineQueue|ready|closed/i);
    expect(performance.now() - startedAt).toBeLessThan(500);
  });
});
