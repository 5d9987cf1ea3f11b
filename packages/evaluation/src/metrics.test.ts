import { describe, expect, it } from 'vitest';
import { type AccountOutcome, averagePrecision, computeMetrics, precisionRecallCurve } from './metrics.js';

describe('precision–recall', () => {
  it('computes the curve and average precision of a known ranking', () => {
    const curve = precisionRecallCurve([
      { score: 0.9, positive: true },
      { score: 0.8, positive: false },
      { score: 0.7, positive: true },
      { score: 0, positive: true },
    ]);
    expect(curve.map((point) => [point.precision, point.recall])).toEqual([
      [1, 1 / 3],
      [0.5, 1 / 3],
      [2 / 3, 2 / 3],
    ]);
    expect(averagePrecision(curve)).toBeCloseTo(1 / 3 + (1 / 3) * (2 / 3));
  });
});

describe('computeMetrics', () => {
  it('counts mirrors found, benign accounts alerted, and right parents', () => {
    const labels = [
      { account: 'x:b', kind: 'banned' as const, entity: 'E', tactics: [] },
      {
        account: 'x:m1',
        kind: 'mirror' as const,
        entity: 'E',
        parent: 'x:b',
        tactics: ['homoglyph'],
        timing: 'after-ban' as const,
      },
      {
        account: 'x:m2',
        kind: 'mirror' as const,
        entity: 'E',
        parent: 'x:b',
        tactics: ['leet'],
        timing: 'after-ban' as const,
      },
      { account: 'x:n1', kind: 'benign' as const, tactics: [], hardNegative: 'journalist' },
      { account: 'x:n2', kind: 'benign' as const, tactics: [] },
    ];
    const outcomes = new Map<string, AccountOutcome>([
      ['x:m1', { account: 'x:m1', score: 0.9, top: { banned: 'x:b', entity: 'E' } }],
      ['x:m2', { account: 'x:m2', score: 0.2, top: { banned: 'x:b', entity: 'E' } }],
      ['x:n1', { account: 'x:n1', score: 0.7, top: { banned: 'x:b', entity: 'E' } }],
    ]);
    const metrics = computeMetrics(labels, outcomes, 0.5);
    expect(metrics).toMatchObject({
      precision: 0.5,
      recall: 0.5,
      parentTop1: 0.5,
      truePositives: 1,
      falsePositives: 1,
    });
    expect(metrics.recallByTactic).toEqual({
      homoglyph: { recall: 1, mirrors: 1 },
      leet: { recall: 0, mirrors: 1 },
    });
    expect(metrics.falsePositiveRateByHardNegative).toEqual({ journalist: { rate: 1, accounts: 1 } });
    expect(metrics.falsePositiveRateOrdinary).toBe(0);
  });
});
