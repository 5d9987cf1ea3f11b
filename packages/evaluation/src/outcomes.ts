import type { AccountOutcome } from './metrics.js';
import type { ObservedPair } from './replay.js';

/**
 * Each candidate account's best pair: highest `rankOf` (by default its score), whose score is the
 * account's. Accounts never part of a pair score 0.
 */
export function outcomesFromPairs(
  pairs: readonly ObservedPair[],
  scoreOf: (pair: ObservedPair) => number,
  rankOf: (pair: ObservedPair) => number = scoreOf,
): Map<string, AccountOutcome> {
  const outcomes = new Map<string, AccountOutcome>();
  const ranks = new Map<string, number>();
  for (const pair of pairs) {
    const score = scoreOf(pair);
    const rank = rankOf(pair);
    const current = outcomes.get(pair.candidate);
    if (!current || rank > (ranks.get(pair.candidate) ?? Number.NEGATIVE_INFINITY)) {
      ranks.set(pair.candidate, rank);
      outcomes.set(pair.candidate, {
        account: pair.candidate,
        score,
        top: { banned: pair.banned, entity: pair.bannedEntity },
      });
    }
  }
  return outcomes;
}
