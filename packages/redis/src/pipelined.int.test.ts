/// <reference path="./cluster-key-slot.d.ts" />
import { randomUUID } from 'node:crypto';
import { createLogger } from '@mirrorwatch/logger';
import calculateSlot from 'cluster-key-slot';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { closeRedis, createRedisClient, isCluster, type Redis } from './client.js';
import { pipelined, RedisPipelineError } from './pipelined.js';
import { scanKeys } from './scan.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    redisClusterUrl: string;
  }
}

/** Adds ARGV[1] to every key given (all of one hash tag) and returns their new values. */
const INCR_ALL = `
local values = {}
for i, key in ipairs(KEYS) do values[i] = redis.call('INCRBY', key, ARGV[1]) end
return values`;

interface IncrAll {
  mwTestIncrAll(keyCount: number, ...keysAndIncrement: (string | number)[]): unknown;
}

for (const deployment of [
  { name: 'Redis', url: () => inject('redisUrl') },
  { name: 'Redis Cluster', url: () => inject('redisClusterUrl') },
]) {
  describe(`pipelined on ${deployment.name}`, () => {
    let redis: Redis;
    let keyPrefix: string;
    beforeEach(async () => {
      keyPrefix = `test:${randomUUID()}:`;
      redis = createRedisClient({
        url: deployment.url(),
        keyPrefix,
        logger: createLogger({ name: 'test', level: 'silent' }),
      });
      await redis.connect();
      redis.defineCommand('mwTestIncrAll', { lua: INCR_ALL });
    });
    afterEach(async () => {
      const keys = await scanKeys(redis, `${keyPrefix}*`);
      await pipelined(redis, (pipeline) => {
        for (const key of keys) pipeline.unlink(key.slice(keyPrefix.length));
      });
      await closeRedis(redis);
    });

    it('answers in the order the commands were queued, whatever node their keys live on', async () => {
      const keys = Array.from({ length: 300 }, (_, n) => `k:${n}`);
      const tagged = Array.from({ length: 5 }, (_, n) => `{shard:7}:${n}`);
      const replies = await pipelined(redis, (pipeline) => {
        for (const [n, key] of keys.entries()) pipeline.set(key, String(n));
        // A keyless command and a script over several keys of one hash tag, mid-queue.
        pipeline.publish(`${keyPrefix}channel`, 'hello');
        (pipeline as unknown as IncrAll).mwTestIncrAll(tagged.length, ...tagged, 3);
        for (const key of keys) pipeline.get(key);
        pipeline.incrby('{shard:7}:0', 1);
      });
      expect(replies).toEqual([
        ...keys.map(() => 'OK'),
        0,
        tagged.map(() => 3),
        ...keys.map((_, n) => String(n)),
        4,
      ]);
      const stored = await scanKeys(redis, `${keyPrefix}*`);
      expect(stored).toHaveLength(keys.length + tagged.length);
      if (isCluster(redis)) {
        // The keys really were spread over every master, by the slot of the prefixed key.
        const masters = redis.nodes('master');
        expect(masters).toHaveLength(3);
        const held = await Promise.all(
          masters.map(async (node) => {
            const found: string[] = [];
            let cursor = '0';
            do {
              const [next, batch] = await node.scan(cursor, 'MATCH', `${keyPrefix}k:*`, 'COUNT', 1000);
              cursor = next;
              found.push(...batch);
            } while (cursor !== '0');
            return { node: `${node.options.host}:${node.options.port}`, found };
          }),
        );
        for (const { node, found } of held) {
          expect(found.length).toBeGreaterThan(0);
          // Each key sits on the master owning the slot of its prefixed name.
          for (const key of found) expect(redis.slots[calculateSlot(key)]?.[0]).toBe(node);
        }
        expect(held.reduce((sum, { found }) => sum + found.length, 0)).toBe(keys.length);
        expect(calculateSlot(`${keyPrefix}k:0`)).not.toBe(calculateSlot('k:0'));
      }
    });

    it('names the first failed command and keeps its cause', async () => {
      await redis.set('text', 'x');
      const error = await pipelined(redis, (pipeline) => {
        pipeline.incr('counter');
        pipeline.lpush('text', 'y'); // WRONGTYPE
        pipeline.incr('counter:2');
      }).catch((err: Error) => err);
      expect(error).toBeInstanceOf(RedisPipelineError);
      expect((error as Error).message).toBe('command 1 of a pipeline failed');
      expect(((error as Error).cause as Error).message).toMatch(/^WRONGTYPE/);
      // The commands beside it ran.
      expect(await redis.get('counter:2')).toBe('1');
    });

    it('sends nothing for an empty queue', async () => {
      expect(await pipelined(redis, () => {})).toEqual([]);
    });

    if (deployment.name === 'Redis Cluster') {
      it('refuses one command whose keys span slots, before sending anything', async () => {
        const error = await pipelined(redis, (pipeline) => {
          pipeline.set('before', '1');
          pipeline.mget('{a}1', '{b}1');
        }).catch((err: Error) => err);
        expect(error).toBeInstanceOf(RedisPipelineError);
        expect((error as Error).message).toMatch(/command 1 .* several Redis Cluster slots/);
        expect(await redis.exists('before')).toBe(0);
      });
    }
  });
}
