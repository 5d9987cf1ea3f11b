import { randomUUID } from 'node:crypto';
import { createLogger } from '@mirrorwatch/logger';
import { closeRedis, createRedisClient, pipelined, type Redis, scanKeys } from '@mirrorwatch/redis';
import type { Redis as SingleRedis } from 'ioredis';
import { expect, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** `redis+cluster://…` of the suite's three-master Redis Cluster. */
    redisClusterUrl: string;
  }
}

/** The integration suite's Redis deployments: every Redis-backed store must pass on both. */
export const REDIS_DEPLOYMENTS = [
  { name: 'Redis', url: () => inject('redisUrl'), cluster: false },
  { name: 'Redis Cluster', url: () => inject('redisClusterUrl'), cluster: true },
] as const;
export type RedisDeployment = (typeof REDIS_DEPLOYMENTS)[number];

/**
 * What `countTraffic(...).measure` reports for `rounds` pipelined round trips and no lone command:
 * one pipeline each on a single Redis; on a Cluster, one per master touched (three here), sent
 * concurrently.
 */
export function roundTrips(deployment: RedisDeployment, rounds: number) {
  return deployment.cluster
    ? { pipelines: expect.toSatisfy((n: number) => n >= rounds && n <= rounds * 3), direct: 0 }
    : { pipelines: rounds, direct: 0 };
}

/** A client on one of the integration suite's Redis deployments under a key prefix of its own. */
export interface TestRedis {
  redis: Redis;
  keyPrefix: string;
  /** Every key under this client's prefix, without the prefix (every master of a Cluster). */
  keys(): Promise<string[]>;
  /** Deletes this client's keys and disconnects. */
  close(): Promise<void>;
}

export async function connectTestRedis(url: string = inject('redisUrl')): Promise<TestRedis> {
  const keyPrefix = `test:${randomUUID()}:`;
  const logger = createLogger({ name: 'test', level: 'silent' });
  const redis = createRedisClient({ url, keyPrefix, logger });
  await redis.connect();
  const keys = async () =>
    (await scanKeys(redis, `${keyPrefix}*`)).map((key) => key.slice(keyPrefix.length)).sort();
  return {
    redis,
    keyPrefix,
    keys,
    async close() {
      const found = await keys();
      // One key per command: keys of several slots never share one in a Cluster.
      await pipelined(redis, (pipeline) => {
        for (const key of found) pipeline.unlink(key);
      });
      await closeRedis(redis);
    },
  };
}

/** Counts what a client sends: pipelines sent, every command, and those sent outside any pipeline. */
export function countTraffic(redis: Redis): {
  pipelines: number;
  direct: number;
  /** Every command sent, pipelined or not. */
  commands: number;
  /** Pipelines sent and lone commands sent while `run` runs. */
  measure(run: () => Promise<unknown>): Promise<{ pipelines: number; direct: number }>;
  restore(): void;
} {
  const counts = { pipelines: 0, direct: 0, commands: 0, measure, restore };
  // The same two methods on a single client and on a Cluster; typed once through the single one.
  const client = redis as SingleRedis;
  const { pipeline, sendCommand } = client;
  client.pipeline = (...args: Parameters<typeof pipeline>) => {
    counts.pipelines += 1;
    return pipeline.apply(redis, args);
  };
  // Pipelines hand their commands to sendCommand with a stream; lone commands come without one.
  client.sendCommand = (...args: Parameters<typeof sendCommand>) => {
    counts.commands += 1;
    if (args[1] === undefined) counts.direct += 1;
    return sendCommand.apply(redis, args);
  };
  async function measure(run: () => Promise<unknown>) {
    const before = { pipelines: counts.pipelines, direct: counts.direct };
    await run();
    return { pipelines: counts.pipelines - before.pipelines, direct: counts.direct - before.direct };
  }
  function restore() {
    client.pipeline = pipeline;
    client.sendCommand = sendCommand;
  }
  return counts;
}
