import {
  type AccountFingerprint,
  type BannedFingerprint,
  CountingFrequencies,
  createDefaultRegistry,
  defaultModel,
  MemoryIndex,
  type ScoringModel,
} from '@mirrorwatch/engine';
import { createPseudonymizer, toAccountEventMessage } from '@mirrorwatch/identifiers';
import type { OutgoingMessage, ReceivedMessage, TypedProducer } from '@mirrorwatch/kafka';
import { createLogger } from '@mirrorwatch/logger';
import type { DecisionMessage, Event } from '@mirrorwatch/schemas';
import { describe, expect, it } from 'vitest';
import { createMatcherMetrics } from './metrics.js';
import type { BatchIndex, MatcherStores, ShadowDifference } from './stores.js';
import { createWorker, raceFreeSegments } from './worker.js';

const item = (account: string, n: number) => ({ profile: { account }, n });

describe('raceFreeSegments', () => {
  it('keeps a chunk whole when no account repeats', () => {
    const items = [item('x:1', 0), item('x:2', 1), item('telegram:1', 2)];
    expect(raceFreeSegments(items)).toEqual([items]);
  });

  it('starts a new run at each repeated account, keeping order', () => {
    const items = [item('x:1', 0), item('x:2', 1), item('x:1', 2), item('x:3', 3), item('x:1', 4)];
    const runs = raceFreeSegments(items).map((run) => run.map((entry) => entry.n));
    expect(runs).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('gives nothing for nothing', () => {
    expect(raceFreeSegments([])).toEqual([]);
  });

  it('keeps repeats that may share a run together, and splits at the others', () => {
    const kinds = (kind: string, account: string, n: number) => ({ kind, ...item(account, n) });
    const items = [
      kinds('profile', 'x:1', 0),
      kinds('profile', 'x:2', 1),
      kinds('profile', 'x:1', 2),
      kinds('ban', 'x:1', 3),
      kinds('profile', 'x:1', 4),
      kinds('profile', 'x:1', 5),
    ];
    const profiles = (earlier: { kind: string }, later: { kind: string }) =>
      earlier.kind === 'profile' && later.kind === 'profile';
    const runs = raceFreeSegments(items, profiles).map((run) => run.map((entry) => entry.n));
    expect(runs).toEqual([[0, 1, 2], [3], [4, 5]]);
  });
});

/** The worker's store contract over in-memory indexes: pure logic, no Redis. */
function memoryBatchIndex<E extends AccountFingerprint>(): BatchIndex<E> {
  const index = new MemoryIndex<E>();
  return {
    async upsertMany(items) {
      for (const { entry, keys } of items) index.upsertSync(entry, keys);
    },
    async removeMany(accounts) {
      return accounts.map((account) => index.removeSync(account));
    },
    async getMany(accounts) {
      return Promise.all(accounts.map((account) => index.get(account)));
    },
    async candidatesMany(queries, options) {
      return queries.map((keys) => index.candidatesSync(keys, options));
    },
  };
}

function memoryStores(differences: ShadowDifference[] = []): MatcherStores {
  const counts = new CountingFrequencies();
  return {
    shadow: {
      async record(found) {
        differences.push(...found);
      },
    },
    banned: memoryBatchIndex<BannedFingerprint>(),
    recent: memoryBatchIndex(),
    frequencies: {
      async observeMany(keySets) {
        for (const keys of keySets) counts.observe(keys);
      },
      async snapshot() {
        return counts;
      },
    },
  };
}

const pseudonymizer = createPseudonymizer({ pepper: 'unit-test-pepper-0123456789' });
const parent = {
  id: 'p1',
  handle: 'sawt_al_qasr',
  displayName: 'Sawt al-Qasr Media',
  bio: 'official releases statements and news of the qasr foundation share before deletion',
  links: ['https://t.me/+QasrInv1te'],
  avatarPdq: 'e64cc9d91e623842f8d1f1d9a398e78c9f199a3bd87924f2b7e11e0bf061b064',
  phone: '+447700900123',
  followees: Array.from({ length: 30 }, (_, n) => `circle-${n}`),
};

let offset = 0;
function received(
  type: Event['type'],
  account: Record<string, unknown>,
  at: string,
): ReceivedMessage<'accountEvents'> {
  offset += 1;
  const event = {
    eventId: `evt-${offset}`,
    type,
    occurredAt: at,
    account,
    ...(type === 'account.banned' ? { ban: { reason: 'proscribed', entity: 'qasr' } } : {}),
  } as Event;
  return {
    value: toAccountEventMessage(event, 'telegram', new Date(at), pseudonymizer),
    key: null,
    partition: 0,
    offset: String(offset),
    timestamp: Date.parse(at),
  };
}

function harness({ shadowModel }: { shadowModel?: ScoringModel } = {}) {
  const sent: OutgoingMessage<'matches'>[] = [];
  const differences: ShadowDifference[] = [];
  const producer = {
    async send(_topic: string, messages: OutgoingMessage<'matches'>[]) {
      sent.push(...messages);
    },
  } as unknown as TypedProducer;
  const worker = createWorker({
    stores: memoryStores(differences),
    registry: createDefaultRegistry(),
    model: defaultModel(),
    ...(shadowModel && { shadowModel }),
    producer,
    metrics: createMatcherMetrics(),
    candidateLimit: 50,
    recentWindowMs: 72 * 3_600_000,
  });
  const context = { log: createLogger({ name: 'test', level: 'silent' }), heartbeat: async () => undefined };
  return {
    sent,
    differences,
    run: (events: ReceivedMessage<'accountEvents'>[]) => worker.handleEvents(events, context),
    decide: (decisions: DecisionMessage[]) =>
      worker.handleDecisions(
        decisions.map((value, n) => ({ value, key: null, partition: 0, offset: String(n), timestamp: 0 })),
        context,
      ),
  };
}

function decision(decision: DecisionMessage['decision'], candidateId: string): DecisionMessage {
  return {
    schemaVersion: 1,
    alertId: `al_${'0'.repeat(24)}`,
    decision,
    decidedBy: 'moderator-1',
    decidedAt: '2026-11-20T10:30:00.000Z',
    candidate: { platform: 'telegram', accountId: candidateId },
    banned: [{ account: 'telegram:p1', entity: 'qasr' }],
  };
}

describe('the worker on one chunk', () => {
  it('finds a mirror and its parent ban arriving in the same chunk, in either order', async () => {
    for (const order of ['ban-first', 'mirror-first']) {
      const { sent, run } = harness();
      const ban = received('account.banned', parent, '2026-11-20T10:00:00Z');
      const mirror = received(
        'account.created',
        { ...parent, id: 'm1', handle: 'sawt_al_qasr2' },
        '2026-11-20T10:05:00Z',
      );
      await run(order === 'ban-first' ? [ban, mirror] : [mirror, ban]);
      const pairs = new Set(
        sent.map((message) => `${message.value.candidate.accountId}>${message.value.banned.accountId}`),
      );
      expect([...pairs], order).toEqual(['m1>p1']);
    }
  });

  it('retro-hunts backups inside the window only, and never matches a banned account to itself', async () => {
    const { sent, run } = harness();
    await run([
      received(
        'account.created',
        { ...parent, id: 'old', handle: 'sawt_al_qasr_old' },
        '2026-11-10T10:00:00Z',
      ),
      received(
        'account.created',
        { ...parent, id: 'b1', handle: 'sawt_al_qasr_backup' },
        '2026-11-20T09:50:00Z',
      ),
    ]);
    expect(sent).toEqual([]);
    await run([received('account.banned', parent, '2026-11-20T10:00:00Z')]);
    expect(sent.map((message) => [message.value.candidate.accountId, message.value.via])).toEqual([
      ['b1', 'retro-hunt'],
    ]);
    expect(sent[0]?.value.trigger.eventId).not.toBe(sent[0]?.value.candidate.eventId);
  });

  it('matches both profiles of an account created and changed in one chunk, and keeps the later one', async () => {
    const { sent, run } = harness();
    const bland = { id: 'r1', handle: 'garden_notes_daily', bio: 'photos of my allotment' };
    await run([
      received('account.banned', parent, '2026-11-20T10:00:00Z'),
      received('account.created', bland, '2026-11-20T10:01:00Z'),
      received('account.updated', { ...parent, id: 'r1', handle: 'sawt_al_qasr_r' }, '2026-11-20T10:02:00Z'),
      received('account.updated', { ...parent, id: 'r1', handle: 'sawt_al_qasr_r1' }, '2026-11-20T10:03:00Z'),
    ]);
    // The bland profile matches nothing; each renamed one is matched on its own (the ban's
    // retro-hunt, in the same run, also finds the window's one profile of r1: the last).
    const candidates = sent.filter(({ value }) => value.via === 'candidate');
    expect(candidates.map(({ value }) => [value.candidate.accountId, value.candidate.handle])).toEqual([
      ['r1', 'sawt_al_qasr_r'],
      ['r1', 'sawt_al_qasr_r1'],
    ]);
    expect(
      sent.filter(({ value }) => value.via === 'retro-hunt').map(({ value }) => value.candidate.handle),
    ).toEqual(['sawt_al_qasr_r1']);
    // The window keeps the last profile: a new ban's retro-hunt finds that one.
    sent.length = 0;
    await run([received('account.banned', { ...parent, id: 'p2' }, '2026-11-20T10:10:00Z')]);
    expect(sent.map(({ value }) => [value.candidate.accountId, value.candidate.handle, value.via])).toEqual([
      ['r1', 'sawt_al_qasr_r1', 'retro-hunt'],
    ]);
  });

  it('stops matching against an account once it is reinstated', async () => {
    const { sent, run } = harness();
    await run([received('account.banned', parent, '2026-11-20T10:00:00Z')]);
    await run([received('account.reinstated', parent, '2026-11-20T11:00:00Z')]);
    await run([
      received('account.created', { ...parent, id: 'm2', handle: 'sawt_al_qasr_2' }, '2026-11-20T12:00:00Z'),
    ]);
    expect(sent).toEqual([]);
  });
});

describe('the feedback loop and reports', () => {
  const mirror = { ...parent, id: 'm1', handle: 'sawt_al_qasr2', phone: '+447700900999' };
  // Shares only the mirror's new phone and handle core with it: nothing of the parent's phone.
  const mirrorOfMirror = { ...mirror, id: 'mm1', handle: 'sawt_al_qasr3' };

  it('bans a confirmed mirror in turn, so its own mirror is caught; a dismissal indexes nothing', async () => {
    const { sent, run, decide } = harness();
    await run([received('account.banned', parent, '2026-11-20T10:00:00Z')]);
    await run([received('account.created', mirror, '2026-11-20T10:05:00Z')]);
    expect(sent.map((message) => message.value.candidate.accountId)).toEqual(['m1']);

    await decide([decision('dismiss', 'm1')]);
    await run([received('account.created', { ...mirrorOfMirror, id: 'mm0' }, '2026-11-20T10:31:00Z')]);
    expect(sent.filter((message) => message.value.banned.accountId === 'm1')).toEqual([]);

    await decide([decision('confirm', 'm1')]);
    await run([received('account.created', mirrorOfMirror, '2026-11-20T10:40:00Z')]);
    const ofMirror = sent.filter(
      (message) => message.value.candidate.accountId === 'mm1' && message.value.banned.accountId === 'm1',
    );
    expect(ofMirror).toHaveLength(1);
    expect(ofMirror[0]?.value.banned.entity).toBe('qasr');
    expect(ofMirror[0]?.value.banned.bannedAt).toBe('2026-11-20T10:30:00.000Z');
  });

  it('confirming retro-hunts the recent window for the confirmed mirror, like any ban', async () => {
    const { sent, run, decide } = harness();
    await run([received('account.banned', parent, '2026-11-20T10:00:00Z')]);
    await run([received('account.created', mirror, '2026-11-20T10:05:00Z')]);
    await run([received('account.created', mirrorOfMirror, '2026-11-20T10:06:00Z')]);
    sent.length = 0;
    await decide([decision('confirm', 'm1')]);
    expect(
      sent.map(({ value }) => [
        value.candidate.accountId,
        value.banned.accountId,
        value.via,
        value.trigger.eventId,
      ]),
    ).toEqual([['mm1', 'm1', 'retro-hunt', `decision:al_${'0'.repeat(24)}`]]);
  });

  it('turns a report into a match for review naming the reporter, beside any real match', async () => {
    const { sent, run } = harness();
    await run([received('account.banned', parent, '2026-11-20T10:00:00Z')]);
    const report = received('account.created', mirror, '2026-11-20T10:05:00Z');
    report.value = {
      ...report.value,
      type: 'account.reported',
      report: { source: 'hash-sharing-consortium', entity: 'qasr', reason: 'listed in designation notice' },
    };
    await run([report]);
    const byVia = new Map(sent.map(({ value }) => [value.via, value]));
    expect([...byVia.keys()].sort()).toEqual(['candidate', 'report']);
    const reported = byVia.get('report');
    expect(reported?.banned).toMatchObject({ accountId: 'report:hash-sharing-consortium', entity: 'qasr' });
    expect(reported?.evidence[0]?.detail).toContain('listed in designation notice');
    expect(reported?.score).toBe(defaultModel().reviewThreshold);
  });

  it('scores beside a shadow model without publishing its verdicts, recording where they differ', async () => {
    // A shadow model that never alerts: every live match is a difference, nothing more is sent.
    const shadowModel = {
      ...defaultModel(),
      version: 'shadow-strict',
      reviewThreshold: Number.POSITIVE_INFINITY,
    };
    const { sent, run, differences } = harness({ shadowModel });
    await run([received('account.banned', parent, '2026-11-20T10:00:00Z')]);
    await run([received('account.created', mirror, '2026-11-20T10:05:00Z')]);
    expect(sent).toHaveLength(1);
    expect(differences).toEqual([
      expect.objectContaining({
        candidate: 'telegram:m1',
        banned: 'telegram:p1',
        outcome: 'live-only',
        shadowVersion: 'shadow-strict',
      }),
    ]);
  });
});
