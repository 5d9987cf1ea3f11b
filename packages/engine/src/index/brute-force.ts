import type { AccountFingerprint } from '../fingerprint.js';
import {
  type Candidate,
  DEFAULT_CANDIDATE_LIMIT,
  DEFAULT_MAX_BUCKET_SIZE,
  rankCandidates,
} from './candidate-index.js';

/**
 * The obviously-correct reference: look at every entry. Every index must return what this
 * returns on the same entries (see `CandidateIndex` for the shared semantics).
 */
export function bruteForceCandidates<E extends AccountFingerprint>(
  stored: Iterable<{ entry: E; keys: readonly string[] }>,
  query: readonly string[],
  { limit = DEFAULT_CANDIDATE_LIMIT, maxBucketSize = DEFAULT_MAX_BUCKET_SIZE } = {},
): Candidate<E>[] {
  const entries = [...stored].map(({ entry, keys }) => ({ entry, keys: new Set(keys) }));
  const bucketSize = (key: string) => entries.filter((item) => item.keys.has(key)).length;
  const usable = [...new Set(query)].filter((key) => bucketSize(key) <= maxBucketSize);
  const found: Candidate<E>[] = [];
  for (const { entry, keys } of entries) {
    const hits = usable.filter((key) => keys.has(key)).length;
    if (hits > 0) found.push({ entry, hits });
  }
  return rankCandidates(found, limit);
}
