import type { AccountFingerprint, BannedFingerprint } from '../fingerprint.js';
import type { SignalRegistry } from '../signals/registry.js';
import { comparePair } from './compare.js';
import type { TermFrequencies } from './frequencies.js';
import type { ScoringModel } from './model.js';

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

  function weight(comparison: string, level: string, sharedKey?: string): number | undefined {
    const parameters = model.comparisons[comparison]?.[level];
    if (!parameters) return undefined;
    const u = sharedKey
      ? Math.max(parameters.u, frequencies.share(`${comparison}:${sharedKey}`))
      : parameters.u;
    return scale * log2(parameters.m / u);
  }

  return {
    model,
    score(candidate, banned) {
      const evidence: Evidence[] = [];
      let logit = prior;
      for (const { comparison, level, detail, sharedKey } of comparePair(candidate, banned, registry)) {
        const w = weight(comparison, level, sharedKey);
        if (w === undefined) continue;
        evidence.push({ signal: comparison, level, weight: w, detail });
        logit += w;
      }
      return { probability: 1 / (1 + 2 ** -logit), logit, prior, evidence };
    },
  };
}
