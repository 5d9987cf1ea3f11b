import { MatchMessage } from '@mirrorwatch/schemas';
import { describe, expect, it } from 'vitest';
import { toMatchMessage } from './match-message.js';
import type { RecentAccount } from './stores.js';

const candidate: RecentAccount = {
  account: 'x:m1',
  platform: 'x',
  accountId: 'm1',
  handle: 'qasr_media_2',
  observedAt: Date.parse('2026-11-20T10:00:00Z'),
  signals: {},
  eventId: 'evt-1',
  receivedAt: '2026-11-20T10:00:01.000Z',
};
const banned = {
  ...candidate,
  account: 'telegram:p1',
  platform: 'telegram' as const,
  accountId: 'p1',
  handle: 'qasr_media',
  entity: 'qasr',
  bannedAt: Date.parse('2026-11-20T09:00:00Z'),
};
const result = {
  banned,
  score: {
    probability: 0.97,
    logit: 5,
    prior: -8,
    evidence: [{ signal: 'handle', level: 'close', weight: 6.123456, detail: 'similar name' }],
  },
};
const trigger = { eventId: 'evt-1', receivedAt: candidate.receivedAt };

describe('toMatchMessage', () => {
  it('builds a valid match naming both accounts, with the evidence', () => {
    const message = toMatchMessage(
      candidate,
      result,
      'candidate',
      trigger,
      'v1',
      new Date('2026-11-20T10:00:02Z'),
    );
    expect(MatchMessage.parse(message)).toEqual(message);
    expect(message.banned).toMatchObject({ platform: 'telegram', accountId: 'p1', entity: 'qasr' });
    expect(message.evidence).toEqual([
      { signal: 'handle', level: 'close', weight: 6.123, detail: 'similar name' },
    ]);
  });

  it('gives the same id when the same event is processed again, and another for another event', () => {
    const first = toMatchMessage(candidate, result, 'candidate', trigger, 'v1', new Date());
    const replayed = toMatchMessage(
      candidate,
      result,
      'candidate',
      trigger,
      'v1',
      new Date(Date.now() + 5000),
    );
    const later = toMatchMessage(
      candidate,
      result,
      'candidate',
      { ...trigger, eventId: 'evt-2' },
      'v1',
      new Date(),
    );
    expect(replayed.matchId).toBe(first.matchId);
    expect(later.matchId).not.toBe(first.matchId);
  });
});
