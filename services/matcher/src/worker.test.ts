import {
  type AccountFingerprint,
  type BannedFingerprint,
  CountingFrequencies,
  createDefaultRegistry,
  defaultModel,
  MemoryIndex,
} from '@mirrorwatch/engine';
import { createPseudonymizer, toAccountEventMessage } from '@mirrorwatch/identifiers';
import type { OutgoingMessage, ReceivedMessage, TypedProducer } from '@mirrorwatch/kafka';
import { createLogger } from '@mirrorwatch/logger';
import type { Event } from '@mirrorwatch/schemas';
import { describe, expect, it } from 'vitest';
import { createMatcherMetrics } from './metrics.js';
import type { BatchIndex, MatcherStores } from './stores.js';
import { createWorker, distinctAccountSegments } from './worker.js';

const item = (account: string, n: number) => ({ profile: { account }, n });

describe('distinctAccountSegments', () => {
  it('keeps a chunk whole when no account repeats', () => {
    const items = [item('x:1', 0), item('x:2', 1), item('telegram:1', 2)];
    expect(distinctAccountSegments(items)).toEqual([items]);
  });

  it('starts a new run at each repeated account, keeping order', () => {
    const items = [item('x:1', 0), item('x:2', 1), item('x:1', 2), item('x:3', 3), item('x:1', 4)];
    const runs = distinctAccountSegments(items).map((run) => run.map((entry) => entry.n));
    expect(runs).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('gives nothing for nothing', () => {
    expect(distinctAccountSegments([])).toEqual([]);
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

function memoryStores(): MatcherStores {
  const counts = new CountingFrequencies();
  return {
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

function harness() {
  const sent: OutgoingMessage<'matches'>[] = [];
  const producer = {
    async send(_topic: string, messages: OutgoingMessage<'matches'>[]) {
      sent.push(...messages);
    },
  } as unknown as TypedProducer;
  const handle = createWorker({
    stores: memoryStores(),
    registry: createDefaultRegistry(),
    model: defaultModel(),
    producer,
    metrics: createMatcherMetrics(),
    candidateLimit: 50,
    recentWindowMs: 72 * 3_600_000,
  });
  const context = { log: createLogger({ name: 'test', level: 'silent' }), heartbeat: async () => undefined };
  return { sent, run: (events: ReceivedMessage<'accountEvents'>[]) => handle(events, context) };
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
