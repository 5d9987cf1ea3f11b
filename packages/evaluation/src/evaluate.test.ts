import { createDefaultRegistry, defaultModel } from '@mirrorwatch/engine';
import { createPseudonymizer } from '@mirrorwatch/identifiers';
import { simulate } from '@mirrorwatch/simulation';
import { describe, expect, it } from 'vitest';
import { evaluate, summarise } from './evaluate.js';
import { renderReportHtml } from './report.js';

const pseudonymizer = createPseudonymizer({ pepper: 'mirrorwatch-simulation-pepper' });

describe('offline evaluation on a scenario the default model was not trained on (seed 4242, 20,000 accounts)', () => {
  // The default model was trained on seeds 101–103; `npm run eval -- --seed 4242 --accounts 20000` runs the same.
  const report = evaluate({
    scenario: simulate({ seed: 4242, accounts: 20_000 }),
    model: defaultModel(),
    registry: createDefaultRegistry(),
    pseudonymizer,
  });

  it('reaches recall ≥ 0.95 at precision ≥ 0.95, with the right parent on top for ≥ 95% of mirrors', () => {
    expect(report.engine.precision).toBeGreaterThanOrEqual(0.95);
    expect(report.engine.recall).toBeGreaterThanOrEqual(0.95);
    expect(report.engine.parentTop1).toBeGreaterThanOrEqual(0.95);
    expect(report.engine.prAuc).toBeGreaterThanOrEqual(0.95);
  });

  it('reports both baselines beside it, and beats them', () => {
    const summary = summarise(report);
    expect(Object.keys(summary.baselines)).toEqual(['exact normalised handle', 'handle similarity alone']);
    for (const baseline of Object.values(report.baselines)) {
      expect(report.engine.f1).toBeGreaterThan(baseline.f1);
    }
    expect(summary).toMatchObject({ seed: 4242, accounts: 20_000 });
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['precision', 'recall', 'parentTop1', 'prAuc', 'baselines']),
    );
  });

  it('breaks recall down by tactic and timing, and false positives by kind of hard negative', () => {
    expect(Object.keys(report.engine.recallByTiming).sort()).toEqual([
      'after-ban',
      'backup-before-ban',
      'renamed-later',
    ]);
    expect(Object.keys(report.engine.recallByTactic)).toEqual(
      expect.arrayContaining(['homoglyph', 'zero-width', 'leet']),
    );
    expect(Object.keys(report.engine.falsePositiveRateByHardNegative)).toEqual(
      expect.arrayContaining(['journalist', 'namesake', 'shared-nat', 'default-avatar']),
    );
  });

  it('renders a self-contained HTML report with a precision–recall curve', () => {
    const html = renderReportHtml(report);
    expect(html).toContain('<svg');
    expect(html).toContain('<polyline');
    expect(html).toContain('handle similarity alone');
    // Self-contained: no script, nothing loaded from elsewhere.
    expect(html).not.toMatch(/<script|\b(src|href)=/);
  });
}, 120_000);
