import type { Logger } from '@mirrorwatch/logger';
import { Cluster, Redis as SingleRedis } from 'ioredis';
import { parseRedisUrl } from './url.js';

/**
 * A client from `createRedisClient`: one Redis server, or a Redis Cluster. Both speak the same
 * commands; what differs is that in a Cluster every command's keys must share a hash slot, and a
 * pipeline is sent with `pipelined()`, which splits it by node.
 */
export type Redis = SingleRedis | Cluster;
export type { Cluster } from 'ioredis';

export function isCluster(client: Redis): client is Cluster {
  return client.isCluster;
}

export interface RedisClientOptions {
  /** `redis://`, `rediss://`, or `redis+cluster://host:port,host:port` (see `parseRedisUrl`). */
  url: string;
  /** Prefix every key is written under; lets deployments and tests share one server safely. */
  keyPrefix: string;
  logger: Logger;
}

const backoff = (attempt: number) => Math.min(100 * 2 ** attempt, 3000);

/**
 * A client that reconnects with capped backoff and fails commands fast while Redis is away
 * (callers retry with their own policy rather than queueing without bound). A single server
 * gives up on a command after two reconnect attempts; a Cluster refuses commands at once while
 * it is not ready (no offline queue), and follows MOVED/ASK redirections on its own.
 */
export function createRedisClient({ url, keyPrefix, logger }: RedisClientOptions): Redis {
  const log = logger.child({ component: 'redis' });
  const target = parseRedisUrl(url);
  const common = { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 3000 } as const;
  const client: Redis =
    target.kind === 'single'
      ? new SingleRedis(target.url, { ...common, keyPrefix, retryStrategy: backoff })
      : new Cluster(target.nodes, {
          // Applied once, by the cluster client, before a key's slot is computed.
          keyPrefix,
          lazyConnect: true,
          enableOfflineQueue: false,
          clusterRetryStrategy: backoff,
          redisOptions: {
            ...common,
            ...(target.username === undefined ? {} : { username: target.username }),
            ...(target.password === undefined ? {} : { password: target.password }),
            ...(target.tls ? { tls: {} } : {}),
          },
        });
  let lastError = '';
  const onError = (error: Error) => {
    // ioredis repeats the same error on every reconnect attempt; log it once per change.
    if (error.message !== lastError) log.warn({ err: error }, 'redis connection error');
    lastError = error.message;
  };
  client.on('error', onError);
  // A Cluster reports trouble with one of its nodes separately.
  if (isCluster(client)) client.on('node error', onError);
  client.on('ready', () => {
    lastError = '';
    log.debug('redis ready');
  });
  return client;
}

/** Resolves when Redis answers PING within `timeoutMs`; for readiness probes. */
export async function pingRedis(client: Redis, timeoutMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes politely (QUIT), falling back to a hard disconnect when the server is unreachable. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
