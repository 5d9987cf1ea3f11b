import type { Redis } from '@mirrorwatch/redis';
import type { ChainableCommander } from 'ioredis';
import type { IndexKeys } from './keys.js';
import { PACKED_LUA, packedArgument } from './packed.js';
import { type Buckets, OVER_FULL } from './ranking.js';
import { groupByShard } from './shard.js';

// Each script touches only buckets of one shard, which share a Redis Cluster hash slot.

/**
 * Adds (`a`) and removes (`r`) ids, in order. An add happens only while the bucket is not full
 * (full = over-full, ignored by retrieval) and refreshes the bucket's TTL; a remove happens only
 * while it is not full, so an over-full bucket stays over-full (sticky).
 * KEYS: buckets; ARGV: full, ttl, then one op and one id per key.
 */
const WRITE_BUCKETS = `
local full = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  local op = ARGV[1 + 2 * i]
  local id = ARGV[2 + 2 * i]
  local size = redis.call('SCARD', key)
  if op == 'a' then
    if size < full then redis.call('SADD', key, id) end
    if ttl > 0 then redis.call('EXPIRE', key, ttl) end
  elseif size < full then
    redis.call('SREM', key, id)
  end
end
return 0`;

/**
 * The members of each bucket, or for an empty or over-full one (more than ARGV[1] members,
 * ignored by retrieval) only its size: a capped bucket holds maxBucketSize + 1 ids that nobody
 * reads, and most buckets a query names are empty, for which a number is the cheapest reply.
 * KEYS: the shard's bucket-name prefix (`IndexKeys.bucketsIn`); ARGV: maxBucketSize, then the
 * blocking keys packed into one argument (see `packed.ts`): a chunk reads tens of thousands of
 * buckets, and their full names as arguments cost the client more than the reads cost Redis.
 * Every bucket name is the prefix and a blocking key, so it shares the prefix's hash slot.
 */
const READ_BUCKETS = `${PACKED_LUA}
local prefix = KEYS[1]
local max = tonumber(ARGV[1])
local packed = ARGV[2]
local members = {}
local at = 1
while at <= #packed do
  local key
  key, at = nextPacked(packed, at)
  local size = redis.call('SCARD', prefix .. key)
  if size == 0 or size > max then members[#members + 1] = size
  else members[#members + 1] = redis.call('SMEMBERS', prefix .. key) end
end
return members`;

const WRITE = 'mirrorwatchWriteBuckets';
const READ = 'mirrorwatchReadBuckets';

interface BucketScriptCommands {
  [WRITE](keyCount: number, ...keysAndArgs: (string | number)[]): ChainableCommander;
  [READ](prefix: string, maxBucketSize: number, packedKeys: Buffer): ChainableCommander;
}

/** Registers the scripts on the client; pipelines created afterwards can queue them. */
export function defineBucketScripts(redis: Redis): void {
  // The number of keys of a write varies per call, so it is passed first.
  redis.defineCommand(WRITE, { lua: WRITE_BUCKETS });
  redis.defineCommand(READ, { lua: READ_BUCKETS, numberOfKeys: 1 });
}

const commands = (pipeline: ChainableCommander) => pipeline as unknown as BucketScriptCommands;

/**
 * Bucket writes for one index, collected for a batch and sent as one script call per shard.
 * A bucket is full at `maxBucketSize + 1` members: the smallest size retrieval ignores, so a
 * bucket never grows past it.
 */
export class BucketWrites {
  private readonly ops: { key: string; op: 'a' | 'r'; id: string }[] = [];

  constructor(
    private readonly keys: IndexKeys,
    private readonly full: number,
    private readonly ttlSeconds: number,
  ) {}

  add(blockingKey: string, id: string): void {
    this.ops.push({ key: blockingKey, op: 'a', id });
  }

  remove(blockingKey: string, id: string): void {
    this.ops.push({ key: blockingKey, op: 'r', id });
  }

  /** Queues the collected writes on `pipeline`, order kept per bucket. */
  queue(pipeline: ChainableCommander): void {
    for (const [shard, ops] of groupByShard(this.ops, ({ key }) => this.keys.bucketShard(key))) {
      const buckets = ops.map(({ key }) => this.keys.bucketIn(shard, key));
      const args = ops.flatMap(({ op, id }) => [op, id]);
      commands(pipeline)[WRITE](buckets.length, ...buckets, this.full, this.ttlSeconds, ...args);
    }
  }
}

/**
 * Queues reads of many buckets, one script call per shard; `collect` turns the replies (in the
 * order they were queued) back into members per blocking key, `OVER_FULL` for a bucket holding
 * more than `maxBucketSize` ids.
 */
export function readBuckets(
  pipeline: ChainableCommander,
  keys: IndexKeys,
  blockingKeys: readonly string[],
  maxBucketSize: number,
): (replies: readonly unknown[]) => Buckets {
  const groups = [...groupByShard(blockingKeys, (key) => keys.bucketShard(key))];
  for (const [shard, group] of groups)
    commands(pipeline)[READ](keys.bucketsIn(shard), maxBucketSize, packedArgument(group));
  return (replies) => {
    const members = new Map<string, readonly string[] | typeof OVER_FULL>();
    groups.forEach(([, group], n) => {
      const found = replies[n] as (string[] | number)[];
      group.forEach((key, k) => {
        const reply = found[k] ?? 0;
        members.set(key, typeof reply !== 'number' ? reply : reply === 0 ? [] : OVER_FULL);
      });
    });
    return members;
  };
}
