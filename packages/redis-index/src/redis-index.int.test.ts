import { type BannedFingerprint, bruteForceCandidates } from '@mirrorwatch/engine';
import { describeCandidateIndexConformance } from '@mirrorwatch/engine/conformance';
import { pipelined } from '@mirrorwatch/redis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBuckets } from './bucket-scripts.js';
import { indexKeys } from './keys.js';
import { packedArgument } from './packed.js';
import { OVER_FULL } from './ranking.js';
import { serialiseRecord } from './record.js';
import { RedisCandidateIndex, type RedisIndexOptions } from './redis-candidate-index.js';
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

// The same suites on a single Redis and on a three-master Redis Cluster.
for (const deployment of REDIS_DEPLOYMENTS) {
  describeCandidateIndexConformance(
    `RedisCandidateIndex on ${deployment.name}`,
    async () => {
      const test = await connectTestRedis(deployment.url());
      const index = new RedisCandidateIndex<BannedFingerprint>({
        redis: test.redis,
        namespace: 'conformance',
        maxBucketSize: 25,
      });
      return { index, close: test.close };
    },
    { maxBucketSize: 25 },
  );

  describe(`RedisCandidateIndex in ${deployment.name}`, () => {
    let test: TestRedis;
    beforeEach(async () => {
      test = await connectTestRedis(deployment.url());
    });
    const rounds = (count: number) => roundTrips(deployment, count);
    afterEach(() => test.close());

    const createIndex = (options: Partial<RedisIndexOptions> = {}) =>
      new RedisCandidateIndex<BannedFingerprint>({
        redis: test.redis,
        namespace: 'banned',
        maxBucketSize: 10,
        ...options,
      });
    const idOf = (account: string) => test.redis.get(`idx:banned:a:${account}`);
    const { bucket } = indexKeys('banned');

    it('answers batches exactly as it answers one item at a time', async () => {
      const batched = createIndex({ namespace: 'batched' });
      const single = createIndex({ namespace: 'single' });
      const { items, queries } = randomItems(11, 300, 120);
      const expectSameAnswers = async (reference?: typeof items) => {
        for (const limit of [3, 50]) {
          const answers = await batched.candidatesMany(queries, { limit });
          for (const [n, query] of queries.entries()) {
            const answer = summary(answers[n]!);
            expect(answer).toEqual(summary(await single.candidates(query, { limit })));
            if (reference) {
              expect(answer).toEqual(
                summary(bruteForceCandidates(reference, query, { limit, maxBucketSize: 10 })),
              );
            }
          }
        }
      };

      await batched.upsertMany(items);
      for (const item of items) await single.upsert(item.entry, item.keys);
      await expectSameAnswers(items);

      // Replacements (an account twice in one batch: the last wins) and removals. Buckets they shrink
      // below the cap stay over-full (sticky), so brute force is no reference from here on.
      const replaced = items
        .slice(0, 40)
        .map((item, n) => ({ ...item, keys: [`handle:k${n}`, 'links:new'] }));
      await batched.upsertMany([...items.slice(0, 40), ...replaced]);
      for (const item of replaced) await single.upsert(item.entry, item.keys);
      const toRemove = ['x:5', 'x:missing', 'x:6', 'x:5', 'x:250'];
      const removedOneByOne: boolean[] = [];
      for (const account of toRemove) removedOneByOne.push(await single.remove(account));
      expect(await batched.removeMany(toRemove)).toEqual(removedOneByOne);
      expect(removedOneByOne).toEqual([true, false, true, false, true]);

      const accounts = ['x:3', 'x:5', 'x:299', 'x:missing', 'x:3'];
      expect(await batched.getMany(accounts)).toEqual(await Promise.all(accounts.map((a) => single.get(a))));
      await expectSameAnswers();
      expect(await batched.size()).toBe(297);
      expect(await single.size()).toBe(297);
    });

    it('files keys of any text under exactly that key: multi-byte characters, spaces, digits, newlines', async () => {
      const index = createIndex();
      const keys = ANY_TEXT_KEYS;
      await index.upsertMany([
        { entry: bannedEntry('x:1'), keys },
        { entry: bannedEntry('x:2'), keys: keys.slice(0, 2) },
      ]);
      for (const [n, key] of keys.entries()) {
        expect(await test.redis.scard(bucket(key))).toBe(n < 2 ? 2 : 1);
        expect(summary((await index.candidatesMany([[key]]))[0] ?? [])).toEqual(
          n < 2 ? ['x:1#1', 'x:2#1'] : ['x:1#1'],
        );
      }
      // A key that is a prefix or a neighbour's fragment of one written finds nothing.
      expect(await index.candidatesMany(ANY_TEXT_FRAGMENTS.map((fragment) => [fragment]))).toEqual(
        ANY_TEXT_FRAGMENTS.map(() => []),
      );
    });

    it('refuses a malformed list of bucket names instead of reading other buckets', async () => {
      const index = createIndex();
      await index.upsert(bannedEntry('x:1'), ['abc']);
      const shard = indexKeys('banned').bucketShard('abc');
      const read = (packedKeys: Buffer) =>
        pipelined(test.redis, (pipeline) => {
          (pipeline as unknown as Record<string, (...args: unknown[]) => void>).mirrorwatchReadBuckets?.(
            indexKeys('banned').bucketsIn(shard),
            10,
            packedKeys,
          );
        });
      const abc = packedArgument(['abc']);
      await expect(read(packedArgument(['abc', 'abd']))).resolves.toEqual([[['1'], 0]]);
      for (const malformed of [
        abc.subarray(0, 4),
        abc.subarray(0, 1),
        Buffer.concat([abc, Buffer.from([0])]),
      ])
        await expect(read(malformed)).rejects.toMatchObject({
          cause: { message: expect.stringMatching(/malformed packed argument at byte \d+/) },
        });
    });

    it('keeps the id of a replaced entry and leaves no key behind once everything is removed', async () => {
      const index = createIndex();
      await index.upsert(bannedEntry('x:1'), ['handle:a', 'links:l']);
      await index.upsert(bannedEntry('x:2'), ['handle:a']);
      const id = await idOf('x:1');
      await index.upsert(bannedEntry('x:1'), ['handle:b']);
      expect(await idOf('x:1')).toBe(id);
      expect(await test.redis.exists(bucket('links:l'))).toBe(0);

      expect(await index.removeMany(['x:1', 'x:2'])).toEqual([true, true]);
      await index.upsert(bannedEntry('x:1'), ['handle:c', 'handle:a']); // reinstated, then banned again
      expect(await index.remove('x:1')).toBe(true);

      expect(await test.keys()).toEqual(['idx:banned:count', 'idx:banned:seq']);
      expect(await index.size()).toBe(0);
    });

    it('caps an over-full bucket at maxBucketSize + 1 ids, ignores it, and keeps it over-full', async () => {
      const index = createIndex({ maxBucketSize: 10 });
      await index.upsertMany(
        Array.from({ length: 30 }, (_, n) => ({
          entry: bannedEntry(`x:${n}`),
          keys: ['avatar:default', `handle:${n}`],
        })),
      );
      expect(await test.redis.scard(bucket('avatar:default'))).toBe(11);
      expect(await index.candidates(['avatar:default'])).toEqual([]);
      expect(summary(await index.candidates(['avatar:default', 'handle:7']))).toEqual(['x:7#1']);
      // Reading it brings back its size, not its 11 ids.
      let collect: ReturnType<typeof readBuckets> = () => new Map();
      const replies = await pipelined(test.redis, (pipeline) => {
        collect = readBuckets(pipeline, indexKeys('banned'), ['avatar:default', 'handle:7'], 10);
      });
      expect(replies).toContainEqual([11]);
      expect(collect(replies)).toEqual(
        new Map<string, unknown>([
          ['avatar:default', OVER_FULL],
          ['handle:7', ['8']],
        ]),
      );

      // Sticky: with 5 entries left the reference would use the bucket again; the index does not.
      await index.removeMany(Array.from({ length: 25 }, (_, n) => `x:${n}`));
      expect(await test.redis.scard(bucket('avatar:default'))).toBe(11);
      expect(await index.candidates(['avatar:default'])).toEqual([]);
    });

    it('files integer ids, so a small bucket is a compact intset', async () => {
      const index = createIndex();
      await index.upsertMany(
        ['x:1', 'x:2', 'x:3'].map((account) => ({ entry: bannedEntry(account), keys: ['handle:a'] })),
      );
      expect(await test.redis.smembers(bucket('handle:a'))).toEqual(['1', '2', '3']);
      // OBJECT is not prefixed by the client.
      expect(await test.redis.object('ENCODING', `${test.keyPrefix}${bucket('handle:a')}`)).toBe('intset');
    });

    it('with ttlSeconds, (re)sets the TTL on every key of an entry but never on seq or count', async () => {
      const index = createIndex({ ttlSeconds: 3600 });
      await index.upsert(bannedEntry('x:1'), ['handle:a', 'links:l']);
      const entryKeys = ['idx:banned:d:1', 'idx:banned:a:x:1', bucket('handle:a'), bucket('links:l')];
      for (const key of entryKeys) await test.redis.pexpire(key, 5000);
      await index.upsert(bannedEntry('x:1'), ['handle:a', 'links:l']);
      for (const key of entryKeys) {
        const ttl = await test.redis.pttl(key);
        expect(ttl, key).toBeGreaterThan(3_590_000);
        expect(ttl, key).toBeLessThanOrEqual(3_600_000);
      }
      expect(await test.redis.pttl('idx:banned:seq')).toBe(-1);
      expect(await test.redis.pttl('idx:banned:count')).toBe(-1);
    });

    it('really lets entries expire', async () => {
      const index = createIndex({ ttlSeconds: 1 });
      await index.upsert(bannedEntry('x:1'), ['handle:a']);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await index.get('x:1')).toBeUndefined();
      expect(await index.candidates(['handle:a'])).toEqual([]);
      expect(await test.keys()).toEqual(['idx:banned:count', 'idx:banned:seq']);
    });

    it('skips ids whose record expired, fills the limit further down, and drops them from their buckets', async () => {
      const index = createIndex({ ttlSeconds: 3600 });
      await index.upsert(bannedEntry('x:a'), ['k1', 'k2']);
      await index.upsert(bannedEntry('x:b'), ['k1', 'k2']);
      await index.upsert(bannedEntry('x:c'), ['k1']);
      const ghost = (await idOf('x:a'))!;
      // What expiry does to x:a while its buckets live on (other entries keep refreshing them).
      await test.redis.del(`idx:banned:d:${ghost}`);
      await test.redis.del('idx:banned:a:x:a');

      expect(summary(await index.candidates(['k1', 'k2'], { limit: 2 }))).toEqual(['x:b#2', 'x:c#1']);
      expect(await test.redis.sismember(bucket('k1'), ghost)).toBe(0);
      expect(await test.redis.sismember(bucket('k2'), ghost)).toBe(0);
      expect(await index.get('x:a')).toBeUndefined();
    });

    it('gives an account whose record expired under its id a new id, so stale bucket members never count', async () => {
      const index = createIndex({ ttlSeconds: 3600 });
      await index.upsert(bannedEntry('x:a'), ['k1']);
      const old = (await idOf('x:a'))!;
      await test.redis.del(`idx:banned:d:${old}`);
      await index.upsert(bannedEntry('x:a'), ['k2']);

      expect(await idOf('x:a')).not.toBe(old);
      expect(await index.candidates(['k1'])).toEqual([]);
      expect(summary(await index.candidates(['k2']))).toEqual(['x:a#1']);
      expect(await index.size()).toBe(1);
    });

    it('confirms a record it already parsed by its checksum, and never serves one replaced under its id', async () => {
      const index = createIndex();
      await index.upsert(bannedEntry('x:a', 'first'), ['k1']);
      expect(summary(await index.candidates(['k1']))).toEqual(['x:a#1']);

      // Read again: only the 8-byte checksum is asked for, not the record.
      const client = test.redis as unknown as { sendCommand: (command: { name: string }) => unknown };
      const sendCommand = client.sendCommand;
      const sent: string[] = [];
      client.sendCommand = function (this: unknown, command: { name: string }, ...rest: unknown[]) {
        sent.push(command.name);
        return (sendCommand as (...args: unknown[]) => unknown).apply(this, [command, ...rest]);
      };
      try {
        const [again] = await index.candidates(['k1']);
        expect(again?.entry.entity).toBe('first');
        expect(sent).toContain('getrange');
        expect(sent).not.toContain('get');
      } finally {
        client.sendCommand = sendCommand;
      }

      // The id now holds another record (data replaced and ids handed out again): it is fetched.
      const id = (await idOf('x:a'))!;
      await test.redis.set(
        `idx:banned:d:${id}`,
        serialiseRecord({ entry: bannedEntry('x:b', 'second'), keys: ['k1'] }),
      );
      const [replaced] = await index.candidates(['k1']);
      expect(replaced?.entry.account).toBe('x:b');
      expect(replaced?.entry.entity).toBe('second');
    });

    it('confirms cached records in one round trip even when a batch holds more records than the cache', async () => {
      const index = createIndex({ recordCacheSize: 3 });
      const accounts = Array.from({ length: 8 }, (_, n) => `x:${n}`);
      await index.upsertMany(accounts.map((account) => ({ entry: bannedEntry(account), keys: [account] })));
      const queries = accounts.map((account) => [account]);
      // The last three parsed stay cached; the next batch asks for their checksums and fetches the
      // other five, whose parsing evicts the cached three before their checksums are looked at.
      await index.candidatesMany(queries);
      const traffic = countTraffic(test.redis);
      try {
        const answers = await index.candidatesMany(queries);
        expect(answers.map((found) => found.map((candidate) => candidate.entry.account))).toEqual(queries);
        expect({ pipelines: traffic.pipelines, direct: traffic.direct }).toEqual(rounds(2));
      } finally {
        traffic.restore();
      }
    });

    it('serves each batch form in a fixed number of pipelines and no lone command', async () => {
      const index = createIndex({ maxBucketSize: 25 });
      const { items, queries } = randomItems(5, 500, 150);
      const traffic = countTraffic(test.redis);
      try {
        const { measure } = traffic;
        expect(await measure(() => index.upsertMany(items))).toEqual(rounds(3));
        let answers: unknown[][] = [];
        expect(queries).toHaveLength(100);
        expect(
          await measure(async () => {
            answers = await index.candidatesMany(queries, { limit: 5 });
          }),
        ).toEqual(rounds(2));
        expect(answers.filter((found) => found.length > 0).length).toBeGreaterThan(90);
        const accounts = items.slice(0, 100).map((item) => item.entry.account);
        expect(await measure(() => index.getMany(accounts))).toEqual(rounds(2));
        expect(await measure(() => index.removeMany(accounts))).toEqual(rounds(3));
      } finally {
        traffic.restore();
      }
    });
  });
}
