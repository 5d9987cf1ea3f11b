import type { Logger } from '@mirrorwatch/logger';
import { TOPICS, type TopicKey, type TopicMessage } from '@mirrorwatch/schemas';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { decodeMessage } from './decode.js';
import { mergeConcurrentChunks } from './merge-chunks.js';
import type { TypedProducer } from './producer.js';
import { createSharedCommit } from './shared-commit.js';

export interface ReceivedMessage<K extends TopicKey> {
  value: TopicMessage<K>;
  key: string | null;
  partition: number;
  offset: string;
  /** Broker timestamp (ms since epoch) at which the message was appended. */
  timestamp: number;
}

/** A message the handler could not process for a reason retrying will not fix. */
export interface HandlerFailure {
  /** Index into the array the handler was given. */
  index: number;
  code: string;
  reason: string;
}

export interface BatchContext {
  log: Logger;
  heartbeat(): Promise<void>;
}

/**
 * Handles valid messages in order. Throw to retry the whole chunk (Redis down, Kafka down);
 * return failures for messages that can never succeed, which are dead-lettered.
 */
export type BatchHandler<K extends TopicKey> = (
  messages: ReceivedMessage<K>[],
  context: BatchContext,
) => Promise<HandlerFailure[] | undefined>;

export interface ConsumerOptions<K extends TopicKey> {
  groupId: string;
  topic: K;
  logger: Logger;
  /** Where undecodable and failed messages go; must be connected before `start`. */
  deadLetters: TypedProducer;
  handleBatch: BatchHandler<K>;
  /** Messages handed to the handler at once; offsets are resolved after each chunk. */
  chunkSize?: number;
  fromBeginning?: boolean;
  /** Backoff between attempts when the handler throws (Redis or Kafka away); it retries until stopped. */
  retryBackoff?: { initialMs: number; maxMs: number };
  /**
   * Partitions handled at the same time by this member (default 1). Their chunks are handed to
   * the handler together, one call at a time (see `mergeConcurrentChunks`), up to `chunkSize`
   * messages per call; order within a partition is kept.
   */
  partitionsConcurrently?: number;
  /** Told, per fetched batch, how far this partition's consumer is behind its end (consumer lag). */
  onLag?: (partition: number, lag: number) => void;
  /** Told of every message sent to the dead-letter topic (metrics). */
  onDeadLetter?: (code: string) => void;
}

export interface TypedConsumer {
  /**
   * Connects and subscribes, then joins the group in the background: a member replacing one that
   * died waits for the broker to expire the dead one's session, and readiness must not wait too.
   */
  start(): Promise<void>;
  /** Resolves once the member has joined its group and been given partitions (tests, tooling). */
  joined(): Promise<void>;
  /** Stops fetching, lets the chunk in hand finish, commits and leaves the group. */
  stop(): Promise<void>;
}

/**
 * A consumer-group member for one topic of the catalogue. Every message is decoded against the
 * topic's schema; what fails goes to the dead-letter topic with its reason and the next message
 * proceeds. Offsets are resolved only after a chunk's handler (and its dead letters) succeeded,
 * so a crash replays work instead of losing it: handlers must be idempotent.
 */
export function createConsumer<K extends TopicKey>(kafka: Kafka, options: ConsumerOptions<K>): TypedConsumer {
  const {
    groupId,
    topic,
    deadLetters,
    chunkSize = 500,
    retryBackoff = { initialMs: 100, maxMs: 5000 },
  } = options;
  const handleBatch = mergeConcurrentChunks(options.handleBatch, chunkSize);
  const commitShared = createSharedCommit();
  const topicName = TOPICS[topic].name;
  const log = options.logger.child({ component: 'consumer', topic: topicName, groupId });
  const consumer: Consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    // A member that dies without leaving holds its partitions until its session expires; keep
    // that short so a killed worker's partitions move on within seconds, not half a minute.
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
  });

  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      log.info(
        { memberId: event.payload.memberId, assignment: event.payload.memberAssignment },
        'joined group',
      );
      resolve();
    });
  });

  async function deadLetter(message: KafkaMessage, partition: number, code: string, reason: string) {
    log.warn({ partition, offset: message.offset, code, reason }, 'dead-lettering message');
    options.onDeadLetter?.(code);
    await deadLetters.send('deadLetters', [
      {
        key: `${topicName}:${partition}:${message.offset}`,
        value: {
          schemaVersion: 1,
          source: {
            topic: topicName,
            partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
          },
          consumerGroup: groupId,
          code,
          reason,
          valueBase64: message.value ? message.value.toString('base64') : null,
          failedAt: new Date().toISOString(),
        },
      },
    ]);
  }

  async function processChunk(payload: EachBatchPayload, chunk: KafkaMessage[]) {
    const { partition } = payload.batch;
    const valid: ReceivedMessage<K>[] = [];
    const sources: KafkaMessage[] = [];
    for (const message of chunk) {
      const decoded = decodeMessage(topic, message.value);
      if (decoded.ok) {
        valid.push({
          value: decoded.value,
          key: message.key?.toString('utf8') ?? null,
          partition,
          offset: message.offset,
          timestamp: Number(message.timestamp),
        });
        sources.push(message);
      } else {
        await deadLetter(message, partition, decoded.code, decoded.reason);
      }
    }
    if (valid.length > 0) {
      const failures = await handleWithRetry(payload, valid);
      if (failures === undefined) return; // stopped or rebalanced: the chunk is not resolved, so it is redone
      for (const failure of failures) {
        const source = sources[failure.index];
        if (source) await deadLetter(source, partition, failure.code, failure.reason);
      }
    }
    const last = chunk[chunk.length - 1];
    if (last) payload.resolveOffset(last.offset);
    await commitShared(() => payload.commitOffsetsIfNecessary(payload.uncommittedOffsets()));
    await payload.heartbeat();
  }

  /**
   * Runs the handler until it succeeds. A throw means a dependency is away, not that the messages
   * are bad, so skipping them would lose events: wait, heartbeat, and try again.
   */
  async function handleWithRetry(
    payload: EachBatchPayload,
    valid: ReceivedMessage<K>[],
  ): Promise<HandlerFailure[] | undefined> {
    let delay = retryBackoff.initialMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return (await handleBatch(valid, { log, heartbeat: payload.heartbeat })) ?? [];
      } catch (error) {
        log.warn(
          { err: error, attempt, partition: payload.batch.partition, retryInMs: delay },
          'handler failed; retrying the chunk',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, retryBackoff.maxMs);
      if (!payload.isRunning() || payload.isStale()) return undefined;
      await payload.heartbeat().catch(() => undefined);
    }
  }

  return {
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topic: topicName, fromBeginning: options.fromBeginning ?? true });
      const running = consumer.run({
        eachBatchAutoResolve: false,
        // Each chunk commits once it is handled (shared with the chunks that finish with it).
        autoCommit: false,
        partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
        eachBatch: async (payload) => {
          const { messages } = payload.batch;
          options.onLag?.(payload.batch.partition, Number(payload.batch.offsetLag()));
          for (let start = 0; start < messages.length; start += chunkSize) {
            if (!payload.isRunning() || payload.isStale()) return;
            await processChunk(payload, messages.slice(start, start + chunkSize));
          }
        },
      });
      running.catch((error: unknown) => log.error({ err: error }, 'consumer stopped running'));
      log.info('consumer started; joining its group');
    },
    joined: () => joined,
    async stop() {
      await consumer.disconnect();
      log.info('consumer stopped');
    },
  };
}
