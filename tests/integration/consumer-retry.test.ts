import { createConsumer, type ReceivedMessage } from '@mirrorwatch/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInfra, type TestInfra } from '../support/fixtures.js';
import { accountEvent } from '../support/webhooks.js';

describe('a consumer whose handler fails (Redis or Kafka away)', () => {
  let infra: TestInfra;

  beforeAll(async () => {
    infra = await connectInfra();
  });

  afterAll(async () => {
    await infra?.close();
  });

  it('retries the same chunk with backoff until it succeeds, skipping nothing and committing after', async () => {
    const key = infra.unique('retry');
    const eventIds = Array.from({ length: 5 }, () => accountEvent().eventId);
    const now = new Date().toISOString();
    // One key, so one partition and one order.
    await infra.producer.send(
      'accountEvents',
      eventIds.map((eventId) => ({
        key,
        value: {
          schemaVersion: 1 as const,
          eventId,
          platform: 'x' as const,
          type: 'account.created' as const,
          occurredAt: now,
          receivedAt: now,
          account: { id: key, handle: 'someone' },
        },
      })),
    );

    const attempts: number[] = [];
    const handled: string[] = [];
    const ours = (messages: ReceivedMessage<'accountEvents'>[]) =>
      messages.filter((message) => message.key === key);
    let failuresLeft = 3;
    const groupId = infra.unique('retry-group');
    const consumer = createConsumer(infra.kafka, {
      groupId,
      topic: 'accountEvents',
      logger: infra.logger,
      deadLetters: infra.producer,
      retryBackoff: { initialMs: 50, maxMs: 200 },
      handleBatch: async (messages) => {
        const mine = ours(messages);
        if (mine.length > 0) {
          attempts.push(Date.now());
          if (failuresLeft > 0) {
            failuresLeft -= 1;
            throw new Error('redis: connection refused');
          }
          handled.push(...mine.map((message) => message.value.eventId));
        }
        return undefined;
      },
    });
    await consumer.start();
    try {
      await expect.poll(() => handled.length, { timeout: 30_000 }).toBe(eventIds.length);
      expect(handled).toEqual(eventIds);
      expect(attempts.length).toBeGreaterThanOrEqual(4);
      // Backoff: the gaps between attempts grow.
      const gaps = attempts.slice(1).map((at, index) => at - (attempts[index] ?? at));
      expect(gaps[0]).toBeGreaterThanOrEqual(40);
      expect(gaps[2] ?? 0).toBeGreaterThanOrEqual(gaps[0] ?? 0);
    } finally {
      await consumer.stop();
    }

    // Committed after success: the same group, started again, gets none of them back.
    const again: string[] = [];
    const restarted = createConsumer(infra.kafka, {
      groupId,
      topic: 'accountEvents',
      logger: infra.logger,
      deadLetters: infra.producer,
      handleBatch: async (messages) => {
        again.push(...ours(messages).map((message) => message.value.eventId));
        return undefined;
      },
    });
    await restarted.start();
    try {
      const marker = infra.unique('after');
      await infra.producer.send('accountEvents', [
        {
          key,
          value: {
            schemaVersion: 1,
            eventId: marker,
            platform: 'x',
            type: 'account.created',
            occurredAt: now,
            receivedAt: now,
            account: { id: key, handle: 'someone' },
          },
        },
      ]);
      await expect.poll(() => again, { timeout: 30_000 }).toEqual([marker]);
    } finally {
      await restarted.stop();
    }
  });
});
