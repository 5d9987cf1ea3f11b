import { lshBands, MinHasher, wordShingles } from '../text/minhash.js';
import { foldText } from '../text/normalize.js';
import { estimateJaccard, levelFor } from './minhash-levels.js';
import type { Comparison, SignalType } from './signal.js';

/** MinHash signature of the bio's word shingles (single words and adjacent pairs). */
export type BioFingerprint = number[];

const PERMUTATIONS = 64;
/** Blocking uses the first 32 values (8 bands of 4): bios are supporting evidence, rarely the finder. */
const BANDS = 8;
const ROWS = 4;
// Bios are short: densified one-permutation hashing would correlate their bands.
const hasher = new MinHasher(PERMUTATIONS, 0xb10);
const LEVELS = [
  ['high', 0.6],
  ['medium', 0.35],
  ['low', 0.15],
] as const;

function compareBios(a: BioFingerprint, b: BioFingerprint): Comparison {
  const jaccard = estimateJaccard(a, b);
  return {
    level: levelFor(jaccard, LEVELS, 'none'),
    detail: `bio wording overlap ≈ ${Math.round(100 * jaccard)}%`,
  };
}

export const bioSignal: SignalType<BioFingerprint> = {
  name: 'bio',
  levels: ['high', 'medium', 'low', 'none'],
  fingerprint(account) {
    if (!account.bio) return undefined;
    return hasher.signature(wordShingles(foldText(account.bio)));
  },
  blockingKeys: (signature) => lshBands(signature, BANDS, ROWS),
  compare: compareBios,
  referenceCompare(a, b) {
    let equal = 0;
    a.forEach((value, index) => {
      if (value === b[index]) equal += 1;
    });
    const jaccard = a.length === 0 ? 0 : equal / a.length;
    return {
      level: levelFor(jaccard, LEVELS, 'none'),
      detail: `bio wording overlap ≈ ${Math.round(100 * jaccard)}%`,
    };
  },
};
