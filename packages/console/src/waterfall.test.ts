import { describe, expect, it } from 'vitest';
import { evidenceText, formatBits, waterfall } from './waterfall';

const evidence = [
  { signal: 'avatar', level: 'near-identical', weight: 7.5, detail: 'PDQ distance 2 of 256' },
  { signal: 'platform', level: 'cross', weight: -1.5, detail: 'another platform' },
  { signal: 'phone', level: 'same', weight: 9, detail: 'same phone (hashed)' },
];

describe('evidence waterfall', () => {
  it('starts at the prior recovered from the score and ends at the score’s log-odds', () => {
    const score = 0.97;
    const fall = waterfall(evidence, score);
    expect(fall.startKnown).toBe(true);
    expect(fall.total).toBeCloseTo(Math.log2(score / (1 - score)), 9);
    expect(fall.start).toBeCloseTo(fall.total - 15, 9);
    expect(fall.steps.map((step) => [step.from, step.to])).toEqual([
      [fall.start, fall.start + 7.5],
      [fall.start + 7.5, fall.start + 6],
      [fall.start + 6, fall.start + 15],
    ]);
    expect(fall.min).toBe(Math.min(0, fall.start));
    expect(fall.max).toBeCloseTo(fall.total, 9);
  });

  it('starts at zero when the score is rounded to 1', () => {
    const fall = waterfall(evidence, 1);
    expect(fall).toMatchObject({ start: 0, startKnown: false, total: 15 });
  });

  it('shows identifier signals only as the fact, whatever their detail says', () => {
    expect(evidenceText({ signal: 'phone', level: 'same', weight: 9, detail: '+44 7700 900123' })).toBe(
      'same phone (hashed)',
    );
    expect(evidenceText({ signal: 'ipPrefix', level: 'different', weight: -1, detail: '10.0.0.0/24' })).toBe(
      'different network',
    );
    expect(evidenceText(evidence[0]!)).toBe('PDQ distance 2 of 256');
    expect(formatBits(-1.54)).toBe('−1.5');
    expect(formatBits(7.5)).toBe('+7.5');
  });
});
