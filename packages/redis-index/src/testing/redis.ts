import { randomUUID } from 'node:crypto';
import type { Redis as RedisClient } from '@mirrorwatch/redis';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** A client on the integration suite's Redis under a key prefix of its own. */
export interface TestRedis {
  redis: RedisClient;
  keyPrefix: string;
  /** Every key under this client's prefix, without the prefix. */
  keys(): Promise<string[]>;
  /** Deletes this client's keys and disconnects. */
  close(): Promise<void>;
}

export async function connectTestRedis(): Promise<TestRedis> {
  const keyPrefix = `test:${randomUUID()}:`;
  const redis = new Redis(inject('redisUrl'), { keyPrefix, lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  const keys = async () => {
    const found: string[] = [];
    let cursor = '0';
    do {
      // SCAN's MATCH pattern is not prefixed by ioredis, and its replies carry the prefix.
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      found.push(...batch.map((key) => key.slice(keyPrefix.length)));
    } while (cursor !== '0');
    return found.sort();
  };
  return {
    redis,
    keyPrefix,
    keys,
    async close() {
      for (const key of await keys()) await redis.unlink(key);
      await redis.quit();
    },
  };
}

/** Counts what a client sends: pipelines built, every command, and those sent outside any pipeline. */
export function countTraffic(redis: RedisClient): {
  pipelines: number;
  direct: number;
  /** Every command sent, pipelined or not. */
  commands: number;
  restore(): void;
} {
  const counts = { pipelines: 0, direct: 0, commands: 0, restore };
  const { pipeline, sendCommand } = redis;
  redis.pipeline = (...args: Parameters<RedisClient['pipeline']>) => {
    counts.pipelines += 1;
    return pipeline.apply(redis, args);
  };
  // Pipelines hand their commands to sendCommand with a stream; lone commands come without one.
  redis.sendCommand = (...args: Parameters<RedisClient['sendCommand']>) => {
    counts.commands += 1;
    if (args[1] === undefined) counts.direct += 1;
    return sendCommand.apply(redis, args);
  };
  function restore() {
    redis.pipeline = pipeline;
    redis.sendCommand = sendCommand;
  }
  return counts;
}
