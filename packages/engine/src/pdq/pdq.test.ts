import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DCT_MATRIX } from './dct.js';
import { PdqError, pdqFromImage } from './decode.js';
import { hammingDistance, pdqWords } from './hamming.js';
import { pdqFromPixels } from './hash.js';
import { jaroszWindowSize } from './jarosz.js';
import { bruteForceQuery, GUARANTEED_RADIUS, MultiIndexHash, segmentKeys } from './mih.js';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'turbo.json'))) dir = dirname(dir);
  return dir;
}
const data = resolve(repoRoot(), '..', 'shared', 'data', 'pdq');
const lines = (file: string) =>
  readFileSync(join(data, file), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

describe('PDQ against the reference implementation', () => {
  const expected = lines('expected-hashes.tsv').map((line) => {
    const [path = '', hash = ''] = line.split('\t');
    return { path, hash };
  });

  it('hashes every reference image within distance 16 of the reference, median ≤ 8', async () => {
    expect(expected.length).toBeGreaterThan(10);
    const distances: Record<string, number> = {};
    for (const { path, hash } of expected) {
      const result = await pdqFromImage(readFileSync(join(data, path)));
      distances[path] = hammingDistance(result.hash, hash);
    }
    const values = Object.values(distances).sort((a, b) => a - b);
    const median = values[(values.length - 1) >> 1] ?? Number.POSITIVE_INFINITY;
    expect(Math.max(...values), JSON.stringify(distances)).toBeLessThanOrEqual(16);
    expect(median, JSON.stringify(distances)).toBeLessThanOrEqual(8);
  });

  it('keeps every bridge-mods edit within the match threshold 31 of the original', async () => {
    const original = await pdqFromImage(readFileSync(join(data, 'bridge-mods', 'aaa-orig.jpg')));
    const mods = [
      'blur-a-little.jpg',
      'blur-a-lot.jpg',
      'high-contrast.jpg',
      'high-saturation.jpg',
      'sharpen-a-little.jpg',
      'sharpen-a-lot.jpg',
      'shrink-a-little.jpg',
      'shrink-a-lot.jpg',
      'square-128x128.jpg',
      'square-256x256.jpg',
      'square-512x512.jpg',
    ];
    for (const mod of mods) {
      const result = await pdqFromImage(readFileSync(join(data, 'bridge-mods', mod)));
      expect(hammingDistance(result.hash, original.hash), mod).toBeLessThanOrEqual(31);
    }
    expect(original.quality).toBeGreaterThanOrEqual(50);
  });

  it('tells a rotated photo from its original (PDQ is not rotation-invariant)', async () => {
    const original = await pdqFromImage(
      readFileSync(join(data, 'reg-test-input', 'dih', 'bridge-1-original.jpg')),
    );
    const rotated = await pdqFromImage(
      readFileSync(join(data, 'reg-test-input', 'dih', 'bridge-3-rotate-180.jpg')),
    );
    expect(hammingDistance(original.hash, rotated.hash)).toBeGreaterThan(31);
  });

  it('refuses bytes that are not an image with a typed error', async () => {
    await expect(pdqFromImage(Buffer.from('not an image'))).rejects.toBeInstanceOf(PdqError);
  });
});

describe('PDQ building blocks', () => {
  it('uses the reference window sizes', () => {
    expect(jaroszWindowSize(512, 64)).toBe(4);
    expect(jaroszWindowSize(64, 64)).toBe(1);
    expect(jaroszWindowSize(1000, 64)).toBe(8);
  });

  it('has orthonormal DCT rows', () => {
    for (let a = 0; a < 16; a += 1) {
      for (let b = 0; b < 16; b += 1) {
        let dot = 0;
        for (let k = 0; k < 64; k += 1) dot += (DCT_MATRIX[a * 64 + k] ?? 0) * (DCT_MATRIX[b * 64 + k] ?? 0);
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 9);
      }
    }
  });

  it('gives a flat image quality 0 and a textured one a high quality', () => {
    const flat = pdqFromPixels(new Uint8Array(128 * 128).fill(128), 128, 128, 1);
    expect(flat.quality).toBe(0);
    const stripes = new Uint8Array(128 * 128).map((_, p) => (((p % 128) >> 3) % 2 ? 255 : 0));
    expect(pdqFromPixels(stripes, 128, 128, 1).quality).toBeGreaterThan(50);
  });

  it('computes Hamming distance and parses words in the reference order', () => {
    const a = '0'.repeat(64);
    expect(hammingDistance(a, `${'0'.repeat(63)}f`)).toBe(4);
    expect(hammingDistance(a, 'f'.repeat(64))).toBe(256);
    expect(pdqWords(`${'0'.repeat(60)}abcd`)[0]).toBe(0xabcd);
    expect(segmentKeys(`${'0'.repeat(60)}abcd`)[0]).toBe('0:abcd');
  });
});

describe('multi-index hashing', () => {
  const haystack = lines('reg-test-input/haystack.txt');
  const needles = lines('reg-test-input/needles.txt');

  it(`returns exactly what brute force returns within the guaranteed radius ${GUARANTEED_RADIUS}`, () => {
    const index = new MultiIndexHash<number>();
    haystack.forEach((hash, id) => {
      index.add(id, hash);
    });
    const stored = haystack.map((hash, id) => [id, hash] as [number, string]);
    let found = 0;
    for (const needle of [...needles, ...haystack.slice(0, 50)]) {
      for (const radius of [0, 8, GUARANTEED_RADIUS]) {
        const expected = bruteForceQuery(stored, needle, radius).sort((a, b) => a.id - b.id);
        const actual = index.query(needle, radius).sort((a, b) => a.id - b.id);
        expect(actual).toEqual(expected);
        found += actual.length;
      }
    }
    expect(found).toBeGreaterThan(0);
  });

  it('forgets removed hashes', () => {
    const index = new MultiIndexHash<string>();
    index.add('a', haystack[0] ?? '');
    index.remove('a');
    expect(index.query(haystack[0] ?? '')).toEqual([]);
    expect(index.size).toBe(0);
  });
});
