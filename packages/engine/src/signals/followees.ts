import { lshBands, OnePermutationHasher } from '../text/minhash.js';
import { estimateJaccard, levelFor } from './minhash-levels.js';
import type { Comparison, SignalType } from './signal.js';

/** One-permutation MinHash signature of the set of followed (or early-joined) accounts. */
export type FolloweesFingerprint = number[];

const PERMUTATIONS = 64;
const BANDS = 16;
const ROWS = 3;
// Follower lists run to thousands: one hash per followee, not one per permutation.
const hasher = new OnePermutationHasher(PERMUTATIONS, 0xf011);
const LEVELS = [
  ['high', 0.3],
  ['medium', 0.12],
  ['low', 0.04],
] as const;

function compareFollowees(a: FolloweesFingerprint, b: FolloweesFingerprint): Comparison {
  const jaccard = estimateJaccard(a, b);
  return {
    level: levelFor(jaccard, LEVELS, 'none'),
    detail: `follows overlap ≈ ${Math.round(100 * jaccard)}% (Jaccard)`,
  };
}

export const followeesSignal: SignalType<FolloweesFingerprint> = {
  name: 'followees',
  levels: ['high', 'medium', 'low', 'none'],
  fingerprint(account) {
    if (!account.followees || account.followees.length === 0) return undefined;
    return hasher.signature(account.followees);
  },
  blockingKeys: (signature) => lshBands(signature, BANDS, ROWS),
  compare: compareFollowees,
  referenceCompare(a, b) {
    let equal = 0;
    a.forEach((value, index) => {
      if (value === b[index]) equal += 1;
    });
    const jaccard = a.length === 0 ? 0 : equal / a.length;
    return {
      level: levelFor(jaccard, LEVELS, 'none'),
      detail: `follows overlap ≈ ${Math.round(100 * jaccard)}% (Jaccard)`,
    };
  },
};
