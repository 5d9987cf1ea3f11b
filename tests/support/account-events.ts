import type { Kafka } from '@mirrorwatch/kafka';
import { endOffsets, hasReached, readerWaits } from '@mirrorwatch/kafka/testing';
import { AccountEventMessage, TOPICS } from '@mirrorwatch/schemas';

const TOPIC = TOPICS.accountEvents.name;

export interface PublishedAccountEvent {
  key: string | null;
  value: AccountEventMessage;
}

export interface AccountEventsReader {
  /** Every well-formed message read so far, in the order read. */
  readonly messages: PublishedAccountEvent[];
  /** Resolves with the first message satisfying `predicate`, or rejects after `timeoutMs`. */
  waitFor(
    predicate: (message: PublishedAccountEvent) => boolean,
    timeoutMs?: number,
  ): Promise<PublishedAccountEvent>;
  /** Resolves once everything on the topic when called has been read. */
  caughtUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Reads the account-events topic from the beginning with a throwaway group, keys included.
 * Messages that do not follow the topic's schema are skipped (never dead-lettered: this is a
 * reader, not a worker).
 */
export async function readAccountEvents(kafka: Kafka, groupId: string): Promise<AccountEventsReader> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const messages: PublishedAccountEvent[] = [];
  const readUpTo = new Map<number, bigint>();
  const { wake, until } = readerWaits(TOPIC);
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      readUpTo.set(partition, BigInt(message.offset) + 1n);
      const parsed = (() => {
        try {
          return AccountEventMessage.safeParse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
        } catch {
          return undefined;
        }
      })();
      if (parsed?.success) messages.push({ key: message.key?.toString('utf8') ?? null, value: parsed.data });
      wake();
    },
  });

  return {
    messages,
    async waitFor(predicate, timeoutMs = 30_000) {
      await until(() => messages.some(predicate), timeoutMs, 'no matching message');
      return messages.find(predicate) as PublishedAccountEvent;
    },
    async caughtUp(timeoutMs = 30_000) {
      const ends = await endOffsets(kafka, TOPIC);
      await until(() => hasReached(readUpTo, ends), timeoutMs, 'did not read to the end');
    },
    async close() {
      await consumer.disconnect();
    },
  };
}
