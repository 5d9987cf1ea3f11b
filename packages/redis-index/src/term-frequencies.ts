import type { TermFrequencies } from '@mirrorwatch/engine';
import { pipelined, type Redis } from '@mirrorwatch/redis';
import type { ChainableCommander } from 'ioredis';
import { assertNamespace } from './keys.js';
import { PACKED_LUA, packedArgument } from './packed.js';
import { groupByShard, shardOf } from './shard.js';

export interface RedisTermFrequenciesOptions {
  redis: Redis;
  /** Keys live under `tf:<namespace>:`; default 'accounts'. */
  namespace?: string;
  /** Shares are smoothed towards zero while fewer accounts than this were seen (as in CountingFrequencies). */
  minPopulation?: number;
  /** Hashes the counts are spread over (slots in Redis Cluster); fixed for the life of the data. */
  shards?: number;
}

/**
 * Adds increments to fields of one hash: one key, so it runs on any Cluster slot.
 * ARGV: fields and increments, packed as pairs (see `packed.ts`).
 */
const HINCRBY_MANY = `${PACKED_LUA}
local packed = ARGV[1]
local at = 1
while at <= #packed do
  local field, increment
  field, at = nextPacked(packed, at)
  increment, at = nextPacked(packed, at)
  redis.call('HINCRBY', KEYS[1], field, increment)
end
return 0`;

/** The values of fields of one hash ('' for a missing one), the fields packed (see `packed.ts`). */
const HMGET_PACKED = `${PACKED_LUA}
local values = hmgetAll(KEYS[1], allPacked(ARGV[1]))
for i = 1, #values do values[i] = values[i] or '' end
return values`;

const HINCRBY_MANY_COMMAND = 'mirrorwatchHincrbyMany';
const HMGET_PACKED_COMMAND = 'mirrorwatchHmgetPacked';

interface FrequencyCommands {
  [HINCRBY_MANY_COMMAND](key: string, packed: Buffer): ChainableCommander;
  [HMGET_PACKED_COMMAND](key: string, packed: Buffer): ChainableCommander;
}

const commands = (pipeline: ChainableCommander) => pipeline as unknown as FrequencyCommands;

/**
 * The scorer's term-frequency table in Redis: `tf:<ns>:n` counts account profiles seen, and how
 * many of them had each shared key is a field of one of `shards` hashes `tf:<ns>:h:<shard>`.
 * A chunk of events touches tens of thousands of keys; grouped by shard that is one script call
 * per hash per chunk, the fields packed into one argument (see `packed.ts`), where one key per
 * term would cost a command per term. Each command still touches one key, so the shards spread over Redis
 * Cluster slots. Nothing expires.
 */
export class RedisTermFrequencies {
  private readonly redis: Redis;
  private readonly population: string;
  private readonly hashPrefix: string;
  private readonly minPopulation: number;
  private readonly shards: number;

  constructor({
    redis,
    namespace = 'accounts',
    minPopulation = 1000,
    shards = 64,
  }: RedisTermFrequenciesOptions) {
    assertNamespace(namespace);
    if (!Number.isInteger(shards) || shards < 1)
      throw new TypeError(`shards must be a positive integer, got ${shards}`);
    this.redis = redis;
    this.population = `tf:${namespace}:n`;
    this.hashPrefix = `tf:${namespace}:h:`;
    this.minPopulation = minPopulation;
    this.shards = shards;
    redis.defineCommand(HINCRBY_MANY_COMMAND, { numberOfKeys: 1, lua: HINCRBY_MANY });
    redis.defineCommand(HMGET_PACKED_COMMAND, { numberOfKeys: 1, lua: HMGET_PACKED });
  }

  /** Records account profiles, one key set each (call once per distinct profile). One round trip. */
  async observeMany(keySets: readonly (readonly string[])[]): Promise<void> {
    if (keySets.length === 0) return;
    const counts = new Map<string, number>();
    for (const keys of keySets) {
      for (const key of new Set(keys)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const byShard = this.group(counts.keys());
    await pipelined(this.redis, (pipeline) => {
      pipeline.incrby(this.population, keySets.length);
      for (const [shard, keys] of byShard) {
        const pairs = keys.flatMap((key) => [key, String(counts.get(key) ?? 0)]);
        commands(pipeline)[HINCRBY_MANY_COMMAND](this.hashPrefix + shard, packedArgument(pairs));
      }
    });
  }

  /**
   * The current shares of `keys`, read in one round trip, as a synchronous table for scoring.
   * Keys not asked for read as share 0.
   */
  async snapshot(keys: Iterable<string>): Promise<TermFrequencies> {
    const byShard = [...this.group(new Set(keys))];
    const [population, ...replies] = await pipelined(this.redis, (pipeline) => {
      pipeline.get(this.population);
      for (const [shard, shardKeys] of byShard)
        commands(pipeline)[HMGET_PACKED_COMMAND](this.hashPrefix + shard, packedArgument(shardKeys));
    });
    const denominator = Math.max(Number(population ?? 0), this.minPopulation);
    const shares = new Map<string, number>();
    byShard.forEach(([, shardKeys], n) => {
      const counts = replies[n] as string[];
      shardKeys.forEach((key, k) => {
        shares.set(key, Number(counts[k] || 0) / denominator);
      });
    });
    return { share: (key) => shares.get(key) ?? 0 };
  }

  private group(keys: Iterable<string>): Map<number, string[]> {
    return groupByShard(keys, (key) => shardOf(key, this.shards));
  }
}
