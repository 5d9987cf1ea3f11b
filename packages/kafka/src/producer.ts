import type { Logger } from '@mirrorwatch/logger';
import { TOPICS, type TopicKey, type TopicMessage } from '@mirrorwatch/schemas';
import type { Kafka, Producer } from 'kafkajs';

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
}

/**
 * An idempotent producer (acks=all, no duplicates on internal retry) whose messages are typed by
 * the topic catalogue. Values are serialised as JSON; they were typed at compile time and are not
 * re-validated here, because the hot path should not pay for it twice.
 */
export function createProducer(kafka: Kafka, { logger, retries = 5 }: ProducerOptions): TypedProducer {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries, initialRetryTime: 100, maxRetryTime: 2000 },
  });
  const log = logger.child({ component: 'producer' });

  return {
    async connect() {
      await producer.connect();
    },
    async send(topic, messages) {
      if (messages.length === 0) return;
      await producer.send({
        topic: TOPICS[topic].name,
        acks: -1,
        messages: messages.map((message) => ({
          key: message.key,
          value: JSON.stringify(message.value),
          ...(message.headers ? { headers: message.headers } : {}),
        })),
      });
    },
    async disconnect() {
      await producer.disconnect();
      log.debug('producer disconnected');
    },
  };
}
