import {
  type AccountFingerprint,
  type Candidate,
  type CandidateIndex,
  type CandidateQueryOptions,
  DEFAULT_CANDIDATE_LIMIT,
  DEFAULT_MAX_BUCKET_SIZE,
} from '@mirrorwatch/engine';
import { pipelined, type Redis } from '@mirrorwatch/redis';
import type { ChainableCommander } from 'ioredis';
import { BucketWrites, defineBucketScripts, readBuckets } from './bucket-scripts.js';
import { type IndexKeys, indexKeys } from './keys.js';
import { type Buckets, type FetchedRecords, resolveRankings, usableMembers } from './ranking.js';
import { type StoredRecord, serialiseRecord } from './record.js';
import { RecordReader } from './record-reader.js';

export interface RedisIndexOptions {
  /** A client from `@mirrorwatch/redis`; its keyPrefix is applied to every key below. */
  redis: Redis;
  /** Every key of this index lives under `idx:<namespace>:` (e.g. 'banned', 'recent'). */
  namespace: string;
  maxBucketSize?: number;
  /** When set, every key of an entry expires this long after the entry's last write. */
  ttlSeconds?: number;
  /** Parsed records kept for reuse while their stored text is unchanged (default 5,000: about 40 MB of heap at today's record size). */
  recordCacheSize?: number;
}

export interface IndexItem<E> {
  entry: E;
  keys: readonly string[];
}

/**
 * The candidate index in Redis, for the streaming matcher. Layout (see README): integer ids from
 * `seq`, one SET of ids per blocking key (compact intsets), one record per id, account → id.
 *
 * Every method is a fixed number of pipelined round trips for a whole batch; use the `*Many`
 * forms for batches. Writes to one account are assumed to come from one worker at a time (the
 * matcher partitions events by account); concurrent upserts of the same new account could
 * both allocate an id.
 *
 * Buckets are capped: one stops growing at `maxBucketSize + 1` ids, is then over-full and ignored
 * by retrieval, and stays over-full (sticky) even if its entries are later removed — unlike the
 * brute-force reference, which would count it again once it shrank.
 */
export class RedisCandidateIndex<E extends AccountFingerprint> implements CandidateIndex<E> {
  private readonly redis: Redis;
  private readonly keys: IndexKeys;
  private readonly maxBucketSize: number;
  private readonly ttlSeconds: number | undefined;
  private readonly reader: RecordReader<E>;

  constructor({
    redis,
    namespace,
    maxBucketSize = DEFAULT_MAX_BUCKET_SIZE,
    ttlSeconds,
    recordCacheSize = 5_000,
  }: RedisIndexOptions) {
    if (!Number.isInteger(maxBucketSize) || maxBucketSize < 1) {
      throw new TypeError(`maxBucketSize must be a positive integer, got ${maxBucketSize}`);
    }
    if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)) {
      throw new TypeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
    }
    this.redis = redis;
    this.keys = indexKeys(namespace);
    this.maxBucketSize = maxBucketSize;
    this.ttlSeconds = ttlSeconds;
    this.reader = new RecordReader(redis, (id) => this.keys.record(id), recordCacheSize);
    defineBucketScripts(redis);
  }

  upsert(entry: E, keys: readonly string[]): Promise<void> {
    return this.upsertMany([{ entry, keys }]);
  }

  async remove(account: string): Promise<boolean> {
    const [removed = false] = await this.removeMany([account]);
    return removed;
  }

  async get(account: string): Promise<E | undefined> {
    const [entry] = await this.getMany([account]);
    return entry;
  }

  async candidates(keys: readonly string[], options?: CandidateQueryOptions): Promise<Candidate<E>[]> {
    const [found = []] = await this.candidatesMany([keys], options);
    return found;
  }

  /**
   * Entries written and not removed. With `ttlSeconds`, entries that expired unseen are still
   * counted (nothing tells the counter), so this is an upper bound.
   */
  async size(): Promise<number> {
    const [count] = await pipelined(this.redis, (pipeline) => pipeline.get(this.keys.count));
    return Number(count ?? 0);
  }

  /**
   * Adds or replaces entries (the last item wins when an account appears twice). Three round
   * trips: ids, previous records plus fresh ids, writes; a fourth only when an account's record
   * expired under its id, which then gets a new id so stale bucket members can never count.
   */
  async upsertMany(items: readonly IndexItem<E>[]): Promise<void> {
    const latest = [...new Map(items.map((item) => [item.entry.account, item])).values()];
    if (latest.length === 0) return;
    const ids = await this.readIds(latest.map((item) => item.entry.account));
    const newcomers = ids.filter((id) => id === null).length;
    const { records, reserved } = await this.readRecords(ids, newcomers);
    const expired = ids.filter((id, n) => id !== null && records[n] === null).length;
    if (expired > 0) reserved.push(...(await this.reserveIds(expired)));

    const buckets = this.bucketWrites();
    await pipelined(this.redis, (pipeline) => {
      latest.forEach(({ entry, keys }, n) => {
        const previous = records[n];
        const id = previous ? ids[n]! : reserved.shift()!;
        const record = { entry, keys: [...new Set(keys)] };
        // The record is queued before its buckets, so a reader that finds the id finds the record.
        this.setEntryKey(pipeline, this.keys.record(id), serialiseRecord(record));
        this.setEntryKey(pipeline, this.keys.account(entry.account), id);
        for (const key of record.keys) buckets.add(key, id);
        const kept = new Set(record.keys);
        for (const key of previous?.keys ?? []) if (!kept.has(key)) buckets.remove(key, id);
      });
      buckets.queue(pipeline);
      if (newcomers > 0) pipeline.incrby(this.keys.count, newcomers);
    });
  }

  /** Removes entries; per account, whether it was there. Three round trips. */
  async removeMany(accounts: readonly string[]): Promise<boolean[]> {
    const unique = [...new Set(accounts)];
    const ids = await this.readIds(unique);
    const { records } = await this.readRecords(ids);
    const buckets = this.bucketWrites();
    await pipelined(this.redis, (pipeline) => {
      unique.forEach((account, n) => {
        const id = ids[n];
        if (id === null || id === undefined) return;
        for (const key of records[n]?.keys ?? []) buckets.remove(key, id);
        pipeline.del(this.keys.record(id));
        pipeline.del(this.keys.account(account));
      });
      buckets.queue(pipeline);
      const removed = ids.filter((id) => id !== null).length;
      if (removed > 0) pipeline.decrby(this.keys.count, removed);
    });
    const removed = new Set(unique.filter((_, n) => records[n]));
    // An account listed twice is removed by its first mention.
    return accounts.map((account) => removed.delete(account));
  }

  /** Two round trips: ids, then records. */
  async getMany(accounts: readonly string[]): Promise<(E | undefined)[]> {
    const { records } = await this.readRecords(await this.readIds(accounts));
    return records.map((record) => record?.entry);
  }

  /**
   * Candidates for each query. Two round trips for the whole batch: the members of every distinct
   * key, then the records of the ids the rankings need (deduplicated). Ids whose record expired
   * are dropped, cost one more round trip to fill the limit further down the ranking, and are
   * removed from their buckets afterwards.
   */
  async candidatesMany(
    queries: readonly (readonly string[])[],
    { limit = DEFAULT_CANDIDATE_LIMIT }: CandidateQueryOptions = {},
  ): Promise<Candidate<E>[][]> {
    const keys = [...new Set(queries.flat())];
    let collect: ReturnType<typeof readBuckets> = () => new Map();
    const replies = await pipelined(this.redis, (pipeline) => {
      collect = readBuckets(pipeline, this.keys, keys, this.maxBucketSize);
    });
    const buckets: Buckets = collect(replies);
    const { candidates, fetched } = await resolveRankings<E>(
      queries,
      buckets,
      this.maxBucketSize,
      limit,
      async (ids) => (await this.reader.fetch(ids)).records,
    );
    await this.forgetGhosts(buckets, fetched);
    return candidates;
  }

  private async readIds(accounts: readonly string[]): Promise<(string | null)[]> {
    const ids = await pipelined(this.redis, (pipeline) => {
      for (const account of accounts) pipeline.get(this.keys.account(account));
    });
    return accounts.map((_, n) => (ids[n] as string | null | undefined) ?? null);
  }

  /** The records of `ids` (null when absent) and, in the same round trip, `reserve` fresh ids. */
  private async readRecords(
    ids: readonly (string | null)[],
    reserve = 0,
  ): Promise<{ records: (StoredRecord<E> | null)[]; reserved: string[] }> {
    const present = ids.filter((id): id is string => id !== null);
    const { records: byId, alsoReplies } = await this.reader.fetch(present, (pipeline) => {
      if (reserve > 0) pipeline.incrby(this.keys.seq, reserve);
    });
    return {
      records: ids.map((id) => (id === null ? null : (byId.get(id) ?? null))),
      reserved: reserve > 0 ? idRange(alsoReplies[0] as number, reserve) : [],
    };
  }

  private async reserveIds(count: number): Promise<string[]> {
    const [last] = await pipelined(this.redis, (pipeline) => pipeline.incrby(this.keys.seq, count));
    return idRange(last as number, count);
  }

  /** Removes ids whose record has expired from the (not over-full) buckets they were found in. */
  private async forgetGhosts(buckets: Buckets, fetched: FetchedRecords<E>): Promise<void> {
    const ghosts: [key: string, id: string][] = [];
    for (const [key, members] of buckets) {
      for (const id of usableMembers(members, this.maxBucketSize) ?? [])
        if (fetched.get(id) === null) ghosts.push([key, id]);
    }
    if (ghosts.length === 0) return;
    const writes = this.bucketWrites();
    for (const [key, id] of ghosts) writes.remove(key, id);
    await pipelined(this.redis, (pipeline) => writes.queue(pipeline));
  }

  private bucketWrites(): BucketWrites {
    return new BucketWrites(this.keys, this.maxBucketSize + 1, this.ttlSeconds ?? 0);
  }

  private setEntryKey(pipeline: ChainableCommander, key: string, value: string): void {
    if (this.ttlSeconds === undefined) pipeline.set(key, value);
    else pipeline.set(key, value, 'EX', this.ttlSeconds);
  }
}

/** The `count` ids ending at `last` (what INCRBY seq count returned). */
function idRange(last: number, count: number): string[] {
  return Array.from({ length: count }, (_, n) => String(last - count + 1 + n));
}
