import { OnePermutationHasher } from '../text/minhash.js';
import { decodeSetSignature, type SetSignature, setSimilaritySignal } from './set-similarity.js';

/** One-permutation MinHash signature of the set of followed (or early-joined) accounts. */
export type FolloweesFingerprint = SetSignature;

// Follower lists run to thousands: one hash per followee, not one per permutation.
const SLOTS = 64;
const hasher = new OnePermutationHasher(SLOTS, 0xf011);

/**
 * The signature of a follow list, all the signal compares. Ingest publishes it (encoded with
 * `encodeSetSignature`) in place of the list, so the list goes no further than ingest.
 */
export function followeesSignature(followees: readonly string[]): FolloweesFingerprint | undefined {
  return followees.length > 0 ? hasher.signature(followees) : undefined;
}

export const followeesSignal = setSimilaritySignal({
  name: 'followees',
  // A message carries the signature (from ingest) or, from older producers, the list itself.
  signature: (account) =>
    account.followeesSignature !== undefined
      ? decodeSetSignature(account.followeesSignature, SLOTS)
      : followeesSignature(account.followees ?? []),
  levels: [
    ['high', 0.3],
    ['medium', 0.12],
    ['low', 0.04],
  ],
  bands: 16,
  rows: 3,
  noun: 'follows',
});
