import type { AccountFingerprint } from '../fingerprint.js';
import {
  type Candidate,
  type CandidateIndex,
  type CandidateQueryOptions,
  DEFAULT_CANDIDATE_LIMIT,
  DEFAULT_MAX_BUCKET_SIZE,
  rankCandidates,
} from './candidate-index.js';

export interface MemoryIndexOptions {
  maxBucketSize?: number;
}

/** The in-process index: buckets of account keys per blocking key. Used by eval, bench and tests. */
export class MemoryIndex<E extends AccountFingerprint> implements CandidateIndex<E> {
  private readonly buckets = new Map<string, Set<string>>();
  private readonly entries = new Map<string, { entry: E; keys: readonly string[] }>();
  private readonly maxBucketSize: number;

  constructor(options: MemoryIndexOptions = {}) {
    this.maxBucketSize = options.maxBucketSize ?? DEFAULT_MAX_BUCKET_SIZE;
  }

  async upsert(entry: E, keys: readonly string[]): Promise<void> {
    this.upsertSync(entry, keys);
  }

  /** Synchronous twins of upsert/remove/candidates, for tight in-process loops (eval, bench). */
  upsertSync(entry: E, keys: readonly string[]): void {
    this.removeSync(entry.account);
    const unique = [...new Set(keys)];
    this.entries.set(entry.account, { entry, keys: unique });
    for (const key of unique) {
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new Set();
        this.buckets.set(key, bucket);
      }
      bucket.add(entry.account);
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
    const hits = new Map<string, number>();
    for (const key of new Set(keys)) {
      const bucket = this.buckets.get(key);
      if (!bucket || bucket.size > this.maxBucketSize) continue;
      for (const account of bucket) hits.set(account, (hits.get(account) ?? 0) + 1);
    }
    const found: Candidate<E>[] = [];
    for (const [account, count] of hits) {
      const stored = this.entries.get(account);
      if (stored) found.push({ entry: stored.entry, hits: count });
    }
    return rankCandidates(found, limit);
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
      bucket?.delete(account);
      if (bucket?.size === 0) this.buckets.delete(key);
    }
    this.entries.delete(account);
    return true;
  }
}
