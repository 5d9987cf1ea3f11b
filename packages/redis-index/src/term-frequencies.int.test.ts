import { CountingFrequencies } from '@mirrorwatch/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisTermFrequencies } from './term-frequencies.js';
import { mulberry32 } from './testing/entries.js';
import { connectTestRedis, countTraffic, REDIS_DEPLOYMENTS, type TestRedis } from './testing/redis.js';

for (const deployment of REDIS_DEPLOYMENTS) {
  describe(`RedisTermFrequencies on ${deployment.name}`, () => {
    let test: TestRedis;
    beforeEach(async () => {
      test = await connectTestRedis(deployment.url());
    });
    afterEach(() => test.close());
    /** Every term in one hash, shares exact from the first profile. */
    const inOneHash = (namespace: string) =>
      new RedisTermFrequencies({ redis: test.redis, namespace, minPopulation: 1, shards: 1 });

    it('gives the shares CountingFrequencies gives on the same profiles, below and above minPopulation', async () => {
      const random = mulberry32(9);
      const keySets = Array.from({ length: 120 }, () =>
        Array.from({ length: 1 + Math.floor(random() * 5) }, () => `handle:k${Math.floor(random() * 30)}`),
      );
      const keys = [...new Set(keySets.flat()), 'handle:never-seen'];
      const reference = new CountingFrequencies(50);
      const frequencies = new RedisTermFrequencies({ redis: test.redis, minPopulation: 50 });

      for (const batch of [keySets.slice(0, 20), keySets.slice(20)]) {
        for (const set of batch) reference.observe(set);
        const traffic = countTraffic(test.redis);
        await frequencies.observeMany(batch);
        const snapshot = await frequencies.snapshot(keys);
        traffic.restore();
        expect(traffic.direct).toBe(0);
        // Two round trips: one pipeline each, or one per master (three) on a Cluster.
        expect(traffic.pipelines).toBeGreaterThanOrEqual(2);
        expect(traffic.pipelines).toBeLessThanOrEqual(deployment.cluster ? 6 : 2);
        for (const key of keys) expect(snapshot.share(key), key).toBe(reference.share(key));
      }
      expect(reference.share('handle:k1')).toBeGreaterThan(0);
    });

    it('reads and counts more terms of one hash than one HMGET is given, keys of any text included', async () => {
      const frequencies = inOneHash('many');
      const keys = [...Array.from({ length: 2500 }, (_, n) => `bio:${n}`), 'handle:c:قناة', 'links:a b\n1'];
      await frequencies.observeMany([keys, keys.filter((_, n) => n % 2 === 0)]);
      const snapshot = await frequencies.snapshot([...keys, 'bio:none']);
      for (const [n, key] of keys.entries()) expect(snapshot.share(key), key).toBe(n % 2 === 0 ? 1 : 0.5);
      expect(snapshot.share('bio:none')).toBe(0);
    });

    it('keeps namespaces apart', async () => {
      const one = inOneHash('one');
      const two = inOneHash('two');
      await one.observeMany([['a'], ['a', 'b']]);
      expect((await one.snapshot(['a', 'b'])).share('b')).toBe(0.5);
      expect((await two.snapshot(['a'])).share('a')).toBe(0);
      expect(await test.keys()).toEqual(['tf:one:h:0', 'tf:one:n']);
    });

    it('costs one command per shard touched, not one per term, and spreads terms over the shards', async () => {
      const frequencies = new RedisTermFrequencies({ redis: test.redis, namespace: 'spread', shards: 8 });
      const keySets = Array.from({ length: 500 }, (_, n) =>
        Array.from({ length: 40 }, (_, k) => `bucket:${n}:${k}`),
      );
      const traffic = countTraffic(test.redis);
      await frequencies.observeMany(keySets);
      await frequencies.snapshot(keySets.flat());
      traffic.restore();
      // 20,000 distinct terms: population + 8 shards, twice.
      expect(traffic.commands).toBeLessThanOrEqual(2 * (1 + 8));
      const hashes = (await test.keys()).filter((key) => key.startsWith('tf:spread:h:'));
      expect(hashes).toHaveLength(8);
      const sizes = await Promise.all(hashes.map((key) => test.redis.hlen(key)));
      for (const size of sizes) expect(size).toBeGreaterThan(20_000 / 8 / 2);
    });
  });
}
