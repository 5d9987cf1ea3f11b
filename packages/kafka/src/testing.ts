import { TOPICS, type TopicKey } from '@mirrorwatch/schemas';
import type { Kafka } from 'kafkajs';

export { requestQueueClass } from './request-queue-timer.js';

/**
 * Test and tooling helpers that work below the typed catalogue: writing bytes that may not follow
 * a topic's schema (to prove they are dead-lettered) and reading a topic back; kafkajs's request
 * queue, to watch its timers.
 */

export async function produceRaw(
  kafka: Kafka,
  topic: TopicKey,
  messages: Array<{ key: string; value: string | Buffer | null }>,
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: TOPICS[topic].name, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Per partition of `topicName`, the offset after its last message now; partitions whose messages
 * were all deleted (nothing to read) are left out. With `hasReached`, a reader knows it has read
 * everything written before a moment.
 */
export async function endOffsets(kafka: Kafka, topicName: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topicName).finally(() => admin.disconnect());
  return new Map(
    offsets.filter(({ low, high }) => low !== high).map(({ partition, high }) => [partition, BigInt(high)]),
  );
}

/**
 * Deletes every message on a topic so far. For tests on a broker started for the run: a consumer
 * group made later reads its topic from the beginning, and would otherwise work through what
 * earlier test files left there (the import test's thousands of bans, every file's matches)
 * before reaching its own.
 */
export async function truncateTopic(kafka: Kafka, topic: TopicKey): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(TOPICS[topic].name);
    await admin.deleteTopicRecords({
      topic: TOPICS[topic].name,
      partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Whether a reader that has read up to `readUpTo` (per partition, the next offset) has reached `ends`. */
export function hasReached(
  readUpTo: ReadonlyMap<number, bigint>,
  ends: ReadonlyMap<number, bigint>,
): boolean {
  for (const [partition, end] of ends) if ((readUpTo.get(partition) ?? 0n) < end) return false;
  return true;
}

/**
 * What a topic reader's waits hang on: `until(done, …)` resolves once `done()` holds, checked at
 * once and again at every `wake()` (the reader calls it after each message), or rejects after
 * `timeoutMs` naming `what` did not happen on the topic.
 */
export function readerWaits(topicName: string) {
  const waiters = new Set<() => void>();
  return {
    wake() {
      for (const waiter of waiters) waiter();
    },
    until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done()) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${what} on ${topicName} within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

export interface TopicReader {
  /** Every message value seen so far, parsed as JSON. */
  readonly values: unknown[];
  /** Resolves with the first value satisfying `predicate`, or rejects after `timeoutMs`. */
  waitFor<T>(predicate: (value: unknown) => value is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (value: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  /** Resolves once everything on the topic when called has been read, or rejects after `timeoutMs`. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops fetching (a bench's reader, while the pipeline it measures runs) until `resume`. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/** Reads a topic from the beginning with a throwaway consumer group. */
export async function readTopic(kafka: Kafka, topic: TopicKey, groupId: string): Promise<TopicReader> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const values: unknown[] = [];
  const readUpTo = new Map<number, bigint>();
  const { wake, until } = readerWaits(TOPICS[topic].name);
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS[topic].name, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      readUpTo.set(partition, BigInt(message.offset) + 1n);
      values.push(message.value ? JSON.parse(message.value.toString('utf8')) : null);
      wake();
    },
  });
  return {
    values,
    async waitFor(predicate: (value: unknown) => boolean, timeoutMs = 30_000) {
      await until(() => values.some(predicate), timeoutMs, 'no matching message');
      return values.find(predicate);
    },
    async caughtUp(timeoutMs = 30_000) {
      const ends = await endOffsets(kafka, TOPICS[topic].name);
      await until(() => hasReached(readUpTo, ends), timeoutMs, 'did not read to the end');
    },
    pause() {
      consumer.pause([{ topic: TOPICS[topic].name }]);
    },
    resume() {
      consumer.resume([{ topic: TOPICS[topic].name }]);
    },
    async close() {
      await consumer.disconnect();
    },
  } as TopicReader;
}

/**
 * A stand-in for an async function (a batch sender, a handler) whose calls a test records and
 * settles one by one, counting how many were running at once.
 */
export function controlledCalls<Input, Result>() {
  const calls: { input: Input; settle(outcome?: Result | Error): void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const call = (input: Input) =>
    new Promise<Result>((resolve, reject) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      calls.push({
        input,
        settle: (outcome) => {
          running -= 1;
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome as Result);
        },
      });
    });
  return { calls, call, mostAtOnce: () => mostAtOnce };
}
