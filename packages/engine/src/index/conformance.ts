import { describe, expect, it } from 'vitest';
import type { BannedFingerprint } from '../fingerprint.js';
import { bruteForceCandidates } from './brute-force.js';
import type { CandidateIndex } from './candidate-index.js';

export interface ConformanceSubject {
  index: CandidateIndex<BannedFingerprint>;
  /** Releases what the index holds (keys, connections). */
  close(): Promise<void>;
}

export interface ConformanceOptions {
  /** Over-full bucket limit the index under test was built with. */
  maxBucketSize: number;
}

/** Deterministic PRNG so failures reproduce. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function entry(account: string, entity: string): BannedFingerprint {
  const [platform = 'x', accountId = account] = account.split(':');
  return {
    account,
    platform: platform as BannedFingerprint['platform'],
    accountId,
    handle: accountId,
    observedAt: 1_700_000_000_000,
    bannedAt: 1_700_000_000_000,
    entity,
    signals: { handle: { key: accountId } },
  };
}

/** Random data with skew: a few very common keys (over-full buckets) and many rare ones. */
function dataset(seed: number, entries: number, maxBucketSize: number) {
  const random = mulberry32(seed);
  const commonKeys = ['avatar:default', 'ipPrefix:cgnat'];
  const items = Array.from({ length: entries }, (_, n) => {
    const keys = new Set<string>();
    const count = 1 + Math.floor(random() * 6);
    for (let k = 0; k < count; k += 1) keys.add(`handle:k${Math.floor(random() * entries * 0.6)}`);
    if (random() < 0.5) keys.add(`links:l${Math.floor(random() * 40)}`);
    for (const common of commonKeys) if (random() < (maxBucketSize * 1.5) / entries) keys.add(common);
    return { entry: entry(`x:${n}`, `entity-${n % 17}`), keys: [...keys] };
  });
  const queries = Array.from({ length: 60 }, () => {
    const keys = new Set<string>();
    const count = 1 + Math.floor(random() * 8);
    for (let k = 0; k < count; k += 1) keys.add(`handle:k${Math.floor(random() * entries * 0.6)}`);
    keys.add(`links:l${Math.floor(random() * 40)}`);
    if (random() < 0.5) keys.add(commonKeys[Math.floor(random() * commonKeys.length)] ?? 'avatar:default');
    return [...keys];
  });
  return { items, queries };
}

const summary = (candidates: { entry: BannedFingerprint; hits: number }[]) =>
  candidates.map((candidate) => `${candidate.entry.account}#${candidate.hits}`);

/**
 * The one suite every CandidateIndex must pass: the same candidates, in the same order, as the
 * brute-force reference, through inserts, replacements and removals.
 */
export function describeCandidateIndexConformance(
  name: string,
  createSubject: () => Promise<ConformanceSubject>,
  { maxBucketSize }: ConformanceOptions,
): void {
  describe(`${name} conforms to the CandidateIndex contract`, () => {
    it('returns what brute force returns, including over-full buckets and limits', async () => {
      const { index, close } = await createSubject();
      try {
        const { items, queries } = dataset(7, maxBucketSize * 4, maxBucketSize);
        for (const item of items) await index.upsert(item.entry, item.keys);
        expect(await index.size()).toBe(items.length);
        for (const query of queries) {
          for (const limit of [5, 50]) {
            const expected = bruteForceCandidates(items, query, { limit, maxBucketSize });
            expect(summary(await index.candidates(query, { limit }))).toEqual(summary(expected));
          }
        }
      } finally {
        await close();
      }
    });

    it('forgets every key of a removed entry and replaces the keys of an updated one', async () => {
      const { index, close } = await createSubject();
      try {
        const items = new Map<string, { entry: BannedFingerprint; keys: string[] }>();
        const put = async (account: string, keys: string[]) => {
          const item = { entry: entry(account, 'e'), keys };
          items.set(account, item);
          await index.upsert(item.entry, keys);
        };
        await put('x:1', ['handle:a', 'links:l']);
        await put('x:2', ['handle:a']);
        await put('telegram:3', ['links:l', 'avatar:p']);
        await put('x:1', ['handle:b']); // replaced: no longer under handle:a or links:l

        const check = async (query: string[]) =>
          expect(summary(await index.candidates(query))).toEqual(
            summary(bruteForceCandidates(items.values(), query, { maxBucketSize })),
          );
        await check(['handle:a', 'links:l', 'handle:b', 'avatar:p']);

        expect(await index.remove('telegram:3')).toBe(true);
        items.delete('telegram:3');
        expect(await index.remove('telegram:3')).toBe(false);
        expect(await index.get('telegram:3')).toBeUndefined();
        await check(['links:l', 'avatar:p', 'handle:a']);
        expect(summary(await index.candidates(['avatar:p']))).toEqual([]);
        expect((await index.get('x:1'))?.entity).toBe('e');
        expect(await index.size()).toBe(2);
      } finally {
        await close();
      }
    });

    it('keeps every field of an entry through a round trip', async () => {
      const { index, close } = await createSubject();
      try {
        const stored: BannedFingerprint = {
          ...entry('instagram:77', 'qasr foundation'),
          createdAt: 1_699_999_000_000,
          signals: {
            handle: { key: 'qasr', grams: [1, 2, 3] },
            email: 'ab12',
            links: { invites: ['tg:q'], urls: [] },
          },
        };
        await index.upsert(stored, ['email:ab12']);
        expect(await index.get('instagram:77')).toEqual(stored);
        expect((await index.candidates(['email:ab12']))[0]?.entry).toEqual(stored);
      } finally {
        await close();
      }
    });
  });
}
