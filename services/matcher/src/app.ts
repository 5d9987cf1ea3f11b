import { readFile } from 'node:fs/promises';
import {
  type BannedFingerprint,
  createDefaultRegistry,
  defaultModel,
  parseModel,
  type ScoringModel,
} from '@mirrorwatch/engine';
import { errorHandler, health } from '@mirrorwatch/http';
import { createConsumer, type Kafka, pingKafka, type TypedProducer } from '@mirrorwatch/kafka';
import type { Logger } from '@mirrorwatch/logger';
import { metricsRoute } from '@mirrorwatch/metrics';
import { pingRedis, type Redis } from '@mirrorwatch/redis';
import { RedisCandidateIndex, RedisRecentWindow, RedisTermFrequencies } from '@mirrorwatch/redis-index';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { MatcherConfig } from './config.js';
import { createMatcherMetrics } from './metrics.js';
import { RedisShadowLog } from './shadow-log.js';
import type { MatcherStores, RecentAccount } from './stores.js';
import { type AccountEvent, createWorker } from './worker.js';

export interface MatcherDeps {
  config: MatcherConfig;
  logger: Logger;
  kafka: Kafka;
  /** Connected; carries matches and dead letters. */
  producer: TypedProducer;
  redis: Redis;
  onProcessed?: (events: AccountEvent[]) => void;
}

const HOUR_MS = 3_600_000;

export async function loadModel(path: string | undefined): Promise<ScoringModel> {
  return path ? parseModel(JSON.parse(await readFile(path, 'utf8'))) : defaultModel();
}

/** The banned index, the recent-accounts window and the term-frequency table, all in Redis. */
export function createRedisStores(redis: Redis, config: MatcherConfig): MatcherStores {
  return {
    banned: new RedisCandidateIndex<BannedFingerprint>({
      redis,
      namespace: 'banned',
      maxBucketSize: config.INDEX_MAX_BUCKET_SIZE,
    }),
    recent: new RedisRecentWindow<RecentAccount>({
      redis,
      namespace: 'recent',
      maxBucketSize: config.INDEX_MAX_BUCKET_SIZE,
      windowSeconds: Math.ceil(config.RECENT_WINDOW_HOURS * 3600),
    }),
    frequencies: new RedisTermFrequencies({ redis }),
    shadow: new RedisShadowLog({ redis }),
  };
}

/**
 * The matcher worker: a consumer-group member on the account-events topic (the indexer's work
 * on bans and reinstatements included), with an HTTP side for health and metrics. Consumption
 * starts when the app is ready and stops (finishing the chunk in hand) when it closes.
 */
export async function buildApp(deps: MatcherDeps): Promise<FastifyInstance> {
  const { config, logger, kafka, producer, redis } = deps;
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  const metrics = createMatcherMetrics();
  const model = await loadModel(config.MODEL_PATH);
  const shadowModel = config.SHADOW_MODEL_PATH ? await loadModel(config.SHADOW_MODEL_PATH) : undefined;
  logger.info(
    { model: model.version, reviewThreshold: model.reviewThreshold, shadowModel: shadowModel?.version },
    'scoring model loaded',
  );

  const worker = createWorker({
    stores: createRedisStores(redis, config),
    registry: createDefaultRegistry(),
    model,
    ...(shadowModel && { shadowModel }),
    producer,
    metrics,
    candidateLimit: config.MATCHER_CANDIDATE_LIMIT,
    recentWindowMs: config.RECENT_WINDOW_HOURS * HOUR_MS,
    ...(deps.onProcessed ? { onProcessed: deps.onProcessed } : {}),
  });
  const common = {
    logger,
    deadLetters: producer,
    onDeadLetter: (code: string) => metrics.deadLetters.inc({ code }),
  };
  const consumers = [
    createConsumer(kafka, {
      ...common,
      groupId: config.MATCHER_GROUP_ID,
      topic: 'accountEvents',
      chunkSize: config.MATCHER_CHUNK_SIZE,
      partitionsConcurrently: config.MATCHER_PARTITIONS_CONCURRENTLY,
      onLag: (partition, lag) => metrics.consumerLag.set({ partition }, lag),
      handleBatch: worker.handleEvents,
    }),
    // Moderators' confirmations come back as bans; a group of its own so decisions are never
    // queued behind a backlog of account events.
    createConsumer(kafka, {
      ...common,
      groupId: `${config.MATCHER_GROUP_ID}-decisions`,
      topic: 'decisions',
      chunkSize: 100,
      handleBatch: worker.handleDecisions,
    }),
  ];

  await app.register(errorHandler);
  await app.register(metricsRoute, { registry: metrics.registry });
  await app.register(health, {
    checks: [
      { name: 'kafka', check: () => pingKafka(kafka) },
      { name: 'redis', check: () => pingRedis(redis) },
    ],
  });
  app.addHook('onReady', async () => {
    await Promise.all(consumers.map((consumer) => consumer.start()));
  });
  app.addHook('onClose', async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
  });
  return app;
}
