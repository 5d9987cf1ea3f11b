import { errorHandler, health } from '@mirrorwatch/http';
import { createConsumer, type Kafka, pingKafka, type TypedProducer } from '@mirrorwatch/kafka';
import type { Logger } from '@mirrorwatch/logger';
import { pingRedis, type Redis } from '@mirrorwatch/redis';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { MatcherConfig } from './config.js';
import { type AccountEvent, createPipeline } from './pipeline.js';

export interface MatcherDeps {
  config: MatcherConfig;
  logger: Logger;
  kafka: Kafka;
  /** Connected; carries matches and dead letters. */
  producer: TypedProducer;
  redis: Redis;
  onProcessed?: (events: AccountEvent[]) => void;
}

/**
 * The matcher worker: a consumer-group member on the account-events topic, with an HTTP side for
 * health. Consumption starts when the app is ready and stops (finishing the chunk in hand) when
 * it closes.
 */
export async function buildApp(deps: MatcherDeps): Promise<FastifyInstance> {
  const { config, logger, kafka, producer, redis } = deps;
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  const consumer = createConsumer(kafka, {
    groupId: config.MATCHER_GROUP_ID,
    topic: 'accountEvents',
    logger,
    deadLetters: producer,
    chunkSize: config.MATCHER_CHUNK_SIZE,
    handleBatch: createPipeline(deps.onProcessed ? { onProcessed: deps.onProcessed } : {}),
  });

  await app.register(errorHandler);
  await app.register(health, {
    checks: [
      { name: 'kafka', check: () => pingKafka(kafka) },
      { name: 'redis', check: () => pingRedis(redis) },
    ],
  });
  app.addHook('onReady', () => consumer.start());
  app.addHook('onClose', () => consumer.stop());
  return app;
}
