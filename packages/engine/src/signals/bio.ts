import { MinHasher, wordShingles } from '../text/minhash.js';
import { foldText } from '../text/normalize.js';
import { type SetSignature, setSimilaritySignal } from './set-similarity.js';

/** MinHash signature of the bio's word shingles (single words and adjacent pairs). */
export type BioFingerprint = SetSignature;

// Bios are short: densified one-permutation hashing would correlate their bands.
const hasher = new MinHasher(64, 0xb10);

export const bioSignal = setSimilaritySignal({
  name: 'bio',
  signature: (account) => (account.bio ? hasher.signature(wordShingles(foldText(account.bio))) : undefined),
  levels: [
    ['high', 0.6],
    ['medium', 0.35],
    ['low', 0.15],
  ],
  // 8 bands of 4 (the first 32 slots): bios are supporting evidence, rarely what finds a mirror.
  bands: 8,
  rows: 4,
  noun: 'bio wording',
});
