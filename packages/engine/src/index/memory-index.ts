import type { AccountFingerprint } from '../fingerprint.js';
import {
  type Candidate,
  type CandidateIndex,
  type CandidateQueryOptions,
  DEFAULT_CANDIDATE_LIMIT,
  DEFAULT_MAX_BUCKET_SIZE,
  rankCandidates,
} from './candidate-index.js';

interface Stored<E> {
  entry: E;
  keys: readonly string[];
  /** The query that last counted this entry, and how many of its keys it shared. */
  mark: number;
  hits: number;
}

export interface MemoryIndexOptions {
  maxBucketSize?: number;
}

/** The in-process index: buckets of account keys per blocking key. Used by eval, bench and tests. */
export class MemoryIndex<E extends AccountFingerprint> implements CandidateIndex<E> {
  // Buckets hold the stored records themselves, so a query never looks an account up twice.
  private readonly buckets = new Map<string, Set<Stored<E>>>();
  private readonly entries = new Map<string, Stored<E>>();
  private readonly maxBucketSize: number;
  private generation = 0;

  constructor(options: MemoryIndexOptions = {}) {
    this.maxBucketSize = options.maxBucketSize ?? DEFAULT_MAX_BUCKET_SIZE;
  }

  async upsert(entry: E, keys: readonly string[]): Promise<void> {
    this.upsertSync(entry, keys);
  }

  /** Synchronous twins of upsert/remove/candidates, for tight in-process loops (eval, bench). */
  upsertSync(entry: E, keys: readonly string[]): void {
    this.removeSync(entry.account);
    const stored: Stored<E> = { entry, keys: [...new Set(keys)], mark: 0, hits: 0 };
    this.entries.set(entry.account, stored);
    for (const key of stored.keys) {
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new Set();
        this.buckets.set(key, bucket);
      }
      bucket.add(stored);
    }
  }

  async remove(account: string): Promise<boolean> {
    return this.removeSync(account);
  }

  async get(account: string): Promise<E | undefined> {
    return this.entries.get(account)?.entry;
  }

  async candidates(keys: readonly string[], options: CandidateQueryOptions = {}): Promise<Candidate<E>[]> {
    return this.candidatesSync(keys, options);
  }

  candidatesSync(
    keys: readonly string[],
    { limit = DEFAULT_CANDIDATE_LIMIT }: CandidateQueryOptions = {},
  ): Candidate<E>[] {
    // Counting by marking the stored records with this query's number avoids a map per query.
    this.generation += 1;
    const generation = this.generation;
    const touched: Stored<E>[] = [];
    const seenKeys = keys.length > 1 ? new Set<string>() : undefined;
    for (const key of keys) {
      if (seenKeys) {
        if (seenKeys.has(key)) continue;
        seenKeys.add(key);
      }
      const bucket = this.buckets.get(key);
      if (!bucket || bucket.size > this.maxBucketSize) continue;
      for (const stored of bucket) {
        if (stored.mark !== generation) {
          stored.mark = generation;
          stored.hits = 0;
          touched.push(stored);
        }
        stored.hits += 1;
      }
    }
    return rankCandidates(
      touched.map((stored) => ({ entry: stored.entry, hits: stored.hits })),
      limit,
    );
  }

  async size(): Promise<number> {
    return this.entries.size;
  }

  /** Every stored entry with its keys (reference search, snapshots). */
  *all(): IterableIterator<{ entry: E; keys: readonly string[] }> {
    yield* this.entries.values();
  }

  removeSync(account: string): boolean {
    const stored = this.entries.get(account);
    if (!stored) return false;
    for (const key of stored.keys) {
      const bucket = this.buckets.get(key);
      bucket?.delete(stored);
      if (bucket?.size === 0) this.buckets.delete(key);
    }
    this.entries.delete(account);
    return true;
  }
}
