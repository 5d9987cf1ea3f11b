import { AccountEventMessage, Event } from '@mirrorwatch/schemas';
import { describe, expect, it } from 'vitest';
import { toAccountEventMessage } from './account-event.js';
import { createPseudonymizer } from './pseudonymize.js';

describe('toAccountEventMessage', () => {
  const pseudonymizer = createPseudonymizer({ pepper: 'a-test-pepper-of-some-length' });
  const event = Event.parse({
    eventId: 'e1',
    type: 'account.created',
    occurredAt: '2026-11-01T10:00:00Z',
    account: {
      id: 'a1',
      handle: 'alfurqan_backup',
      email: 'someone@example.com',
      phone: '+44 20 7946 0958',
      deviceId: 'device-123',
      ip: '203.0.113.9',
      avatarImage: 'aGVsbG8=',
      avatarPdq: 'F'.repeat(64),
    },
  });

  it('publishes keyed hashes and never a raw identifier', () => {
    const message = toAccountEventMessage(event, 'telegram', new Date('2026-11-01T10:00:01Z'), pseudonymizer);
    const json = JSON.stringify(message);
    for (const raw of ['someone@example.com', '7946', 'device-123', '203.0.113', 'aGVsbG8=']) {
      expect(json).not.toContain(raw);
    }
    expect(message.account).toMatchObject({ handle: 'alfurqan_backup', avatarPdq: 'f'.repeat(64) });
    expect(message.account.emailHash).toMatch(/^[0-9a-f]{32}$/);
    expect(message.account.ipPrefixHash).toMatch(/^[0-9a-f]{32}$/);
    expect(AccountEventMessage.safeParse(message).success).toBe(true);
  });
});
