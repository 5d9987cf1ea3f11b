import { type RunningStack, startStack } from '@mirrorwatch/local-stack';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    redisUrl: string;
    /** `redis+cluster://…` of a three-master Redis Cluster, for the tests that run on one. */
    redisClusterUrl: string;
    /** Whether the broker was started for this run (and may be cleaned up), not named by KAFKA_BROKERS. */
    kafkaOwned: boolean;
  }
}

/**
 * One real Kafka broker, one real Redis and one three-master Redis Cluster for the integration
 * suite: the ones named by KAFKA_BROKERS / REDIS_URL / REDIS_CLUSTER_URL when set, otherwise
 * started here (concurrently, so the cluster costs no extra wall time) and stopped after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack: RunningStack = await startStack({
    ...(process.env.KAFKA_BROKERS ? { kafkaBrokers: process.env.KAFKA_BROKERS } : {}),
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    redisCluster: true,
    ...(process.env.REDIS_CLUSTER_URL ? { redisClusterUrl: process.env.REDIS_CLUSTER_URL } : {}),
  });
  project.provide('kafkaBrokers', stack.kafkaBrokers);
  project.provide('redisUrl', stack.redisUrl);
  if (stack.redisClusterUrl === undefined) throw new Error('the stack started no Redis Cluster');
  project.provide('redisClusterUrl', stack.redisClusterUrl);
  project.provide('kafkaOwned', !process.env.KAFKA_BROKERS);
  return () => stack.stop();
}
