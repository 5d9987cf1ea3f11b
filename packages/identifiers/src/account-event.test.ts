import { AccountEventMessage, Event, Report } from '@mirrorwatch/schemas';
import { describe, expect, it } from 'vitest';
import { toAccountEventMessage, toReportedAccountMessage } from './account-event.js';
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

  it('publishes a report as account.reported under a prefixed id, hashed the same way, never as a ban', () => {
    const report = Report.parse({
      reportId: 'r-77',
      occurredAt: '2026-11-01T09:00:00Z',
      source: 'trusted-flagger-1',
      entity: 'Example Front',
      reason: 'same logo and invite link as a removed account',
      account: { id: 'a2', handle: 'front_media', email: 'someone@example.com', ip: '203.0.113.9' },
    });
    const message = toReportedAccountMessage(report, 'x', new Date('2026-11-01T10:00:01Z'), pseudonymizer);
    expect(message).toMatchObject({
      eventId: 'report:r-77',
      type: 'account.reported',
      platform: 'x',
      report: { source: 'trusted-flagger-1', entity: 'Example Front', reason: report.reason },
    });
    expect(message.ban).toBeUndefined();
    const fromEvent = toAccountEventMessage(
      { ...event, account: report.account },
      'x',
      new Date('2026-11-01T10:00:01Z'),
      pseudonymizer,
    );
    expect(message.account).toEqual(fromEvent.account);
    expect(JSON.stringify(message)).not.toMatch(/someone@example|203\.0\.113/);
    expect(AccountEventMessage.safeParse(message).success).toBe(true);
  });
});
