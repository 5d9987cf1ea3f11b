import type { MatchMessage } from '@mirrorwatch/schemas';
import { describe, expect, it } from 'vitest';
import { alertId } from './alert-id.js';
import { mergeMatch } from './merge.js';

function match(bannedId: string, score: number, overrides: Partial<MatchMessage> = {}): MatchMessage {
  return {
    schemaVersion: 1,
    matchId: `m-${bannedId}-${score}`,
    via: 'candidate',
    trigger: { eventId: 'evt-1', receivedAt: '2026-11-20T10:00:00.000Z' },
    candidate: {
      platform: 'x',
      accountId: 'c1',
      handle: 'qasr_2',
      eventId: 'evt-1',
      receivedAt: '2026-11-20T10:00:00.000Z',
    },
    banned: {
      platform: 'telegram',
      accountId: bannedId,
      handle: 'qasr',
      entity: 'qasr',
      bannedAt: '2026-11-20T09:00:00.000Z',
    },
    score,
    modelVersion: 'v1',
    evidence: [{ signal: 'handle', level: 'close', weight: 5, detail: 'similar name' }],
    matchedAt: '2026-11-20T10:00:00.100Z',
    ...overrides,
  };
}

const at = new Date('2026-11-20T10:00:00.250Z');

describe('alert ids', () => {
  it('are the same for the same candidate and entity, and differ otherwise', () => {
    expect(alertId('x', 'c1', 'qasr')).toBe(alertId('x', 'c1', 'qasr'));
    expect(alertId('x', 'c1', 'qasr')).toMatch(/^al_[0-9a-f]{24}$/);
    expect(alertId('x', 'c1', 'other')).not.toBe(alertId('x', 'c1', 'qasr'));
    expect(alertId('telegram', 'c1', 'qasr')).not.toBe(alertId('x', 'c1', 'qasr'));
  });
});

describe('mergeMatch', () => {
  it('creates an alert whose latency runs from the triggering event’s receipt', () => {
    const { body, outcome } = mergeMatch(undefined, match('p1', 0.9), at);
    expect(outcome).toBe('created');
    expect(body).toMatchObject({ id: alertId('x', 'c1', 'qasr'), score: 0.9, latencyMs: 250 });
    expect(body.matches).toEqual([expect.objectContaining({ accountId: 'p1', entity: 'qasr', score: 0.9 })]);
  });

  it('never adds the same pair twice, keeping the better score', () => {
    const created = mergeMatch(undefined, match('p1', 0.9), at).body;
    expect(mergeMatch(created, match('p1', 0.8), at).outcome).toBe('duplicate');
    expect(mergeMatch(created, match('p1', 0.9), at).outcome).toBe('duplicate');
    const better = mergeMatch(created, match('p1', 0.95), at);
    expect(better.outcome).toBe('updated');
    expect(better.body.matches).toHaveLength(1);
    expect(better.body.score).toBe(0.95);
  });

  it('collects another banned account of the entity, best first, keeping creation time and latency', () => {
    const created = mergeMatch(undefined, match('p1', 0.7), at).body;
    const { body, outcome } = mergeMatch(created, match('p2', 0.99), new Date('2026-11-20T11:00:00Z'));
    expect(outcome).toBe('updated');
    expect(body.matches.map((entry) => entry.accountId)).toEqual(['p2', 'p1']);
    expect(body.score).toBe(0.99);
    expect(body.createdAt).toBe(created.createdAt);
    expect(body.latencyMs).toBe(250);
  });

  it('never reports a negative latency when clocks disagree', () => {
    const { body } = mergeMatch(undefined, match('p1', 0.9), new Date('2026-11-20T09:59:59Z'));
    expect(body.latencyMs).toBe(0);
  });
});
