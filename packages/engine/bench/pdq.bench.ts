// PDQ hashing rate, multi-index query rate, and MIH recall beyond its guaranteed radius.
//   node --conditions=source --import tsx packages/engine/bench/pdq.bench.ts
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pdqFromImage } from '../src/pdq/decode.js';
import { GUARANTEED_RADIUS, MultiIndexHash } from '../src/pdq/mih.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const image = readFileSync(join(root, '..', 'shared', 'data', 'pdq', 'bridge-mods', 'square-512x512.jpg'));

let state = 99;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const randomHash = () => Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('');
function flip(hash: string, bits: number): string {
  const digits = hash.split('').map((digit) => Number.parseInt(digit, 16));
  const positions = new Set<number>();
  while (positions.size < bits) positions.add(Math.floor(random() * 256));
  for (const position of positions)
    digits[position >> 2] = (digits[position >> 2] ?? 0) ^ (1 << (position & 3));
  return digits.map((digit) => digit.toString(16)).join('');
}

// Hashing: decode + hash of a 512 × 512 JPEG.
let started = performance.now();
const hashRuns = 40;
for (let i = 0; i < hashRuns; i += 1) await pdqFromImage(image);
const hashesPerSecond = hashRuns / ((performance.now() - started) / 1000);

// Index of 100,000 random hashes; queries for perturbed copies of stored hashes.
const stored = Array.from({ length: 100_000 }, randomHash);
const index = new MultiIndexHash<number>();
stored.forEach((hash, id) => {
  index.add(id, hash);
});
const recallByDistance: Record<number, number> = {};
let queries = 0;
started = performance.now();
for (let distance = 0; distance <= 31; distance += 1) {
  let found = 0;
  const trials = 400;
  for (let trial = 0; trial < trials; trial += 1) {
    const id = Math.floor(random() * stored.length);
    const query = flip(stored[id] ?? '', distance);
    queries += 1;
    if (index.query(query, 31).some((hit) => hit.id === id)) found += 1;
  }
  recallByDistance[distance] = found / trials;
}
const queriesPerSecond = queries / ((performance.now() - started) / 1000);
const beyond = Object.entries(recallByDistance).filter(([distance]) => Number(distance) > GUARANTEED_RADIUS);

process.stdout.write(
  `${JSON.stringify({
    bench: 'pdq',
    hashesPerSecond512: Math.round(hashesPerSecond),
    mihQueriesPerSecondOver100k: Math.round(queriesPerSecond),
    guaranteedRadius: GUARANTEED_RADIUS,
    recallAtGuaranteedRadius: recallByDistance[GUARANTEED_RADIUS],
    recallBeyondGuaranteedRadius: Object.fromEntries(beyond.map(([d, r]) => [d, Number(r.toFixed(3))])),
  })}\n`,
);
