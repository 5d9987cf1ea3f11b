import type { TermFrequencies } from '@mirrorwatch/engine';
import type { Redis } from '@mirrorwatch/redis';
import { assertNamespace } from './keys.js';
import { pipelined } from './pipelined.js';

export interface RedisTermFrequenciesOptions {
  redis: Redis;
  /** Keys live under `tf:<namespace>:`; default 'accounts'. */
  namespace?: string;
  /** Shares are smoothed towards zero while fewer accounts than this were seen (as in CountingFrequencies). */
  minPopulation?: number;
}

/**
 * The scorer's term-frequency table in Redis: `tf:<ns>:n` counts account profiles seen and
 * `tf:<ns>:c:<key>` how many of them had each blocking key. One key per term, so the table
 * spreads over Redis Cluster slots; nothing expires.
 */
export class RedisTermFrequencies {
  private readonly redis: Redis;
  private readonly population: string;
  private readonly countPrefix: string;
  private readonly minPopulation: number;

  constructor({ redis, namespace = 'accounts', minPopulation = 1000 }: RedisTermFrequenciesOptions) {
    assertNamespace(namespace);
    this.redis = redis;
    this.population = `tf:${namespace}:n`;
    this.countPrefix = `tf:${namespace}:c:`;
    this.minPopulation = minPopulation;
  }

  /** Records account profiles, one key set each (call once per distinct profile). One round trip. */
  async observeMany(keySets: readonly (readonly string[])[]): Promise<void> {
    if (keySets.length === 0) return;
    const counts = new Map<string, number>();
    for (const keys of keySets) {
      for (const key of new Set(keys)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    await pipelined(this.redis, (pipeline) => {
      pipeline.incrby(this.population, keySets.length);
      for (const [key, count] of counts) pipeline.incrby(this.countPrefix + key, count);
    });
  }

  /**
   * The current shares of `keys`, read in one round trip, as a synchronous table for scoring.
   * Keys not asked for read as share 0.
   */
  async snapshot(keys: Iterable<string>): Promise<TermFrequencies> {
    const distinct = [...new Set(keys)];
    const [population, ...counts] = await pipelined(this.redis, (pipeline) => {
      pipeline.get(this.population);
      for (const key of distinct) pipeline.get(this.countPrefix + key);
    });
    const denominator = Math.max(Number(population ?? 0), this.minPopulation);
    const shares = new Map(distinct.map((key, n) => [key, Number(counts[n] ?? 0) / denominator]));
    return { share: (key) => shares.get(key) ?? 0 };
  }
}
