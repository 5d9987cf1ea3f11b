import { closeOnSignals } from '@mirrorwatch/http';
import { createKafkaClient } from '@mirrorwatch/kafka';
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
const redis = createRedisClient({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, logger });

await redis.connect();
const app = await buildApp({ config, logger, kafka, redis });
await app.listen({ host: config.HOST, port: config.PORT });

closeOnSignals(
  {
    async close() {
      await app.close();
      await closeRedis(redis);
    },
  },
  { logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
);
