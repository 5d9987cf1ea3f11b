import type { AccountFingerprint, BannedFingerprint } from '../fingerprint.js';
import type { SignalRegistry } from '../signals/registry.js';
import type { Comparison } from '../signals/signal.js';
import { comparePlatform, compareTiming, PLATFORM_LEVELS, TIMING_LEVELS } from './timing.js';

export interface PairComparison extends Comparison {
  /** A signal name, or a comparison of the pair itself (`timing`, `platform`). */
  comparison: string;
}

/** Every comparison of a candidate with a banned account; signals absent on either side are skipped. */
export function comparePair(
  candidate: AccountFingerprint,
  banned: BannedFingerprint,
  registry: SignalRegistry,
): PairComparison[] {
  const comparisons: PairComparison[] = [];
  for (const signal of registry.signals) {
    const a = candidate.signals[signal.name];
    const b = banned.signals[signal.name];
    if (a === undefined || b === undefined) continue;
    comparisons.push({ comparison: signal.name, ...signal.compare(a, b) });
  }
  comparisons.push({ comparison: 'timing', ...compareTiming(candidate, banned) });
  comparisons.push({ comparison: 'platform', ...comparePlatform(candidate, banned) });
  return comparisons;
}

/** Level names of every comparison the model has parameters for. */
export function comparisonLevels(registry: SignalRegistry): Record<string, readonly string[]> {
  const levels: Record<string, readonly string[]> = { timing: TIMING_LEVELS, platform: PLATFORM_LEVELS };
  for (const signal of registry.signals) levels[signal.name] = signal.levels;
  return levels;
}
