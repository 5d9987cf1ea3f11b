import { describe, expect, it } from 'vitest';
import {
  buildModel,
  estimateByEm,
  estimateFromLabels,
  fitCalibration,
  type LabelledPair,
  rawWeight,
} from './train.js';

const levels = { handle: ['exact', 'similar', 'none'], phone: ['same', 'different'] };

/** Pairs from known m/u, so estimates can be checked against the truth. */
function synthetic(count: number, matchShare: number, seed = 1): LabelledPair[] {
  let state = seed;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const pick = (weights: Record<string, number>) => {
    let r = random();
    for (const [level, weight] of Object.entries(weights)) {
      r -= weight;
      if (r <= 0) return level;
    }
    return Object.keys(weights).at(-1) ?? '';
  };
  return Array.from({ length: count }, () => {
    const match = random() < matchShare;
    return {
      match,
      levels: match
        ? {
            handle: pick({ exact: 0.6, similar: 0.3, none: 0.1 }),
            phone: pick({ same: 0.7, different: 0.3 }),
          }
        : {
            handle: pick({ exact: 0.01, similar: 0.09, none: 0.9 }),
            phone: pick({ same: 0.02, different: 0.98 }),
          },
    };
  });
}

describe('estimateFromLabels', () => {
  it('recovers m and u from labelled pairs', () => {
    const { comparisons, prior } = estimateFromLabels(synthetic(20_000, 0.3), levels);
    expect(prior).toBeCloseTo(0.3, 1);
    expect(comparisons.handle?.exact?.m).toBeCloseTo(0.6, 1);
    expect(comparisons.handle?.exact?.u).toBeCloseTo(0.01, 2);
    expect(comparisons.phone?.same?.m).toBeCloseTo(0.7, 1);
  });

  it('gives unseen levels a finite weight', () => {
    const { comparisons } = estimateFromLabels([{ match: true, levels: { handle: 'exact' } }], levels);
    expect(Number.isFinite(rawWeight({ handle: 'none' }, comparisons))).toBe(true);
  });
});

describe('estimateByEm', () => {
  it('moves a poor starting point towards the true parameters without labels', () => {
    const pairs = synthetic(20_000, 0.2, 7);
    const start = {
      prior: 0.5,
      comparisons: {
        handle: { exact: { m: 0.4, u: 0.2 }, similar: { m: 0.3, u: 0.3 }, none: { m: 0.3, u: 0.5 } },
        phone: { same: { m: 0.6, u: 0.3 }, different: { m: 0.4, u: 0.7 } },
      },
    };
    const fitted = estimateByEm(
      pairs.map((pair) => pair.levels),
      levels,
      start,
    );
    expect(fitted.prior).toBeGreaterThan(0.12);
    expect(fitted.prior).toBeLessThan(0.3);
    expect(fitted.comparisons.handle?.exact?.m).toBeGreaterThan(0.45);
    expect(fitted.comparisons.handle?.none?.u).toBeGreaterThan(0.8);
  });
});

describe('fitCalibration', () => {
  it('recovers a known scale and offset', () => {
    let state = 3;
    const random = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const samples = Array.from({ length: 20_000 }, () => {
      const logit = random() * 20 - 10;
      return { logit, match: random() < 1 / (1 + 2 ** -(0.5 * logit - 1)) };
    });
    const { scale, offset } = fitCalibration(samples);
    expect(scale).toBeCloseTo(0.5, 1);
    expect(offset).toBeCloseTo(-1, 0);
  });

  it('stays finite on perfectly separable pairs', () => {
    const samples = [-3, -2, -1, 1, 2, 3].map((logit) => ({ logit, match: logit > 0 }));
    const { scale, offset } = fitCalibration(samples);
    expect(Number.isFinite(scale) && scale > 1).toBe(true);
    expect(scale).toBeLessThan(50);
    expect(Math.abs(offset)).toBeLessThan(1);
  });
});

describe('buildModel', () => {
  it('produces a model whose calibrated probabilities separate matches from non-matches', () => {
    const model = buildModel({ pairs: synthetic(5000, 0.3), levels, version: 't1', trainedOn: 'synthetic' });
    expect(model.format).toBe('mirrorwatch.scoring-model/v1');
    expect(model.comparisons.handle?.exact?.m).toBeGreaterThan(model.comparisons.handle?.exact?.u ?? 1);
  });
});
