import { type AccountFingerprint, type Candidate, rankCandidates } from '@mirrorwatch/engine';
import type { StoredRecord } from './record.js';

/** Stands for a bucket holding more than `maxBucketSize` ids: ignored, so its ids are not read. */
export const OVER_FULL = Symbol('over-full bucket');

/** Bucket members (document ids) per blocking key, or `OVER_FULL`. */
export type Buckets = ReadonlyMap<string, readonly string[] | typeof OVER_FULL>;

/** A bucket's ids if retrieval uses it: not missing, not over-full (read as such, or too big). */
export function usableMembers(
  members: readonly string[] | typeof OVER_FULL | undefined,
  maxBucketSize: number,
): readonly string[] | undefined {
  return members === undefined || members === OVER_FULL || members.length > maxBucketSize
    ? undefined
    : members;
}

/** What a fetch found per id: the record, or null when the id's record has expired (a ghost). */
export type FetchedRecords<E extends AccountFingerprint> = ReadonlyMap<string, StoredRecord<E> | null>;

interface HitGroup {
  hits: number;
  ids: string[];
}

/**
 * One query's ranking, resolved in rounds. Ids are counted from the buckets alone, but the order
 * among equal hits is by account, which only the records hold; so records are fetched for whole
 * groups of equal hits, from the most hits down, until the live ones among them fill `limit`.
 * Ghost ids (record expired, id still in a bucket) are dropped and the next group is taken.
 */
export class RankedQuery<E extends AccountFingerprint> {
  private readonly groups: HitGroup[];
  /** How many groups (from the top) have been asked for. */
  private taken = 0;

  constructor(
    query: readonly string[],
    buckets: Buckets,
    maxBucketSize: number,
    private readonly limit: number,
  ) {
    this.groups = groupByHits(countHits(query, buckets, maxBucketSize));
  }

  /**
   * Ids whose records are still needed, given what has been fetched so far; empty when the
   * ranking is settled.
   */
  wanted(fetched: FetchedRecords<E>): string[] {
    let live = 0;
    for (const group of this.groups.slice(0, this.taken)) {
      for (const id of group.ids) if (fetched.get(id)) live += 1;
    }
    const wanted: string[] = [];
    while (live < this.limit && this.taken < this.groups.length) {
      const group = this.groups[this.taken]!;
      this.taken += 1;
      for (const id of group.ids) {
        const record = fetched.get(id);
        if (record === undefined) wanted.push(id);
        // Not yet fetched: assume live; the next round corrects this if it was a ghost.
        if (record !== null) live += 1;
      }
    }
    return wanted;
  }

  /** The final candidates, once `wanted` has come back empty. */
  result(fetched: FetchedRecords<E>): Candidate<E>[] {
    const found: Candidate<E>[] = [];
    for (const group of this.groups.slice(0, this.taken)) {
      for (const id of group.ids) {
        const record = fetched.get(id);
        if (record) found.push({ entry: record.entry, hits: group.hits });
      }
    }
    return rankCandidates(found, this.limit);
  }
}

/**
 * Resolves every query's ranking together: each round fetches (with `fetch`, deduplicated across
 * queries) the records the rankings still need, until all are settled. Returns the candidates
 * per query and every record fetched on the way (null for ghosts).
 */
export async function resolveRankings<E extends AccountFingerprint>(
  queries: readonly (readonly string[])[],
  buckets: Buckets,
  maxBucketSize: number,
  limit: number,
  fetch: (ids: string[]) => Promise<ReadonlyMap<string, StoredRecord<E> | null>>,
): Promise<{ candidates: Candidate<E>[][]; fetched: FetchedRecords<E> }> {
  const rankings = queries.map((query) => new RankedQuery<E>(query, buckets, maxBucketSize, limit));
  const fetched = new Map<string, StoredRecord<E> | null>();
  for (;;) {
    const wanted = [...new Set(rankings.flatMap((ranking) => ranking.wanted(fetched)))];
    if (wanted.length === 0) break;
    for (const [id, record] of await fetch(wanted)) fetched.set(id, record);
  }
  return { candidates: rankings.map((ranking) => ranking.result(fetched)), fetched };
}

/** Hits per id over the query's distinct, not over-full keys. */
function countHits(query: readonly string[], buckets: Buckets, maxBucketSize: number): Map<string, number> {
  const hits = new Map<string, number>();
  for (const key of new Set(query)) {
    const members = usableMembers(buckets.get(key), maxBucketSize);
    if (!members) continue;
    for (const id of members) hits.set(id, (hits.get(id) ?? 0) + 1);
  }
  return hits;
}

function groupByHits(hits: ReadonlyMap<string, number>): HitGroup[] {
  const groups = new Map<number, string[]>();
  for (const [id, count] of hits) {
    const ids = groups.get(count);
    if (ids) ids.push(id);
    else groups.set(count, [id]);
  }
  return [...groups].map(([count, ids]) => ({ hits: count, ids })).sort((a, b) => b.hits - a.hits);
}
