import { errorHandler, health } from '@mirrorwatch/http';
import { createPseudonymizer } from '@mirrorwatch/identifiers';
import { type Kafka, pingKafka, type TypedProducer } from '@mirrorwatch/kafka';
import type { Logger } from '@mirrorwatch/logger';
import { metricsRoute } from '@mirrorwatch/metrics';
import { pingRedis, type Redis } from '@mirrorwatch/redis';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { CountryCode } from 'libphonenumber-js';
import type { IngestConfig } from './config.js';
import { createIdempotencyStore } from './idempotency.js';
import { createIngestMetrics, type IngestMetrics } from './metrics.js';
import { platformRoutes } from './routes/platform.js';

export interface IngestDeps {
  config: IngestConfig;
  logger: Logger;
  kafka: Kafka;
  producer: TypedProducer;
  redis: Redis;
  metrics?: IngestMetrics;
  now?: () => Date;
}

/** The ingest HTTP app. It does not own its clients' lifecycles: main.ts (or a test) does. */
export async function buildApp(deps: IngestDeps): Promise<FastifyInstance> {
  const { config, logger, kafka, producer, redis } = deps;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Batches of 1000 events or reports fit in 1 MiB; larger bodies are refused by the route's bodyLimit.
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestIdHeader: 'x-request-id',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = deps.metrics ?? createIngestMetrics();
  await app.register(errorHandler);
  await app.register(metricsRoute, { registry: metrics.registry });
  await app.register(health, {
    checks: [
      { name: 'kafka', check: () => pingKafka(kafka) },
      { name: 'redis', check: () => pingRedis(redis) },
    ],
  });
  await app.register(platformRoutes, {
    webhookSecrets: config.webhookSecrets,
    toleranceSeconds: config.SIGNATURE_TOLERANCE_SECONDS,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    publishTimeoutMs: config.PUBLISH_TIMEOUT_MS,
    producer,
    metrics,
    idempotency: createIdempotencyStore(redis, config.IDEMPOTENCY_TTL_SECONDS),
    pseudonymizer: createPseudonymizer({
      pepper: config.identifierPepper,
      defaultPhoneRegion: config.DEFAULT_PHONE_REGION as CountryCode,
    }),
    now: deps.now ?? (() => new Date()),
  });
  return app;
}
