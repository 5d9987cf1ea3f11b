import type { Logger } from '@mirrorwatch/logger';
import { TOPICS, type TopicKey, type TopicMessage } from '@mirrorwatch/schemas';
import type { Kafka, Message, Producer } from 'kafkajs';
import { createCoalescer } from './coalesce.js';

export interface OutgoingMessage<K extends TopicKey> {
  key: string;
  value: TopicMessage<K>;
  headers?: Record<string, string>;
}

export interface TypedProducer {
  connect(): Promise<void>;
  /** Resolves once every message is acknowledged by all in-sync replicas. */
  send<K extends TopicKey>(topic: K, messages: OutgoingMessage<K>[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ProducerOptions {
  logger: Logger;
  /**
   * Retries inside kafkajs before `send` rejects. An idempotent producer would retry forever by
   * default; callers that must answer someone (ingest's 503) need a bounded number.
   */
  retries?: number;
  /**
   * Concurrent sends are merged into one request up to this many bytes of keys and values
   * (default 512 KiB, well under the broker's 1 MiB per partition batch).
   */
  maxBatchBytes?: number;
  /**
   * How long a send made while the producer is idle waits for others to share its request
   * (default 0: only sends of the same tick). Like Kafka's `linger.ms`: a few milliseconds of
   * latency for far fewer requests when many small sends arrive (ingest's webhooks).
   */
  lingerMs?: number;
}

/**
 * An idempotent producer (acks=all, no duplicates on internal retry) whose messages are typed by
 * the topic catalogue. Values are serialised as JSON; they were typed at compile time and are not
 * re-validated here, because the hot path should not pay for it twice. Concurrent sends share
 * requests (see `createCoalescer`); each still resolves only once its own messages are acknowledged.
 */
export function createProducer(
  kafka: Kafka,
  { logger, retries = 5, maxBatchBytes = 512 * 1024, lingerMs = 0 }: ProducerOptions,
): TypedProducer {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries, initialRetryTime: 100, maxRetryTime: 2000 },
  });
  const log = logger.child({ component: 'producer' });
  const requests = createCoalescer<{ topic: string; message: Message }>({
    maxBatchBytes,
    lingerMs,
    sendBatch: async (items) => {
      const byTopic = new Map<string, Message[]>();
      for (const { topic, message } of items) {
        const messages = byTopic.get(topic);
        if (messages) messages.push(message);
        else byTopic.set(topic, [message]);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    },
  });

  return {
    async connect() {
      await producer.connect();
    },
    async send(topic, messages) {
      const name = TOPICS[topic].name;
      let bytes = 0;
      const items = messages.map(({ key, value, headers }) => {
        const message: Message = { key, value: JSON.stringify(value), ...(headers ? { headers } : {}) };
        bytes += Buffer.byteLength(key) + Buffer.byteLength(message.value as string);
        return { topic: name, message };
      });
      await requests.send(items, bytes);
    },
    async disconnect() {
      await producer.disconnect();
      log.debug('producer disconnected');
    },
  };
}
