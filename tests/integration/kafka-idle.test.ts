import { requestQueueClass } from '@mirrorwatch/kafka/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectInfra, type TestInfra } from '../support/fixtures.js';

describe('an idle Kafka connection', () => {
  let infra: TestInfra;

  beforeAll(async () => {
    infra = await connectInfra();
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await infra?.close();
  });

  it('does not wake its process while nothing is sent (kafkajs 2.2.4 checks its queue every millisecond)', async () => {
    // The producer's connection to the broker is open and has carried a request.
    const id = infra.unique('idle');
    const now = new Date().toISOString();
    await infra.producer.send('accountEvents', [
      {
        key: `x:${id}`,
        value: {
          schemaVersion: 1 as const,
          eventId: id,
          platform: 'x' as const,
          type: 'account.created' as const,
          occurredAt: now,
          receivedAt: now,
          account: { id, handle: 'someone' },
        },
      },
    ]);
    const checks = vi.spyOn(requestQueueClass().prototype, 'checkPendingRequests');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // A handful at most (a metadata refresh); with the loop, hundreds per connection.
    expect(checks.mock.calls.length).toBeLessThan(20);
  });
});
