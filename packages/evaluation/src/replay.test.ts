import { createDefaultRegistry } from '@mirrorwatch/engine';
import { createPseudonymizer } from '@mirrorwatch/identifiers';
import type { Event } from '@mirrorwatch/schemas';
import { describe, expect, it } from 'vitest';
import { replay } from './replay.js';

const registry = createDefaultRegistry();
const pseudonymizer = createPseudonymizer({ pepper: 'a-test-pepper-of-some-length' });
const logo = 'a'.repeat(64);
const account = (id: string, handle: string, extra: Partial<Event['account']> = {}) => ({
  id,
  handle,
  avatarPdq: logo,
  ...extra,
});
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1) + minutes * 60_000).toISOString();

describe('replay', () => {
  it('finds a mirror created after the ban, and a backup created before it by retro-hunting', () => {
    const events = [
      {
        platform: 'telegram' as const,
        event: {
          eventId: '1',
          type: 'account.created' as const,
          occurredAt: at(0),
          account: account('p', 'qasr_media', { deviceId: 'd1' }),
        },
      },
      {
        platform: 'telegram' as const,
        event: {
          eventId: '2',
          type: 'account.created' as const,
          occurredAt: at(100),
          account: account('backup', 'qasr_media_backup', { deviceId: 'd1' }),
        },
      },
      {
        platform: 'telegram' as const,
        event: {
          eventId: '3',
          type: 'account.banned' as const,
          occurredAt: at(120),
          account: account('p', 'qasr_media', { deviceId: 'd1' }),
          ban: { reason: 'r', entity: 'Qasr' },
        },
      },
      {
        platform: 'telegram' as const,
        event: {
          eventId: '4',
          type: 'account.created' as const,
          occurredAt: at(130),
          account: account('mirror', 'qasr_med1a', { deviceId: 'd1' }),
        },
      },
      {
        platform: 'x' as const,
        event: {
          eventId: '5',
          type: 'account.created' as const,
          occurredAt: at(140),
          account: { id: 'other', handle: 'gardening_tips' },
        },
      },
    ];
    const { pairs } = replay(events, { registry, pseudonymizer });
    const byCandidate = (candidate: string) => pairs.filter((pair) => pair.candidate === candidate);
    expect(byCandidate('telegram:backup')).toMatchObject([
      { banned: 'telegram:p', via: 'retro-hunt', bannedEntity: 'Qasr' },
    ]);
    expect(byCandidate('telegram:mirror')).toMatchObject([{ banned: 'telegram:p', via: 'candidate' }]);
    expect(byCandidate('telegram:mirror')[0]?.levels).toMatchObject({
      device: 'same',
      avatar: 'near-identical',
      timing: 'within-1h',
    });
    expect(byCandidate('x:other')).toEqual([]);
  });

  it('stops matching against a reinstated account', () => {
    const events = [
      {
        platform: 'x' as const,
        event: {
          eventId: '1',
          type: 'account.banned' as const,
          occurredAt: at(0),
          account: account('p', 'qasr_media'),
          ban: { reason: 'r', entity: 'Qasr' },
        },
      },
      {
        platform: 'x' as const,
        event: {
          eventId: '2',
          type: 'account.reinstated' as const,
          occurredAt: at(60),
          account: account('p', 'qasr_media'),
        },
      },
      {
        platform: 'x' as const,
        event: {
          eventId: '3',
          type: 'account.created' as const,
          occurredAt: at(90),
          account: account('copy', 'qasr_media2'),
        },
      },
    ];
    expect(replay(events, { registry, pseudonymizer }).pairs).toEqual([]);
  });
});
