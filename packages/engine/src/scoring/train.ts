import type { LevelParameters, ScoringModel } from './model.js';

/** A pair's comparison levels, e.g. `{ handle: 'core', avatar: 'near', timing: 'within-1h' }`. */
export type ComparisonVector = Record<string, string>;

export interface LabelledPair {
  levels: ComparisonVector;
  match: boolean;
}

export type ComparisonParameters = Record<string, Record<string, LevelParameters>>;

/** Keeps every probability away from 0 and 1, so no level is ever infinitely decisive. */
const FLOOR = 1e-4;
const clamp = (p: number) => Math.min(1 - FLOOR, Math.max(FLOOR, p));

/**
 * m and u from labelled pairs by counting, with add-α smoothing so a level never seen among
 * matches (or non-matches) still gets a finite weight.
 */
export function estimateFromLabels(
  pairs: readonly LabelledPair[],
  levels: Record<string, readonly string[]>,
  alpha = 1,
): { comparisons: ComparisonParameters; prior: number } {
  const comparisons: ComparisonParameters = {};
  for (const [comparison, names] of Object.entries(levels)) {
    const matchCounts = new Map<string, number>();
    const nonMatchCounts = new Map<string, number>();
    let matches = 0;
    let nonMatches = 0;
    for (const pair of pairs) {
      const level = pair.levels[comparison];
      if (level === undefined) continue;
      const counts = pair.match ? matchCounts : nonMatchCounts;
      counts.set(level, (counts.get(level) ?? 0) + 1);
      if (pair.match) matches += 1;
      else nonMatches += 1;
    }
    comparisons[comparison] = Object.fromEntries(
      names.map((level) => [
        level,
        {
          m: clamp(((matchCounts.get(level) ?? 0) + alpha) / (matches + alpha * names.length)),
          u: clamp(((nonMatchCounts.get(level) ?? 0) + alpha) / (nonMatches + alpha * names.length)),
        },
      ]),
    );
  }
  const matches = pairs.filter((pair) => pair.match).length;
  return { comparisons, prior: clamp(matches / Math.max(1, pairs.length)) };
}

/** Sum of log2(m/u) over a pair's levels, before prior and calibration. */
export function rawWeight(levels: ComparisonVector, comparisons: ComparisonParameters): number {
  let total = 0;
  for (const [comparison, level] of Object.entries(levels)) {
    const parameters = comparisons[comparison]?.[level];
    if (parameters) total += Math.log2(parameters.m / parameters.u);
  }
  return total;
}

/**
 * Expectation–maximisation over unlabelled pairs (Fellegi–Sunter with conditional independence):
 * start from `initial`, alternate posterior match probabilities and re-estimated m, u and prior.
 */
export function estimateByEm(
  vectors: readonly ComparisonVector[],
  levels: Record<string, readonly string[]>,
  initial: { comparisons: ComparisonParameters; prior: number },
  { iterations = 50, tolerance = 1e-6 } = {},
): { comparisons: ComparisonParameters; prior: number; iterations: number } {
  let { comparisons, prior } = initial;
  for (let iteration = 1; iteration <= iterations; iteration += 1) {
    const posteriors = vectors.map((vector) => {
      const logOdds = Math.log2(prior / (1 - prior)) + rawWeight(vector, comparisons);
      return 1 / (1 + 2 ** -logOdds);
    });
    const next: ComparisonParameters = {};
    for (const [comparison, names] of Object.entries(levels)) {
      const m = new Map<string, number>();
      const u = new Map<string, number>();
      let mTotal = 0;
      let uTotal = 0;
      vectors.forEach((vector, index) => {
        const level = vector[comparison];
        if (level === undefined) return;
        const posterior = posteriors[index] ?? 0;
        m.set(level, (m.get(level) ?? 0) + posterior);
        u.set(level, (u.get(level) ?? 0) + 1 - posterior);
        mTotal += posterior;
        uTotal += 1 - posterior;
      });
      next[comparison] = Object.fromEntries(
        names.map((level) => [
          level,
          {
            m: clamp(((m.get(level) ?? 0) + 0.5) / (mTotal + 0.5 * names.length)),
            u: clamp(((u.get(level) ?? 0) + 0.5) / (uTotal + 0.5 * names.length)),
          },
        ]),
      );
    }
    const nextPrior = clamp(posteriors.reduce((sum, p) => sum + p, 0) / Math.max(1, vectors.length));
    const change = Math.abs(nextPrior - prior);
    comparisons = next;
    prior = nextPrior;
    if (change < tolerance) return { comparisons, prior, iterations: iteration };
  }
  return { comparisons, prior, iterations };
}

/**
 * Platt scaling in log2 units: finds scale and offset so that σ(ln2 · (scale·x + offset))
 * matches the labels, by Newton's method on the log loss. x is a pair's uncalibrated logit2.
 * A light ridge towards (1, 0) keeps it finite when the training pairs are perfectly separable.
 */
export function fitCalibration(
  samples: ReadonlyArray<{ logit: number; match: boolean }>,
  { iterations = 100, ridge = 1 } = {},
): { scale: number; offset: number } {
  const ln2 = Math.LN2;
  const loss = (a: number, b: number) => {
    let total = 0.5 * ridge * ((a - 1) ** 2 + b ** 2);
    for (const { logit, match } of samples) {
      const z = ln2 * (a * logit + b);
      // log(1 + e^-z) or log(1 + e^z), computed without overflow
      const t = match ? -z : z;
      total += t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
    }
    return total;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    let ga = ridge * (a - 1);
    let gb = ridge * b;
    let haa = ridge;
    let hab = 0;
    let hbb = ridge;
    for (const { logit, match } of samples) {
      const p = 1 / (1 + Math.exp(-ln2 * (a * logit + b)));
      const error = p - (match ? 1 : 0);
      const w = p * (1 - p);
      const xa = ln2 * logit;
      ga += error * xa;
      gb += error * ln2;
      haa += w * xa * xa;
      hab += w * xa * ln2;
      hbb += w * ln2 * ln2;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    // Newton overshoots where the sigmoid saturates: halve the step until the loss falls.
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-6) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > current) break;
    a -= step * da;
    b -= step * db;
    const improvement = current - next;
    current = next;
    if (improvement < 1e-10 * Math.max(1, current)) break;
  }
  // A non-positive scale would invert the evidence; keep the model monotone.
  return { scale: Math.max(a, 0.05), offset: b };
}

export interface BuildModelInput {
  pairs: readonly LabelledPair[];
  levels: Record<string, readonly string[]>;
  version: string;
  trainedOn: string;
  reviewThreshold?: number;
  now?: Date;
}

/** Labelled pairs → a complete, calibrated model. */
export function buildModel(input: BuildModelInput): ScoringModel {
  const { comparisons, prior } = estimateFromLabels(input.pairs, input.levels);
  const priorLogit = Math.log2(prior / (1 - prior));
  const calibration = fitCalibration(
    input.pairs.map((pair) => ({
      logit: priorLogit + rawWeight(pair.levels, comparisons),
      match: pair.match,
    })),
  );
  return {
    format: 'mirrorwatch.scoring-model/v1',
    version: input.version,
    createdAt: (input.now ?? new Date()).toISOString(),
    trainedOn: input.trainedOn,
    prior,
    calibration,
    reviewThreshold: input.reviewThreshold ?? 0.5,
    comparisons,
  };
}

export interface RefineInput {
  /** The model in service: its parameters are the starting point and the prior for the update. */
  model: ScoringModel;
  /** Moderators' verdicts on alerted pairs: confirmed (match) or dismissed (not). */
  labels: readonly LabelledPair[];
  version: string;
  trainedOn: string;
  /**
   * How many labelled pairs the current model's parameters count as, per comparison. Few labels
   * move the model a little; many labels outweigh it.
   */
  strength?: number;
  now?: Date;
}

/**
 * Re-estimates m and u from moderator labels, starting from the model in service. For each
 * comparison, m is the posterior mean of a Dirichlet whose prior is the current m spread over
 * `strength` pseudo-pairs, updated with the levels of confirmed pairs; u likewise with dismissed
 * pairs. Labels only exist for pairs that were alerted, so they say most about the levels that
 * alerted pairs show (a shared network that is really a carrier NAT, a common logo); levels that
 * labels never show stay close to the current model. Prior, calibration and threshold are kept,
 * so a score means what it meant before wherever the evidence did not change.
 */
export function refineWithLabels(input: RefineInput): ScoringModel {
  const { model, labels } = input;
  const strength = input.strength ?? 50;
  const comparisons: ComparisonParameters = {};
  for (const [comparison, levels] of Object.entries(model.comparisons)) {
    const counts = { m: new Map<string, number>(), u: new Map<string, number>() };
    const totals = { m: 0, u: 0 };
    for (const pair of labels) {
      const level = pair.levels[comparison];
      if (level === undefined || !(level in levels)) continue;
      const side = pair.match ? 'm' : 'u';
      counts[side].set(level, (counts[side].get(level) ?? 0) + 1);
      totals[side] += 1;
    }
    const update = (side: 'm' | 'u', level: string, current: number) =>
      clamp((strength * current + (counts[side].get(level) ?? 0)) / (strength + totals[side]));
    comparisons[comparison] = Object.fromEntries(
      Object.entries(levels).map(([level, { m, u }]) => [
        level,
        { m: update('m', level, m), u: update('u', level, u) },
      ]),
    );
  }
  return {
    ...model,
    version: input.version,
    createdAt: (input.now ?? new Date()).toISOString(),
    trainedOn: input.trainedOn,
    comparisons,
  };
}
