import { closeOnSignals } from '@mirrorwatch/http';
import { catalogueTopics, createKafkaClient, createProducer, ensureTopics } from '@mirrorwatch/kafka';
import { createLogger } from '@mirrorwatch/logger';
import { closeRedis, createRedisClient } from '@mirrorwatch/redis';
import { buildApp } from './app.js';
import { loadIngestConfig } from './config.js';

const config = loadIngestConfig();
const logger = createLogger({ name: 'ingest', level: config.LOG_LEVEL });
const kafka = createKafkaClient({
  brokers: config.KAFKA_BROKERS,
  clientId: `${config.KAFKA_CLIENT_ID}-ingest`,
  logger,
});
const producer = createProducer(kafka, { logger, retries: 3, lingerMs: config.PUBLISH_LINGER_MS });
const redis = createRedisClient({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });

await ensureTopics(kafka, catalogueTopics(config));
await Promise.all([producer.connect(), redis.connect()]);
const app = await buildApp({ config, logger, kafka, producer, redis });
await app.listen({ host: config.HOST, port: config.PORT });

closeOnSignals(
  {
    // Stop accepting requests and finish those in flight, then flush the producer.
    async close() {
      await app.close();
      await producer.disconnect();
      await closeRedis(redis);
    },
  },
  { logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
);
