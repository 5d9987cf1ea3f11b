import { type RunningStack, startStack } from '@mirrorwatch/local-stack';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    redisUrl: string;
    /** Whether the broker was started for this run (and may be cleaned up), not named by KAFKA_BROKERS. */
    kafkaOwned: boolean;
  }
}

/**
 * One real Kafka broker and one real Redis for the integration suite: the ones named by
 * KAFKA_BROKERS / REDIS_URL when set, otherwise started here and stopped after the run.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack: RunningStack = await startStack({
    ...(process.env.KAFKA_BROKERS ? { kafkaBrokers: process.env.KAFKA_BROKERS } : {}),
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
  });
  project.provide('kafkaBrokers', stack.kafkaBrokers);
  project.provide('redisUrl', stack.redisUrl);
  project.provide('kafkaOwned', !process.env.KAFKA_BROKERS);
  return () => stack.stop();
}
