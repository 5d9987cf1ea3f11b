import { OnePermutationHasher } from '../text/minhash.js';
import { type SetSignature, setSimilaritySignal } from './set-similarity.js';

/** One-permutation MinHash signature of the set of followed (or early-joined) accounts. */
export type FolloweesFingerprint = SetSignature;

// Follower lists run to thousands: one hash per followee, not one per permutation.
const hasher = new OnePermutationHasher(64, 0xf011);

export const followeesSignal = setSimilaritySignal({
  name: 'followees',
  signature: (account) => (account.followees?.length ? hasher.signature(account.followees) : undefined),
  levels: [
    ['high', 0.3],
    ['medium', 0.12],
    ['low', 0.04],
  ],
  bands: 16,
  rows: 3,
  noun: 'follows',
});
