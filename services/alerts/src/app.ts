import { errorHandler, health } from '@mirrorwatch/http';
import {
  createConsumer,
  type Kafka,
  pingKafka,
  type TypedConsumer,
  type TypedProducer,
} from '@mirrorwatch/kafka';
import type { Logger } from '@mirrorwatch/logger';
import { metricsRoute } from '@mirrorwatch/metrics';
import { pingRedis, type Redis } from '@mirrorwatch/redis';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createAuthenticator } from './auth.js';
import { authentication } from './authentication.js';
import type { AlertsConfig } from './config.js';
import { consoleRoutes } from './console.js';
import { createLiveAlerts } from './live.js';
import { createMatchHandler } from './match-handler.js';
import { createAlertsMetrics } from './metrics.js';
import { alertRoutes } from './routes/alerts.js';
import { streamRoute } from './routes/stream.js';
import { tokenRoutes } from './routes/tokens.js';
import { AlertStore } from './store.js';
import { TokenStore } from './tokens.js';
import { createWebhookDelivery } from './webhooks/deliver.js';

export interface AlertsDeps {
  config: AlertsConfig;
  logger: Logger;
  kafka: Kafka;
  /** Connected; carries alerts, decisions and dead letters. */
  producer: TypedProducer;
  redis: Redis;
  now?: () => Date;
}

/**
 * The alerts service: matches become alerts (stored, published on Kafka, pushed to SSE clients
 * and outbound webhooks), and the moderator API reads and decides them. Consumers start when
 * the app is ready and stop, finishing their chunk, when it closes.
 */
export async function buildApp(deps: AlertsDeps): Promise<FastifyInstance> {
  const { config, logger, kafka, producer, redis } = deps;
  const now = deps.now ?? (() => new Date());
  // SSE connections never go idle; closing must not wait for them.
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, forceCloseConnections: true });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = createAlertsMetrics();
  const store = new AlertStore(redis);
  const live = createLiveAlerts(redis, `${config.REDIS_KEY_PREFIX}alerts:live`, logger);
  const consumers: TypedConsumer[] = [
    createConsumer(kafka, {
      groupId: config.ALERTS_GROUP_ID,
      topic: 'matches',
      logger,
      deadLetters: producer,
      chunkSize: config.ALERTS_CHUNK_SIZE,
      partitionsConcurrently: config.ALERTS_PARTITIONS_CONCURRENTLY,
      onLag: (partition, lag) => metrics.consumerLag.set({ partition }, lag),
      onDeadLetter: (code) => metrics.deadLetters.inc({ code }),
      handleBatch: createMatchHandler({ store, producer, live, metrics, now }),
    }),
  ];
  if (config.ALERT_WEBHOOK_URLS.length > 0 && config.ALERT_WEBHOOK_SECRET) {
    consumers.push(
      createConsumer(kafka, {
        groupId: `${config.ALERTS_GROUP_ID}-webhooks`,
        topic: 'alerts',
        logger,
        deadLetters: producer,
        chunkSize: 50,
        onDeadLetter: (code) => metrics.deadLetters.inc({ code }),
        handleBatch: createWebhookDelivery({
          urls: config.ALERT_WEBHOOK_URLS,
          secret: config.ALERT_WEBHOOK_SECRET,
          attempts: config.ALERT_WEBHOOK_ATTEMPTS,
          backoffMs: config.ALERT_WEBHOOK_BACKOFF_MS,
          timeoutMs: config.ALERT_WEBHOOK_TIMEOUT_MS,
          metrics,
          logger,
        }),
      }),
    );
  }

  await app.register(errorHandler);
  await app.register(metricsRoute, { registry: metrics.registry });
  await app.register(health, {
    checks: [
      { name: 'kafka', check: () => pingKafka(kafka) },
      { name: 'redis', check: () => pingRedis(redis) },
    ],
  });
  // The moderator console's page is public; the API calls it makes carry the token.
  await app.register(consoleRoutes, { dir: config.CONSOLE_DIR });
  // The authenticated API, in its own scope so /healthz, /readyz and /metrics stay open.
  await app.register(async (api) => {
    const tokens = new TokenStore(redis);
    await api.register(authentication, { configured: createAuthenticator(config.tokens), managed: tokens });
    await api.register(alertRoutes, { store, producer, live, metrics, now });
    await api.register(streamRoute, { live, metrics });
    await api.register(tokenRoutes, {
      tokens,
      configuredNames: new Set(config.tokens.map((token) => token.name)),
      store,
      now,
    });
  });

  app.addHook('onReady', async () => {
    await live.start();
    await Promise.all(consumers.map((consumer) => consumer.start()));
  });
  app.addHook('onClose', async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await live.stop();
  });
  return app;
}
