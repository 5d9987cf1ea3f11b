import { z } from 'zod';

const Probability = z.number().gt(0).lt(1);

/** m = P(level | same operator), u = P(level | different operators). */
export const LevelParameters = z.object({ m: Probability, u: Probability });
export type LevelParameters = z.infer<typeof LevelParameters>;

/**
 * A versioned Fellegi–Sunter model: per comparison (each signal, plus `timing`) and level, its m
 * and u; the prior share of true matches among candidate pairs; a calibration applied to the
 * summed log2 weights; and the review threshold alerts are raised at.
 */
export const ScoringModel = z.object({
  format: z.literal('mirrorwatch.scoring-model/v1'),
  version: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  trainedOn: z.string(),
  prior: Probability,
  /** calibrated logit2 = scale · (prior logit2 + Σ weights) + offset */
  calibration: z.object({ scale: z.number().positive(), offset: z.number() }),
  reviewThreshold: Probability,
  comparisons: z.record(z.string(), z.record(z.string(), LevelParameters)),
});
export type ScoringModel = z.infer<typeof ScoringModel>;

export function parseModel(json: unknown): ScoringModel {
  return ScoringModel.parse(json);
}
