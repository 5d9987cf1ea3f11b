import { closeOnSignals } from '@mirrorwatch/http';
import { catalogueTopics, createKafkaClient, createProducer, ensureTopics } from '@mirrorwatch/kafka';
import { createLogger } from '@mirrorwatch/logger';
import { closeRedis, createRedisClient } from '@mirrorwatch/redis';
import { buildApp } from './app.js';
import { loadAlertsConfig } from './config.js';

const config = loadAlertsConfig();
const logger = createLogger({ name: 'alerts', level: config.LOG_LEVEL });
const kafka = createKafkaClient({
  brokers: config.KAFKA_BROKERS,
  clientId: `${config.KAFKA_CLIENT_ID}-alerts`,
  logger,
});
const producer = createProducer(kafka, { logger });
const redis = createRedisClient({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });

await ensureTopics(kafka, catalogueTopics(config));
await Promise.all([producer.connect(), redis.connect()]);
const app = await buildApp({ config, logger, kafka, producer, redis });
await app.listen({ host: config.HOST, port: config.PORT });

closeOnSignals(
  {
    // Closing the app stops the consumers after their chunk; then flush what they produced.
    async close() {
      await app.close();
      await producer.disconnect();
      await closeRedis(redis);
    },
  },
  { logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
);
