import { randomUUID } from 'node:crypto';
import type { BannedFingerprint } from '@mirrorwatch/engine';
import { createPseudonymizer, toAccountEventMessage } from '@mirrorwatch/identifiers';
import { groupLag } from '@mirrorwatch/kafka';
import { readTopic, type TopicReader } from '@mirrorwatch/kafka/testing';
import { RedisCandidateIndex, RedisRecentWindow } from '@mirrorwatch/redis-index';
import { type AccountEventMessage, type Event, type MatchMessage, TOPICS } from '@mirrorwatch/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectInfra, serviceEnv, type TestInfra } from '../support/fixtures.js';
import { blandProfile, groupProfile, mirrorOf, type Profile } from '../support/profiles.js';
import { type ServiceProcess, startServiceProcess } from '../support/service-process.js';

// Two matchers share the account-events partitions; mid-stream a third joins, then one of the
// first two leaves on SIGTERM. Every event must still be handled at least once and the group's
// committed lag must reach 0.

const GROUPS = 24;
const MIRRORS_PER_GROUP = 4;
/** Events sent before the third matcher starts, and after the leaver has gone. */
const PHASE_EVENTS = 1000;
/** Pace of the stream: this many events every TICK_MS. */
const PER_TICK = 25;
const TICK_MS = 100;
const PLATFORM = 'telegram' as const;

interface Sent {
  eventId: string;
  /** `platform:accountId`, as the indexes key it. */
  account: string;
  accountId: string;
  kind: 'ban' | 'mirror' | 'bland';
}

/** The matcher's handled-events counter, summed over event types, from its /metrics. */
async function handledBy(matcher: ServiceProcess): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${matcher.port}/metrics`).then((response) => response.text());
  return text
    .split('\n')
    .filter((line) => line.startsWith('mirrorwatch_matcher_events_total'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('matchers joining and leaving one consumer group mid-stream', () => {
  let infra: TestInfra;
  let matches: TopicReader;
  const matchers: ServiceProcess[] = [];

  beforeAll(async () => {
    infra = await connectInfra();
    matches = await readTopic(infra.kafka, 'matches', infra.unique('rebalance-matches'));
  });

  afterAll(async () => {
    for (const matcher of matchers) await matcher.kill('SIGKILL');
    await matches?.close();
    await infra?.close();
  });

  it('loses no event across a join and a leave: every event handled, committed lag 0', async () => {
    const run = randomUUID().slice(0, 8);
    const groupId = infra.unique('rebalance-matcher');
    const env = serviceEnv(infra, { MATCHER_GROUP_ID: groupId, MATCHER_CHUNK_SIZE: '50' });
    const pseudonymizer = createPseudonymizer({ pepper: 'rebalance-test-pepper-0123456789' });

    // The group starts at the topic's current end, so it handles this test's events only.
    const admin = infra.kafka.admin();
    await admin.connect();
    const topic = TOPICS.accountEvents.name;
    const ends = await admin.fetchTopicOffsets(topic);
    expect(ends.length).toBeGreaterThanOrEqual(6);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
    });
    const members = async () => {
      const { groups } = await admin.describeGroups([groupId]);
      const [group] = groups;
      return group?.state === 'Stable' ? group.members.length : -1;
    };

    // The stream: bans first, then new accounts, the mirrors spread through the bland ones.
    const groups = Array.from({ length: GROUPS }, (_, n) => groupProfile(`${run}r${n}`));
    const mirrors = groups.flatMap((group) =>
      Array.from({ length: MIRRORS_PER_GROUP }, (_, n) => mirrorOf(group, `${group.id}-m${n}`)),
    );
    const sent: Sent[] = [];
    let blandCount = 0;
    const nextEvent = (): { profile: Profile; kind: Sent['kind'] } => {
      const position = sent.length;
      if (position < groups.length) return { profile: groups[position] as Profile, kind: 'ban' };
      // One mirror in every 20 events from the 300th on, until they run out.
      const mirror = position >= 300 && position % 20 === 0 ? mirrors[(position - 300) / 20] : undefined;
      if (mirror) return { profile: mirror, kind: 'mirror' };
      blandCount += 1;
      return { profile: blandProfile(`${run}-${blandCount}`), kind: 'bland' };
    };
    const send = async (count: number) => {
      const batch: AccountEventMessage[] = [];
      for (let n = 0; n < count; n += 1) {
        const { profile, kind } = nextEvent();
        const common = { eventId: `rebalance-${run}-${sent.length}`, occurredAt: new Date().toISOString() };
        const event: Event =
          kind === 'ban'
            ? {
                ...common,
                type: 'account.banned',
                account: profile,
                ban: { reason: 'proscribed organisation', entity: `entity-${profile.id}` },
              }
            : { ...common, type: 'account.created', account: profile };
        batch.push(toAccountEventMessage(event, PLATFORM, new Date(), pseudonymizer));
        sent.push({
          eventId: event.eventId,
          account: `${PLATFORM}:${profile.id}`,
          accountId: profile.id,
          kind,
        });
      }
      await infra.producer.send(
        'accountEvents',
        batch.map((value) => ({ key: `${value.platform}:${value.account.id}`, value })),
      );
    };
    const tick = async () => {
      await send(PER_TICK);
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    };

    try {
      // Two members share the six partitions before the stream starts.
      const [first, second] = await Promise.all([
        startServiceProcess('matcher', env),
        startServiceProcess('matcher', env),
      ]);
      matchers.push(first, second);
      await expect.poll(members, { timeout: 30_000, interval: 250 }).toBe(2);

      while (sent.length < PHASE_EVENTS) await tick();

      // A third member joins while events keep arriving; wait until it has handled some.
      let third: ServiceProcess | undefined;
      const joining = startServiceProcess('matcher', env).then((started) => {
        third = started;
        matchers.push(started);
      });
      while (third === undefined || (await handledBy(third)) === 0) {
        await tick();
        if (sent.length > 6 * PHASE_EVENTS) throw new Error('the third matcher never handled an event');
      }
      await joining;
      const joinedAt = sent.length;

      // One of the first two leaves (graceful: finishes its chunk, commits, leaves the group)
      // while the stream goes on.
      const leaverHandled = await handledBy(first);
      const leaving = first.kill('SIGTERM');
      while (first.child.exitCode === null && first.child.signalCode === null) await tick();
      await leaving;
      const leftAt = sent.length;
      for (let n = 0; n < PHASE_EVENTS / PER_TICK; n += 1) await tick();
      // Every mirror was sent whatever the timing above.
      while (sent.filter((event) => event.kind === 'mirror').length < mirrors.length) await tick();

      expect(first.child.exitCode).toBe(0);
      expect(leaverHandled).toBeGreaterThan(0);

      // The group drains: everything sent is committed by the two members left.
      await expect
        .poll(() => groupLag(infra.kafka, groupId, 'accountEvents'), { timeout: 45_000, interval: 500 })
        .toBe(0);
      expect(await members()).toBe(2);

      // Every event was handled: each ban is in the banned index, each new account in the recent
      // window under the event that brought it.
      const banned = new RedisCandidateIndex<BannedFingerprint>({ redis: infra.redis, namespace: 'banned' });
      const recent = new RedisRecentWindow<BannedFingerprint & { eventId: string }>({
        redis: infra.redis,
        windowSeconds: 3600,
      });
      const bans = sent.filter((event) => event.kind === 'ban');
      const created = sent.filter((event) => event.kind !== 'ban');
      const bannedEntries = await banned.getMany(bans.map((event) => event.account));
      expect(bans.filter((_, n) => bannedEntries[n] === undefined).map((event) => event.eventId)).toEqual([]);
      const recentEntries = await recent.getMany(created.map((event) => event.account));
      expect(
        created
          .filter((event, n) => recentEntries[n]?.eventId !== event.eventId)
          .map((event) => event.eventId),
      ).toEqual([]);

      // And every mirror of a banned group was matched to its parent.
      const ours = new Set(mirrors.map((mirror) => mirror.id));
      const matched = new Map<string, Set<string>>();
      await expect
        .poll(
          () => {
            for (const value of matches.values as MatchMessage[]) {
              if (!ours.has(value.candidate.accountId)) continue;
              const parents = matched.get(value.candidate.accountId) ?? new Set<string>();
              parents.add(value.banned.accountId);
              matched.set(value.candidate.accountId, parents);
            }
            return mirrors.filter((mirror) => !matched.has(mirror.id)).map((mirror) => mirror.id);
          },
          { timeout: 15_000, interval: 500 },
        )
        .toEqual([]);
      for (const mirror of mirrors)
        expect([...(matched.get(mirror.id) ?? [])]).toContain(mirror.id.replace(/-m\d+$/, ''));

      // The rebalances really happened mid-stream, with events before, between and after.
      expect(joinedAt).toBeGreaterThan(PHASE_EVENTS);
      expect(leftAt).toBeGreaterThan(joinedAt);
      expect(sent.length).toBeGreaterThanOrEqual(leftAt + PHASE_EVENTS);
    } finally {
      await admin.disconnect();
    }
  }, 120_000);
});
