import type { Logger } from '@mirrorwatch/logger';
import { Redis } from 'ioredis';

export type { Redis } from 'ioredis';

export interface RedisClientOptions {
  url: string;
  /** Prefix every key is written under; lets deployments and tests share one server safely. */
  keyPrefix: string;
  logger: Logger;
}

/**
 * A Redis client that reconnects with capped backoff and fails commands fast while the server is
 * away (callers retry with their own policy rather than queueing without bound).
 */
export function createRedisClient({ url, keyPrefix, logger }: RedisClientOptions): Redis {
  const log = logger.child({ component: 'redis' });
  const client = new Redis(url, {
    keyPrefix,
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 3000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 3000),
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    // ioredis repeats the same error on every reconnect attempt; log it once per change.
    if (error.message !== lastError) log.warn({ err: error }, 'redis connection error');
    lastError = error.message;
  });
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
