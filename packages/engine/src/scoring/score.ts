import type { AccountFingerprint, BannedFingerprint } from '../fingerprint.js';
import type { SignalRegistry } from '../signals/registry.js';
import type { Comparison } from '../signals/signal.js';
import type { TermFrequencies } from './frequencies.js';
import type { ScoringModel } from './model.js';
import { comparePlatform, compareTiming } from './timing.js';

/** One line of an alert's evidence: its weight is in calibrated log2-odds (bits). */
export interface Evidence {
  signal: string;
  level: string;
  weight: number;
  detail: string;
}

export interface PairScore {
  /** Calibrated probability that both accounts belong to the same operator. */
  probability: number;
  /** Calibrated log2-odds: `prior + Σ evidence weights`, exactly. */
  logit: number;
  /** The starting point before any evidence, in the same units. */
  prior: number;
  evidence: Evidence[];
}

export interface Scorer {
  readonly model: ScoringModel;
  score(candidate: AccountFingerprint, banned: BannedFingerprint): PairScore;
}

const log2 = Math.log2;

/**
 * Fellegi–Sunter scoring: each comparison's level contributes log2(m/u); a shared value's
 * population share raises u (term-frequency adjustment); the sum plus the prior's log-odds is
 * calibrated linearly. The calibration is folded into every weight and the prior, so the evidence
 * list a moderator reads adds up to the score shown.
 */
export function createScorer(
  model: ScoringModel,
  registry: SignalRegistry,
  frequencies: TermFrequencies,
): Scorer {
  const { scale, offset } = model.calibration;
  const prior = scale * log2(model.prior / (1 - model.prior)) + offset;
  // Weights precomputed per comparison and level; only term-frequency adjustments cost a lookup.
  const table = new Map<string, Map<string, { weight: number; m: number; u: number }>>();
  for (const [comparison, levels] of Object.entries(model.comparisons)) {
    const byLevel = new Map<string, { weight: number; m: number; u: number }>();
    for (const [level, { m, u }] of Object.entries(levels))
      byLevel.set(level, { weight: scale * log2(m / u), m, u });
    table.set(comparison, byLevel);
  }

  function weight(comparison: string, level: string, sharedKey?: string): number | undefined {
    const parameters = table.get(comparison)?.get(level);
    if (!parameters) return undefined;
    if (!sharedKey) return parameters.weight;
    const share = frequencies.share(`${comparison}:${sharedKey}`);
    return share > parameters.u ? scale * log2(parameters.m / share) : parameters.weight;
  }

  function pushEvidence(
    evidence: Evidence[],
    signal: string,
    { level, detail, sharedKey }: Comparison,
  ): void {
    const w = weight(signal, level, sharedKey);
    if (w !== undefined) evidence.push({ signal, level, weight: w, detail });
  }

  return {
    model,
    score(candidate, banned) {
      const evidence: Evidence[] = [];
      // The same comparisons as comparePair, without an intermediate list (hot path).
      for (const signal of registry.signals) {
        const a = candidate.signals[signal.name];
        const b = banned.signals[signal.name];
        if (a !== undefined && b !== undefined) pushEvidence(evidence, signal.name, signal.compare(a, b));
      }
      pushEvidence(evidence, 'timing', compareTiming(candidate, banned));
      pushEvidence(evidence, 'platform', comparePlatform(candidate, banned));
      let logit = prior;
      for (const item of evidence) logit += item.weight;
      return { probability: 1 / (1 + 2 ** -logit), logit, prior, evidence };
    },
  };
}
