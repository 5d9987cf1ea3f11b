/**
 * MinHash over string sets, with LSH banding for blocking. Deterministic across runs and
 * machines: a fixed 32-bit string hash, and permutations derived from it by xor-and-mix
 * (murmur3's finaliser), which costs two multiplications per permutation.
 */

import { hex32 } from '../hex.js';

/** FNV-1a over UTF-16 code units, then mixed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return mix(hash >>> 0);
}

function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class MinHasher {
  private readonly seeds: Uint32Array;

  constructor(
    readonly permutations: number,
    seed = 0x5eed,
  ) {
    this.seeds = new Uint32Array(permutations);
    let state = seed >>> 0;
    for (let i = 0; i < permutations; i += 1) {
      state = mix((state + 0x9e3779b9) >>> 0);
      this.seeds[i] = state;
    }
  }

  /** The signature of a set of tokens (duplicates do not matter); empty sets give undefined. */
  signature(tokens: Iterable<string>): number[] | undefined {
    const mins = new Uint32Array(this.permutations).fill(0xffffffff);
    let any = false;
    for (const token of tokens) {
      any = true;
      const base = hashString(token);
      for (let i = 0; i < this.permutations; i += 1) {
        const value = mix((base ^ (this.seeds[i] ?? 0)) >>> 0);
        if (value < (mins[i] ?? 0)) mins[i] = value;
      }
    }
    if (!any) return undefined;
    // A plain copy: Array.from on a typed array goes through its iterator, an object per value.
    // Pushed, not preallocated, so the array is packed like the ones parsed from stored records.
    const signature: number[] = [];
    for (let i = 0; i < this.permutations; i += 1) signature.push(mins[i] ?? 0);
    return signature;
  }
}

/** Band keys `<band>.<hex>`: two signatures agreeing on every row of a band share that key. */
export function lshBands(signature: readonly number[], bands: number, rows: number): string[] {
  const keys: string[] = [];
  for (let band = 0; band < bands; band += 1) {
    let hash = 0x811c9dc5 ^ band;
    for (let row = 0; row < rows; row += 1) {
      hash = Math.imul(hash ^ (signature[band * rows + row] ?? 0), 0x01000193);
    }
    keys.push(`${band}.${hex32(mix(hash >>> 0))}`);
  }
  return keys;
}

/** Probability that a pair with Jaccard similarity s shares at least one band. */
export function lshCandidateProbability(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}

/** Character n-grams with boundary markers, so prefixes and suffixes count. */
export function charNgrams(text: string, n: number): string[] {
  const padded = `^${text}$`;
  const grams: string[] = [];
  for (let i = 0; i + n <= padded.length; i += 1) grams.push(padded.slice(i, i + n));
  return grams;
}

const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or our that the this to was we were will with you your'.split(
    ' ',
  ),
);

/** Words (normalised text split on non-letters), stop words dropped. */
export function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 1 && !STOP_WORDS.has(word));
}

/** Single words and adjacent word pairs: reordered bios keep most of their shingles. */
export function wordShingles(text: string): string[] {
  const list = words(text);
  const shingles = [...list];
  for (let i = 0; i + 1 < list.length; i += 1) shingles.push(`${list[i]} ${list[i + 1]}`);
  return shingles;
}

export function exactJaccard(a: Iterable<string>, b: Iterable<string>): number {
  const setA = new Set(a);
  const setB = new Set(b);
  let shared = 0;
  for (const item of setA) if (setB.has(item)) shared += 1;
  const union = setA.size + setB.size - shared;
  return union === 0 ? 0 : shared / union;
}

/**
 * One-permutation MinHash (Li, Owen & Zhang 2012) with rotation densification (Shrivastava 2017):
 * each element is hashed once and falls into one of `bins` bins, whose minimum is kept; empty
 * bins borrow from the next non-empty one. One hash per element instead of one per permutation,
 * which matters for follower lists of thousands; Jaccard estimates stay unbiased.
 */
export class OnePermutationHasher {
  private readonly shift: number;
  private readonly mask: number;

  constructor(
    readonly bins: number,
    private readonly seed = 0x0b1e,
  ) {
    if (!Number.isInteger(Math.log2(bins))) throw new RangeError('bins must be a power of two');
    this.shift = 32 - Math.log2(bins);
    this.mask = (1 << this.shift) - 1;
  }

  signature(tokens: Iterable<string>): number[] | undefined {
    const mins = new Uint32Array(this.bins).fill(0xffffffff);
    const filled = new Uint8Array(this.bins);
    let any = false;
    for (const token of tokens) {
      any = true;
      const hash = mix((hashString(token) ^ this.seed) >>> 0);
      const bin = hash >>> this.shift;
      const value = hash & this.mask;
      if (value < (mins[bin] ?? 0)) mins[bin] = value;
      filled[bin] = 1;
    }
    if (!any) return undefined;
    const out = new Array<number>(this.bins);
    for (let bin = 0; bin < this.bins; bin += 1) {
      let source = bin;
      let hops = 0;
      while (!filled[source]) {
        source = (source + 1) % this.bins;
        hops += 1;
      }
      // The hop count keeps borrowed values distinct from the donor's own.
      out[bin] =
        hops === 0 ? (mins[source] ?? 0) : (((mins[source] ?? 0) + hops * 0x9e3779b1) >>> 0) | 0x80000000;
    }
    return out.map((value) => value >>> 0);
  }
}
