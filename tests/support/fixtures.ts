import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  catalogueTopics,
  createKafkaClient,
  createProducer,
  ensureTopics,
  type Kafka,
  type TypedProducer,
} from '@mirrorwatch/kafka';
import { createLogger, type Logger } from '@mirrorwatch/logger';
import { closeRedis, createRedisClient, pipelined, type Redis, scanKeys } from '@mirrorwatch/redis';
import { inject } from 'vitest';

/** Connections to the suite's real Kafka and Redis, isolated by a fresh Redis key prefix. */
export interface TestInfra {
  kafkaBrokers: string[];
  redisUrl: string;
  keyPrefix: string;
  logger: Logger;
  kafka: Kafka;
  producer: TypedProducer;
  redis: Redis;
  /** A name unique to this run, for consumer groups and event ids. */
  unique(label: string): string;
  close(): Promise<void>;
}

export async function connectInfra({
  redis: deployment = 'single',
}: {
  /** The suite's single Redis, or its three-master Redis Cluster (`redis+cluster://…`). */
  redis?: 'single' | 'cluster';
} = {}): Promise<TestInfra> {
  const kafkaBrokers = inject('kafkaBrokers').split(',');
  const redisUrl = inject(deployment === 'cluster' ? 'redisClusterUrl' : 'redisUrl');
  const keyPrefix = `test:${randomUUID()}:`;
  const logger = createLogger({ name: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const kafka = createKafkaClient({ brokers: kafkaBrokers, clientId: 'mirrorwatch-test', logger });
  await ensureTopics(
    kafka,
    catalogueTopics({
      ACCOUNT_EVENTS_PARTITIONS: 6,
      MATCHES_PARTITIONS: 6,
      ALERTS_PARTITIONS: 3,
      DECISIONS_PARTITIONS: 3,
      DEAD_LETTERS_PARTITIONS: 1,
    }),
  );
  const producer = createProducer(kafka, { logger, retries: 2 });
  const redis = createRedisClient({ url: redisUrl, keyPrefix, logger });
  await Promise.all([producer.connect(), redis.connect()]);

  return {
    kafkaBrokers,
    redisUrl,
    keyPrefix,
    logger,
    kafka,
    producer,
    redis,
    unique: (label) => `${label}-${randomUUID()}`,
    async close() {
      // Remove only this run's keys: the Redis server may be shared. Every master of a Cluster is
      // scanned, and keys are unlinked one per command (keys of several slots share no command).
      const keys = await scanKeys(redis, `${keyPrefix}*`);
      await pipelined(redis, (pipeline) => {
        for (const key of keys) pipeline.unlink(key.slice(keyPrefix.length));
      });
      await producer.disconnect();
      await closeRedis(redis);
    },
  };
}

/** Environment a service's config loader accepts, pointed at the suite's infrastructure. */
export function serviceEnv(infra: TestInfra, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MIRRORWATCH_MODE: 'development',
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    REDIS_URL: infra.redisUrl,
    REDIS_KEY_PREFIX: infra.keyPrefix,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** PDQ reference images and their expected hashes, beside the checkout. */
export const PDQ_DATA = fileURLToPath(new URL('../../../shared/data/pdq/', import.meta.url));
