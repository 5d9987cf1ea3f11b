import { type BannedFingerprint, bruteForceCandidates } from '@mirrorwatch/engine';
import { describe, expect, it } from 'vitest';
import { type FetchedRecords, RankedQuery } from './ranking.js';
import type { StoredRecord } from './record.js';
import { bannedEntry, randomItems } from './testing/entries.js';

/** Buckets and records as Redis would hold them for `items`, ids being positions. */
function store(items: { entry: BannedFingerprint; keys: readonly string[] }[]) {
  const buckets = new Map<string, string[]>();
  const records = new Map<string, StoredRecord<BannedFingerprint>>();
  items.forEach((item, n) => {
    const id = String(n + 1);
    records.set(id, { entry: item.entry, keys: [...new Set(item.keys)] });
    for (const key of new Set(item.keys)) buckets.set(key, [...(buckets.get(key) ?? []), id]);
  });
  return { buckets, records };
}

/** Runs the fetch rounds against `records`, recording which ids each round asked for. */
function resolve(
  ranking: RankedQuery<BannedFingerprint>,
  records: Map<string, StoredRecord<BannedFingerprint>>,
) {
  const fetched = new Map<string, StoredRecord<BannedFingerprint> | null>();
  const rounds: string[][] = [];
  for (let wanted = ranking.wanted(fetched); wanted.length > 0; wanted = ranking.wanted(fetched)) {
    rounds.push(wanted);
    for (const id of wanted) fetched.set(id, records.get(id) ?? null);
  }
  return { rounds, found: ranking.result(fetched as FetchedRecords<BannedFingerprint>) };
}

const summary = (candidates: { entry: BannedFingerprint; hits: number }[]) =>
  candidates.map((candidate) => `${candidate.entry.account}#${candidate.hits}`);

describe('RankedQuery', () => {
  it('ranks as brute force does, in one fetch round when no record is missing', () => {
    const { items, queries } = randomItems(3, 200, 60);
    const { buckets, records } = store(items);
    for (const query of queries) {
      for (const limit of [1, 5, 50]) {
        const { rounds, found } = resolve(new RankedQuery(query, buckets, 8, limit), records);
        expect(summary(found)).toEqual(
          summary(bruteForceCandidates(items, query, { limit, maxBucketSize: 8 })),
        );
        expect(rounds.length).toBeLessThanOrEqual(1);
      }
    }
  });

  it('fetches the whole tie group at the cut, since order within it is by account', () => {
    const items = ['x:c', 'x:a', 'x:d', 'x:b'].map((account) => ({
      entry: bannedEntry(account),
      keys: ['k'],
    }));
    const { buckets, records } = store(items);
    const { rounds, found } = resolve(new RankedQuery(['k'], buckets, 10, 2), records);
    expect(rounds).toEqual([['1', '2', '3', '4']]);
    expect(summary(found)).toEqual(['x:a#1', 'x:b#1']);
  });

  it('stops at the group that fills the limit', () => {
    const items = [
      { entry: bannedEntry('x:two'), keys: ['a', 'b'] },
      { entry: bannedEntry('x:one'), keys: ['a'] },
    ];
    const { buckets, records } = store(items);
    const { rounds, found } = resolve(new RankedQuery(['a', 'b'], buckets, 10, 1), records);
    expect(rounds).toEqual([['1']]);
    expect(summary(found)).toEqual(['x:two#2']);
  });

  it('skips ghosts (expired records) and fills the limit further down', () => {
    const items = [
      { entry: bannedEntry('x:gone'), keys: ['a', 'b'] },
      { entry: bannedEntry('x:alive'), keys: ['a', 'b'] },
      { entry: bannedEntry('x:next'), keys: ['a'] },
      { entry: bannedEntry('x:last'), keys: ['c'] },
    ];
    const { buckets, records } = store(items);
    records.delete('1');
    const { rounds, found } = resolve(new RankedQuery(['a', 'b', 'c'], buckets, 10, 2), records);
    // The ghost takes a slot in the first round; the one-hit group is fetched next, whole.
    expect(rounds).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(summary(found)).toEqual(['x:alive#2', 'x:last#1']);
  });

  it('ignores over-full buckets and repeated query keys', () => {
    const items = Array.from({ length: 4 }, (_, n) => ({
      entry: bannedEntry(`x:${n}`),
      keys: ['common', `own:${n}`],
    }));
    const { buckets, records } = store(items);
    const { found } = resolve(new RankedQuery(['common', 'own:2', 'own:2'], buckets, 3, 10), records);
    expect(summary(found)).toEqual(['x:2#1']);
  });

  it('asks for nothing with limit 0 or no matching key', () => {
    const { buckets, records } = store([{ entry: bannedEntry('x:1'), keys: ['a'] }]);
    expect(resolve(new RankedQuery(['a'], buckets, 10, 0), records)).toEqual({ rounds: [], found: [] });
    expect(resolve(new RankedQuery(['z'], buckets, 10, 5), records)).toEqual({ rounds: [], found: [] });
  });
});
