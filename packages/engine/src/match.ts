import type { AccountFingerprint, BannedFingerprint } from './fingerprint.js';
import type { CandidateIndex } from './index/candidate-index.js';
import type { PairScore, Scorer } from './scoring/score.js';

export interface MatchResult {
  banned: BannedFingerprint;
  score: PairScore;
}

export interface MatchOptions {
  /** Candidates scored per account; the rest are the weakest by shared blocking keys. */
  candidateLimit?: number;
  /** Only matches at or above this probability are returned; defaults to the model's review threshold. */
  threshold?: number;
}

/**
 * The matcher's core, shared by the streaming service and offline evaluation: candidates by
 * blocking keys, each scored, the ones worth a moderator's time returned best first.
 */
export async function matchAccount(
  candidate: AccountFingerprint,
  keys: readonly string[],
  index: CandidateIndex<BannedFingerprint>,
  scorer: Scorer,
  { candidateLimit = 50, threshold = scorer.model.reviewThreshold }: MatchOptions = {},
): Promise<MatchResult[]> {
  const candidates = await index.candidates(keys, { limit: candidateLimit });
  return scoreCandidates(
    candidate,
    candidates.map((found) => found.entry),
    scorer,
    threshold,
  );
}

export function scoreCandidates(
  candidate: AccountFingerprint,
  banned: readonly BannedFingerprint[],
  scorer: Scorer,
  threshold: number,
): MatchResult[] {
  const results: MatchResult[] = [];
  for (const entry of banned) {
    if (entry.account === candidate.account) continue;
    const score = scorer.score(candidate, entry);
    if (score.probability >= threshold) results.push({ banned: entry, score });
  }
  return results.sort((a, b) => b.score.logit - a.score.logit);
}
