import { shardOf } from './shard.js';

/** Bucket slots per index: the buckets of one shard share a Redis Cluster hash slot. */
export const BUCKET_SHARDS = 64;

/**
 * Where one index lives in Redis. Records, account keys and counters are single-key units, each
 * on its own Cluster slot. Buckets carry a hash tag `{<namespace>:<shard>}`, so the buckets of
 * one shard share a slot and one script can write or read many of them in one command: a chunk
 * of events touches tens of thousands of buckets, which then cost one command per shard.
 */
export interface IndexKeys {
  /** INCR counter handing out integer document ids; never expires, so ids are never reused. */
  readonly seq: string;
  /** Number of entries (see `RedisCandidateIndex.size`). */
  readonly count: string;
  /** The shard (hash slot group) of a blocking key's bucket. */
  bucketShard(blockingKey: string): number;
  /** SET of the ids of entries under one blocking key. */
  bucket(blockingKey: string): string;
  /** The same, for a blocking key whose shard is already known (batches group by shard first). */
  bucketIn(shard: number, blockingKey: string): string;
  /** What every bucket name of a shard starts with (`bucketIn(shard, key)` is it followed by `key`). */
  bucketsIn(shard: number): string;
  /** HASH of a shard's buckets filed during one time slice (the recent window's layout), in the shard's slot. */
  sliceIn(shard: number, slice: number): string;
  /** What every slice hash name of a shard starts with (`sliceIn(shard, slice)` is it followed by `slice`). */
  slicesIn(shard: number): string;
  /** The stored entry and its blocking keys. */
  record(id: string): string;
  /** account → id. */
  account(account: string): string;
}

/** A namespace holds no ':' so that one namespace's keys can never be another's. */
export function assertNamespace(namespace: string): void {
  if (namespace === '' || namespace.includes(':')) {
    throw new TypeError(`Redis index namespace must be non-empty and hold no ':', got '${namespace}'`);
  }
}

export function indexKeys(namespace: string): IndexKeys {
  assertNamespace(namespace);
  const base = `idx:${namespace}:`;
  const bucketShard = (blockingKey: string) => shardOf(blockingKey, BUCKET_SHARDS);
  const slot = (shard: number) => `{${namespace}:${shard}}`;
  const bucketsIn = (shard: number) => `${base}k:${slot(shard)}:`;
  const bucketIn = (shard: number, blockingKey: string) => bucketsIn(shard) + blockingKey;
  const slicesIn = (shard: number) => `${base}w:${slot(shard)}:`;
  return {
    seq: `${base}seq`,
    count: `${base}count`,
    bucketShard,
    bucket: (blockingKey) => bucketIn(bucketShard(blockingKey), blockingKey),
    bucketIn,
    bucketsIn,
    sliceIn: (shard, slice) => slicesIn(shard) + slice,
    slicesIn,
    record: (id) => `${base}d:${id}`,
    account: (account) => `${base}a:${account}`,
  };
}
