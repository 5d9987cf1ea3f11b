import type { AccountFingerprint, Candidate, CandidateQueryOptions } from '@mirrorwatch/engine';
import { DEFAULT_CANDIDATE_LIMIT, DEFAULT_MAX_BUCKET_SIZE } from '@mirrorwatch/engine';
import { pipelined, type Redis } from '@mirrorwatch/redis';
import type { ChainableCommander } from 'ioredis';
import { IdBlocks } from './id-blocks.js';
import { type IndexKeys, indexKeys } from './keys.js';
import { PACKED_LUA, packedArgument } from './packed.js';
import { type Buckets, OVER_FULL, resolveRankings } from './ranking.js';
import { serialiseRecord } from './record.js';
import { RecordReader } from './record-reader.js';
import type { IndexItem } from './redis-candidate-index.js';
import { groupByShard } from './shard.js';

export interface RecentWindowOptions {
  /** A client from `@mirrorwatch/redis`; its keyPrefix is applied to every key below. */
  redis: Redis;
  /** Every key lives under `idx:<namespace>:` (default 'recent'). */
  namespace?: string;
  /** How long an entry stays findable after it was written. */
  windowSeconds: number;
  /** Buckets are filed per slice of this length (default a quarter of the window). */
  sliceSeconds?: number;
  maxBucketSize?: number;
  /** Parsed records kept for reuse while their stored text is unchanged (default 5,000). */
  recordCacheSize?: number;
  /** Ids reserved per `INCRBY` (default 10,000). */
  idBlockSize?: number;
  /** The clock slices are cut by (ms since the epoch); tests move it. */
  now?: () => number;
}

/**
 * Appends ids to bucket fields of one slice hash, unless a bucket has reached ARGV[1] bytes (the
 * cap: by then it holds more than `maxBucketSize` ids, so retrieval ignores it, and the default
 * avatar never grows without bound). The fields are read with one `HMGET` and the grown ones
 * written with one `HSET` (each in parts of 1,000 fields, within Lua's unpack limit): two calls
 * per hash and batch, where a call per field cost Redis more than the work itself. Appends to
 * the same field within a batch are applied in order. The hash expires at ARGV[2], set once per
 * call rather than once per bucket.
 * KEYS: one slice hash; ARGV: cap, expireAt, then the appends packed into one argument (see
 * `packed.ts`) as an id and its field, one pair after another.
 */
const APPEND_IDS = `${PACKED_LUA}
local hash = KEYS[1]
local cap = tonumber(ARGV[1])
local packed = ARGV[3]
local appends = {}
local fields = {}
local values = {}
local at = 1
while at <= #packed do
  local id, field
  id, at = nextPacked(packed, at)
  field, at = nextPacked(packed, at)
  appends[#appends + 1] = field
  appends[#appends + 1] = id
  if values[field] == nil then
    values[field] = false
    fields[#fields + 1] = field
  end
end
local stored = hmgetAll(hash, fields)
for i = 1, #fields do values[fields[i]] = stored[i] end
local grown = {}
for i = 1, #appends, 2 do
  local field, id = appends[i], appends[i + 1]
  local ids = values[field]
  if not ids then
    values[field] = id
    grown[field] = true
  elseif #ids < cap then
    values[field] = ids .. ',' .. id
    grown[field] = true
  end
end
local writes = {}
for _, field in ipairs(fields) do
  if grown[field] then
    writes[#writes + 1] = field
    writes[#writes + 1] = values[field]
  end
  if #writes >= 2000 then
    redis.call('HSET', hash, unpack(writes))
    writes = {}
  end
end
if #writes > 0 then redis.call('HSET', hash, unpack(writes)) end
redis.call('EXPIREAT', hash, ARGV[2])
return 0`;

/**
 * The ids under each field across a shard's slice hashes, joined with ',' ('' for none), in the
 * order of the fields. KEYS: the shard's slice-hash prefix (`IndexKeys.slicesIn`), every slice
 * hash being the prefix and a slice number, so all share its hash slot; ARGV: first slice, last
 * slice, then the fields packed into one argument (see `packed.ts`).
 */
const READ_IDS = `${PACKED_LUA}
local fields = allPacked(ARGV[3])
local found = {}
for i = 1, #fields do found[i] = '' end
for slice = tonumber(ARGV[1]), tonumber(ARGV[2]) do
  local values = hmgetAll(KEYS[1] .. slice, fields)
  for i = 1, #fields do
    local value = values[i]
    if value then
      if found[i] == '' then found[i] = value else found[i] = found[i] .. ',' .. value end
    end
  end
end
return found`;

const APPEND = 'mirrorwatchAppendWindowIds';
const READ = 'mirrorwatchReadWindowIds';

interface WindowCommands {
  [APPEND](hash: string, cap: number, expireAt: number, packed: Buffer): ChainableCommander;
  [READ](prefix: string, firstSlice: number, lastSlice: number, packed: Buffer): ChainableCommander;
}

const commands = (pipeline: ChainableCommander) => pipeline as unknown as WindowCommands;

/**
 * The recent-accounts window in Redis, for the retro-hunt: every new or changed account is
 * written once per event, and searched only when a ban arrives. So writes are made cheap and
 * reads pay instead:
 *
 * - buckets are fields of one hash per shard and time slice, `idx:<ns>:w:{<ns>:<shard>}:<slice>`
 *   (field = blocking key, value = ids joined by ','), appended by one script call per hash and
 *   batch, and expired as a whole when the slice leaves the window (no TTL per bucket);
 * - every write gets a fresh id (from blocks, see `IdBlocks`): nothing is read before writing.
 *   The account key is swapped to the new id with `SET … GET`, and the record of the id it
 *   replaced is deleted, so a replaced version turns into a ghost that ranking skips;
 * - a query reads its keys in every slice of the window (one script call per shard, `HMGET` per
 *   slice hash) and unions them.
 *
 * Retrieval is that of `RedisCandidateIndex` (hits, then account, cut to `limit`; a bucket with
 * more than `maxBucketSize` ids ignored), except that ghosts of replaced versions count towards
 * a bucket's size until their slice expires.
 */
export class RedisRecentWindow<E extends AccountFingerprint> {
  private readonly redis: Redis;
  private readonly keys: IndexKeys;
  private readonly windowSeconds: number;
  private readonly sliceSeconds: number;
  private readonly maxBucketSize: number;
  private readonly reader: RecordReader<E>;
  private readonly ids: IdBlocks;
  private readonly now: () => number;

  constructor({
    redis,
    namespace = 'recent',
    windowSeconds,
    sliceSeconds = Math.max(1, Math.ceil(windowSeconds / 4)),
    maxBucketSize = DEFAULT_MAX_BUCKET_SIZE,
    recordCacheSize = 5_000,
    idBlockSize = 10_000,
    now = Date.now,
  }: RecentWindowOptions) {
    for (const [name, value] of Object.entries({ windowSeconds, sliceSeconds, maxBucketSize }))
      if (!Number.isInteger(value) || value < 1)
        throw new TypeError(`${name} must be a positive integer, got ${value}`);
    this.redis = redis;
    this.keys = indexKeys(namespace);
    this.windowSeconds = windowSeconds;
    this.sliceSeconds = sliceSeconds;
    this.maxBucketSize = maxBucketSize;
    this.reader = new RecordReader(redis, (id) => this.keys.record(id), recordCacheSize);
    this.ids = new IdBlocks(redis, this.keys.seq, idBlockSize);
    this.now = now;
    redis.defineCommand(APPEND, { lua: APPEND_IDS, numberOfKeys: 1 });
    redis.defineCommand(READ, { lua: READ_IDS, numberOfKeys: 1 });
  }

  /**
   * Writes each entry under fresh ids (the last item wins when an account appears twice): one
   * round trip, plus one to delete the records of versions replaced, plus one per id block.
   */
  async upsertMany(items: readonly IndexItem<E>[]): Promise<void> {
    const latest = [...new Map(items.map((item) => [item.entry.account, item])).values()];
    if (latest.length === 0) return;
    const ids = await this.ids.take(latest.length);
    const slice = this.sliceAt(this.now());
    // The appends of each shard, for one packed argument: this runs for every key of every event.
    const appends = new Map<number, string[]>();
    const replies = await pipelined(this.redis, (pipeline) => {
      latest.forEach(({ entry, keys }, n) => {
        const id = ids[n] as string;
        // Records are queued before the buckets, so a reader that finds the id finds the record.
        pipeline.set(this.keys.record(id), serialiseRecord({ entry, keys: [] }), 'EX', this.windowSeconds);
        pipeline.set(this.keys.account(entry.account), id, 'EX', this.windowSeconds, 'GET');
        for (const key of new Set(keys)) {
          const shard = this.keys.bucketShard(key);
          const ofShard = appends.get(shard);
          if (ofShard) ofShard.push(id, key);
          else appends.set(shard, [id, key]);
        }
      });
      const cap = (this.maxBucketSize + 1) * (this.ids.maxDigits + 1);
      const expireAt = (slice + 1) * this.sliceSeconds + this.windowSeconds;
      for (const [shard, ofShard] of appends)
        commands(pipeline)[APPEND](this.keys.sliceIn(shard, slice), cap, expireAt, packedArgument(ofShard));
    });
    const replaced = latest.flatMap((_, n) => {
      const previous = replies[2 * n + 1];
      return typeof previous === 'string' ? [previous] : [];
    });
    if (replaced.length > 0)
      await pipelined(this.redis, (pipeline) => {
        for (const id of replaced) pipeline.del(this.keys.record(id));
      });
  }

  /** Removes entries; per account, whether it was there (an account listed twice: its first mention). Two round trips. */
  async removeMany(accounts: readonly string[]): Promise<boolean[]> {
    const unique = [...new Set(accounts)];
    const replies = await pipelined(this.redis, (pipeline) => {
      for (const account of unique) pipeline.getdel(this.keys.account(account));
    });
    const ids = replies.filter((id): id is string => typeof id === 'string');
    if (ids.length > 0)
      await pipelined(this.redis, (pipeline) => {
        for (const id of ids) pipeline.del(this.keys.record(id));
      });
    const removed = new Set(unique.filter((_, n) => typeof replies[n] === 'string'));
    return accounts.map((account) => removed.delete(account));
  }

  /** Two round trips: ids, then records. */
  async getMany(accounts: readonly string[]): Promise<(E | undefined)[]> {
    const ids = await pipelined(this.redis, (pipeline) => {
      for (const account of accounts) pipeline.get(this.keys.account(account));
    });
    const present = ids.filter((id): id is string => typeof id === 'string');
    const { records } = await this.reader.fetch(present);
    return ids.map((id) => (typeof id === 'string' ? records.get(id)?.entry : undefined));
  }

  /**
   * Candidates written within the window, for each query. Two round trips for the whole batch:
   * every key in every slice of the window, then the records the rankings need (+1 per round
   * of ghosts skipped).
   */
  async candidatesMany(
    queries: readonly (readonly string[])[],
    { limit = DEFAULT_CANDIDATE_LIMIT }: CandidateQueryOptions = {},
  ): Promise<Candidate<E>[][]> {
    const keys = [...new Set(queries.flat())];
    if (keys.length === 0) return queries.map(() => []);
    const buckets = await this.readBuckets(keys);
    const { candidates } = await resolveRankings<E>(
      queries,
      buckets,
      this.maxBucketSize,
      limit,
      async (ids) => (await this.reader.fetch(ids)).records,
    );
    return candidates;
  }

  /** The ids under each key across the window's slices, or `OVER_FULL`: one script call per shard. */
  private async readBuckets(keys: readonly string[]): Promise<Buckets> {
    const nowMs = this.now();
    const first = this.sliceAt(nowMs - this.windowSeconds * 1000);
    // One slice ahead: a writer whose clock runs slightly ahead may already file there.
    const last = this.sliceAt(nowMs) + 1;
    const groups = [...groupByShard(keys, (key) => this.keys.bucketShard(key))];
    const replies = await pipelined(this.redis, (pipeline) => {
      for (const [shard, group] of groups)
        commands(pipeline)[READ](this.keys.slicesIn(shard), first, last, packedArgument(group));
    });
    const members = new Map<string, string[] | typeof OVER_FULL>();
    groups.forEach(([, group], n) => {
      const values = replies[n] as string[];
      group.forEach((key, k) => {
        const value = values[k];
        if (!value) return;
        const ids = value.split(',');
        members.set(key, ids.length > this.maxBucketSize ? OVER_FULL : ids);
      });
    });
    return members;
  }

  private sliceAt(ms: number): number {
    return Math.floor(ms / 1000 / this.sliceSeconds);
  }
}
