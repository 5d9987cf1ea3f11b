import { hex16Padded } from '../hex.js';
import { hammingWords, type PdqWords, pdqWords } from './hamming.js';

/**
 * Multi-index hashing over PDQ's sixteen 16-bit words. Pigeonhole: two hashes within distance r
 * of each other, with r < 16, agree exactly on at least one of the 16 words, so looking up each
 * word of the query finds every hash within GUARANTEED_RADIUS = 15. Beyond that (up to the match
 * threshold 31) recall is high but not guaranteed; `packages/engine/bench/pdq.bench.ts` measures it.
 */
export const SEGMENTS = 16;
export const GUARANTEED_RADIUS = SEGMENTS - 1;

/** The blocking keys of a hash: `<segment index>:<word hex>`. */
export function segmentKeys(hex: string): string[] {
  const words = pdqWords(hex);
  // A plain loop: Array.from on a typed array goes through its iterator, an object per word.
  const keys: string[] = [];
  for (let index = 0; index < words.length; index += 1)
    keys.push(`${index}:${hex16Padded(words[index] ?? 0)}`);
  return keys;
}

export class MultiIndexHash<Id> {
  private readonly tables = Array.from({ length: SEGMENTS }, () => new Map<number, Set<Id>>());
  private readonly hashes = new Map<Id, PdqWords>();

  get size(): number {
    return this.hashes.size;
  }

  add(id: Id, hex: string): void {
    this.remove(id);
    const words = pdqWords(hex);
    this.hashes.set(id, words);
    words.forEach((word, segment) => {
      const table = this.tables[segment];
      if (!table) return;
      let bucket = table.get(word);
      if (!bucket) {
        bucket = new Set();
        table.set(word, bucket);
      }
      bucket.add(id);
    });
  }

  remove(id: Id): void {
    const words = this.hashes.get(id);
    if (!words) return;
    words.forEach((word, segment) => {
      const bucket = this.tables[segment]?.get(word);
      bucket?.delete(id);
      if (bucket?.size === 0) this.tables[segment]?.delete(word);
    });
    this.hashes.delete(id);
  }

  /** Every stored hash within `radius` (at most GUARANTEED_RADIUS for a complete answer). */
  query(hex: string, radius = GUARANTEED_RADIUS): Array<{ id: Id; distance: number }> {
    const words = pdqWords(hex);
    const seen = new Set<Id>();
    const found: Array<{ id: Id; distance: number }> = [];
    words.forEach((word, segment) => {
      for (const id of this.tables[segment]?.get(word) ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        const stored = this.hashes.get(id);
        if (!stored) continue;
        const distance = hammingWords(words, stored);
        if (distance <= radius) found.push({ id, distance });
      }
    });
    return found;
  }
}

/** The slow, obviously-correct search every index is checked against. */
export function bruteForceQuery<Id>(
  stored: Iterable<[Id, string]>,
  hex: string,
  radius: number,
): Array<{ id: Id; distance: number }> {
  const query = pdqWords(hex);
  const found: Array<{ id: Id; distance: number }> = [];
  for (const [id, other] of stored) {
    const distance = hammingWords(query, pdqWords(other));
    if (distance <= radius) found.push({ id, distance });
  }
  return found;
}
