import type { AccountFingerprint } from '../fingerprint.js';

export interface Candidate<E extends AccountFingerprint> {
  entry: E;
  /** How many of the query's blocking keys this entry shares. */
  hits: number;
}

export interface CandidateQueryOptions {
  /** Most candidates to return, best (most hits) first. */
  limit?: number;
}

/**
 * Candidate retrieval by blocking keys. Implementations (in memory, Redis) must return exactly
 * what `bruteForceCandidates` returns on the same data: the conformance suite checks it.
 *
 * Semantics every implementation shares:
 * - an entry is a candidate when it shares at least one blocking key with the query;
 * - a key held by more than `maxBucketSize` entries is over-full (the default avatar) and is
 *   ignored for retrieval — term-frequency adjustment already makes such values weak evidence;
 * - candidates are ordered by hits (descending), then by account (ascending), then cut to `limit`.
 */
export interface CandidateIndex<E extends AccountFingerprint> {
  /** Adds or replaces the entry for `entry.account` under `keys`. */
  upsert(entry: E, keys: readonly string[]): Promise<void>;
  /** Removes the entry and every key pointing at it; false when it was not there. */
  remove(account: string): Promise<boolean>;
  get(account: string): Promise<E | undefined>;
  candidates(keys: readonly string[], options?: CandidateQueryOptions): Promise<Candidate<E>[]>;
  size(): Promise<number>;
}

/**
 * Buckets larger than this say little about who matches whom (the default avatar, a bio
 * template many accounts share) and would cost a scan of every member per query.
 */
export const DEFAULT_MAX_BUCKET_SIZE = 100;
export const DEFAULT_CANDIDATE_LIMIT = 50;

/** The ordering rule shared by every implementation. */
export function rankCandidates<E extends AccountFingerprint>(
  candidates: Candidate<E>[],
  limit: number,
): Candidate<E>[] {
  candidates.sort((a, b) =>
    b.hits !== a.hits
      ? b.hits - a.hits
      : a.entry.account < b.entry.account
        ? -1
        : a.entry.account > b.entry.account
          ? 1
          : 0,
  );
  return candidates.length > limit ? candidates.slice(0, limit) : candidates;
}
