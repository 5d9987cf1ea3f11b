import { errorHandler, health } from '@mirrorwatch/http';
import { type Kafka, pingKafka } from '@mirrorwatch/kafka';
import type { Logger } from '@mirrorwatch/logger';
import { pingRedis, type Redis } from '@mirrorwatch/redis';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AlertsConfig } from './config.js';

export interface AlertsDeps {
  config: AlertsConfig;
  logger: Logger;
  kafka: Kafka;
  redis: Redis;
}

/**
 * The alerts service: turns matches into alerts for moderators and serves the alert API. This
 * foundation carries its lifecycle and health; the alert store and API build on it.
 */
export async function buildApp(deps: AlertsDeps): Promise<FastifyInstance> {
  const { logger, kafka, redis } = deps;
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  await app.register(errorHandler);
  await app.register(health, {
    checks: [
      { name: 'kafka', check: () => pingKafka(kafka) },
      { name: 'redis', check: () => pingRedis(redis) },
    ],
  });
  return app;
}
