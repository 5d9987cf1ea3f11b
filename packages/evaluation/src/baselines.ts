import {
  type AccountFingerprint,
  type BannedFingerprint,
  jaroWinkler,
  type NameFingerprint,
} from '@mirrorwatch/engine';

/**
 * What a system without Mirrorwatch's model would do, scored on the same candidate pairs:
 * an exact match of the normalised handle, and handle similarity alone.
 */
export const BASELINES = [
  { name: 'exact normalised handle', annotation: 'exactHandle', thresholds: [1] },
  {
    name: 'handle similarity alone',
    annotation: 'handleSimilarity',
    thresholds: Array.from({ length: 30 }, (_, i) => 0.7 + i * 0.01),
  },
] as const;

export function baselineAnnotations(
  candidate: AccountFingerprint,
  banned: BannedFingerprint,
): Record<string, number> {
  const a = candidate.signals.handle as NameFingerprint | undefined;
  const b = banned.signals.handle as NameFingerprint | undefined;
  if (!a || !b) return { exactHandle: 0, handleSimilarity: 0 };
  return {
    exactHandle: a.normalized === b.normalized ? 1 : 0,
    handleSimilarity: jaroWinkler(a.normalized, b.normalized),
  };
}
