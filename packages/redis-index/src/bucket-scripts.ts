import type { Redis } from '@mirrorwatch/redis';
import type { ChainableCommander } from 'ioredis';

// Each script touches exactly one key (its bucket), so it runs on any Redis Cluster slot.

/** Adds an id unless the bucket is already full (over-full: ignored by retrieval), then refreshes its TTL. */
const CAPPED_ADD = `
if redis.call('SCARD', KEYS[1]) < tonumber(ARGV[2]) then redis.call('SADD', KEYS[1], ARGV[1]) end
if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return 0`;

/** Removes an id unless the bucket is full: an over-full bucket stays over-full (sticky). */
const STICKY_REMOVE = `
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
return redis.call('SREM', KEYS[1], ARGV[1])`;

const ADD = 'mirrorwatchBucketCappedAdd';
const REMOVE = 'mirrorwatchBucketStickyRemove';

interface BucketScriptCommands {
  [ADD](bucket: string, id: string, full: number, ttlSeconds: number): ChainableCommander;
  [REMOVE](bucket: string, id: string, full: number): ChainableCommander;
}

/** Registers the scripts on the client; pipelines created afterwards can queue them. */
export function defineBucketScripts(redis: Redis): void {
  redis.defineCommand(ADD, { numberOfKeys: 1, lua: CAPPED_ADD });
  redis.defineCommand(REMOVE, { numberOfKeys: 1, lua: STICKY_REMOVE });
}

/**
 * Bucket writes for one index. A bucket is full at `maxBucketSize + 1` members: that is the
 * smallest size retrieval ignores, so a bucket never grows past it.
 */
export function bucketWrites(maxBucketSize: number, ttlSeconds = 0) {
  const full = maxBucketSize + 1;
  const commands = (pipeline: ChainableCommander) => pipeline as unknown as BucketScriptCommands;
  return {
    add: (pipeline: ChainableCommander, bucket: string, id: string) =>
      commands(pipeline)[ADD](bucket, id, full, ttlSeconds),
    remove: (pipeline: ChainableCommander, bucket: string, id: string) =>
      commands(pipeline)[REMOVE](bucket, id, full),
  };
}
