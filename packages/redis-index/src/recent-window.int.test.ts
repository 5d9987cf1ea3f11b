import { type BannedFingerprint, bruteForceCandidates } from '@mirrorwatch/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexKeys } from './keys.js';
import { type RecentWindowOptions, RedisRecentWindow } from './recent-window.js';
import { ANY_TEXT_FRAGMENTS, ANY_TEXT_KEYS, bannedEntry, randomItems } from './testing/entries.js';
import {
  connectTestRedis,
  countTraffic,
  REDIS_DEPLOYMENTS,
  roundTrips,
  type TestRedis,
} from './testing/redis.js';

const summary = (candidates: { entry: BannedFingerprint; hits: number }[]) =>
  candidates.map((candidate) => `${candidate.entry.account}#${candidate.hits}`);

const WINDOW = 100;
const SLICE = 25;

for (const deployment of REDIS_DEPLOYMENTS) {
  describe(`RedisRecentWindow on ${deployment.name}`, () => {
    let test: TestRedis;
    // A clock the tests move; it starts at Redis's own time, so expiry times can be checked.
    let clock = 0;
    beforeEach(async () => {
      test = await connectTestRedis(deployment.url());
      clock = Date.now();
    });
    afterEach(() => test.close());

    const createWindow = (options: Partial<RecentWindowOptions> = {}) =>
      new RedisRecentWindow<BannedFingerprint>({
        redis: test.redis,
        windowSeconds: WINDOW,
        sliceSeconds: SLICE,
        maxBucketSize: 10,
        now: () => clock,
        ...options,
      });
    const sliceKey = (key: string, at: number) =>
      `idx:recent:w:{recent:${indexKeys('recent').bucketShard(key)}}:${Math.floor(at / 1000 / SLICE)}`;
    const rounds = (count: number) => roundTrips(deployment, count);

    it('answers as brute force over the entries written within the window', async () => {
      const window = createWindow();
      const { items, queries } = randomItems(11, 300, 120);
      // Written in batches spread over three slices of the window.
      for (let batch = 0; batch < 3; batch += 1) {
        await window.upsertMany(items.slice(batch * 100, batch * 100 + 100));
        clock += 30_000;
      }
      for (const limit of [3, 50]) {
        const answers = await window.candidatesMany(queries, { limit });
        queries.forEach((query, n) => {
          expect(summary(answers[n] ?? [])).toEqual(
            summary(bruteForceCandidates(items, query, { limit, maxBucketSize: 10 })),
          );
        });
      }
    });

    it('files keys of any text under exactly that key: multi-byte characters, spaces, digits, newlines', async () => {
      const window = createWindow();
      const keys = ANY_TEXT_KEYS;
      await window.upsertMany([
        { entry: bannedEntry('x:1'), keys },
        { entry: bannedEntry('x:2'), keys: keys.slice(0, 2) },
      ]);
      for (const [n, key] of keys.entries())
        expect(summary((await window.candidatesMany([[key]]))[0] ?? [])).toEqual(
          n < 2 ? ['x:1#1', 'x:2#1'] : ['x:1#1'],
        );
      // A key that is a prefix or a neighbour's fragment of one written finds nothing.
      expect(await window.candidatesMany(ANY_TEXT_FRAGMENTS.map((fragment) => [fragment]))).toEqual(
        ANY_TEXT_FRAGMENTS.map(() => []),
      );
    });

    it('reads more keys of one shard than one HMGET is given (over 1,000 per shard)', async () => {
      const window = createWindow({ maxBucketSize: 100 });
      const keys = Array.from({ length: 70_000 }, (_, n) => `bio:${n}`);
      const perShard = new Map<number, number>();
      for (const key of keys) {
        const shard = indexKeys('recent').bucketShard(key);
        perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
      }
      expect(Math.min(...perShard.values())).toBeGreaterThan(1000);
      await window.upsertMany([
        { entry: bannedEntry('x:1'), keys },
        { entry: bannedEntry('x:2'), keys: keys.filter((_, n) => n % 7 === 0) },
      ]);
      // Two queries read together: every id must come back under its own key.
      const answers = await window.candidatesMany([keys.slice(0, 35_000), keys.slice(35_000)]);
      expect(answers.map(summary)).toEqual([
        ['x:1#35000', 'x:2#5000'],
        ['x:1#35000', 'x:2#5000'],
      ]);
    });

    it('replaces an account written again: only its new keys find it, and its old record is gone', async () => {
      const window = createWindow();
      await window.upsertMany([
        { entry: bannedEntry('x:1', 'old'), keys: ['handle:a', 'links:l'] },
        { entry: bannedEntry('x:2'), keys: ['handle:a'] },
      ]);
      const before = await test.keys();
      await window.upsertMany([{ entry: bannedEntry('x:1', 'new'), keys: ['handle:b'] }]);

      expect(
        summary(
          await window.candidatesMany([['handle:a', 'links:l', 'handle:b']]).then(([found]) => found ?? []),
        ),
      ).toEqual(['x:1#1', 'x:2#1']);
      expect(await window.candidatesMany([['links:l']])).toEqual([[]]);
      expect((await window.getMany(['x:1']))[0]?.entity).toBe('new');
      const records = (keys: string[]) => keys.filter((key) => key.startsWith('idx:recent:d:'));
      expect(records(await test.keys())).toHaveLength(2);
      expect(records(await test.keys())).not.toEqual(records(before));
    });

    it('removes accounts, saying which were there', async () => {
      const window = createWindow();
      await window.upsertMany([
        { entry: bannedEntry('x:1'), keys: ['handle:a'] },
        { entry: bannedEntry('x:2'), keys: ['handle:a'] },
      ]);
      expect(await window.removeMany(['x:1', 'x:missing', 'x:1'])).toEqual([true, false, false]);
      expect(await window.getMany(['x:1', 'x:2'])).toEqual([undefined, bannedEntry('x:2')]);
      expect(summary((await window.candidatesMany([['handle:a']]))[0] ?? [])).toEqual(['x:2#1']);
      expect((await test.keys()).filter((key) => key.startsWith('idx:recent:d:'))).toHaveLength(1);
    });

    it('finds entries for the whole window across slices; each slice hash expires as a whole after it', async () => {
      const window = createWindow();
      await window.upsertMany([{ entry: bannedEntry('x:early'), keys: ['handle:a'] }]);
      const early = clock;
      clock += 60_000;
      await window.upsertMany([{ entry: bannedEntry('x:late'), keys: ['handle:a'] }]);
      expect(summary((await window.candidatesMany([['handle:a']]))[0] ?? [])).toEqual([
        'x:early#1',
        'x:late#1',
      ]);

      // A slice's hash lives until the slice has ended and a whole window has passed.
      const sliceEnd = (Math.floor(early / 1000 / SLICE) + 1) * SLICE;
      expect(await test.redis.call('EXPIRETIME', sliceKey('handle:a', early))).toBe(sliceEnd + WINDOW);
      // Records and account keys live a window from their write.
      const entryKeys = (await test.keys()).filter((key) => /^idx:recent:[ad]:/.test(key));
      expect(entryKeys).toHaveLength(4);
      for (const key of entryKeys)
        expect(await test.redis.ttl(key)).toSatisfy((ttl: number) => ttl > 0 && ttl <= WINDOW);

      // Past the window, the early slice is no longer read.
      clock = early + (WINDOW + SLICE) * 1000;
      expect(summary((await window.candidatesMany([['handle:a']]))[0] ?? [])).toEqual(['x:late#1']);
    });

    it('stops growing a bucket once it holds more than maxBucketSize ids, and ignores it', async () => {
      const window = createWindow();
      await window.upsertMany(
        Array.from({ length: 40 }, (_, n) => ({
          entry: bannedEntry(`x:${n}`),
          keys: ['avatar:default', `handle:${n}`],
        })),
      );
      const stored = (await test.redis.hget(sliceKey('avatar:default', clock), 'avatar:default')) ?? '';
      const ids = stored.split(',');
      expect(ids.length).toBeGreaterThan(10);
      expect(ids.length).toBeLessThan(40);
      expect(await window.candidatesMany([['avatar:default']])).toEqual([[]]);
      expect(summary((await window.candidatesMany([['avatar:default', 'handle:7']]))[0] ?? [])).toEqual([
        'x:7#1',
      ]);
    });

    it('writes a batch in one round trip once ids are reserved, reading nothing first', async () => {
      const window = createWindow({ idBlockSize: 100 });
      const batch = (from: number, entity = 'e') =>
        Array.from({ length: 20 }, (_, n) => ({
          entry: bannedEntry(`x:${from + n}`, entity),
          keys: [`handle:${from + n}`, 'links:shared'],
        }));
      const traffic = countTraffic(test.redis);
      try {
        const { measure } = traffic;
        // The first batch reserves a block of ids.
        expect(await measure(() => window.upsertMany(batch(0)))).toEqual(rounds(2));
        expect(await measure(() => window.upsertMany(batch(20)))).toEqual(rounds(1));
        // Accounts written again: one more round trip deletes the records they replace.
        expect(await measure(() => window.upsertMany(batch(0, 'again')))).toEqual(rounds(2));
        expect(await measure(() => window.candidatesMany([['handle:3'], ['handle:30']]))).toEqual(rounds(2));
      } finally {
        traffic.restore();
      }
      expect((await window.getMany(['x:3', 'x:30'])).map((entry) => entry?.entity)).toEqual(['again', 'e']);
    });

    it('refuses a window or slice that is not a positive whole number of seconds', () => {
      expect(() => createWindow({ windowSeconds: 0 })).toThrow(/windowSeconds/);
      expect(() => createWindow({ sliceSeconds: 1.5 })).toThrow(/sliceSeconds/);
    });
  });
}
