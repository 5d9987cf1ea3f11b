import { createScorer, type ScoringModel, type SignalRegistry } from '@mirrorwatch/engine';
import type { Pseudonymizer } from '@mirrorwatch/identifiers';
import type { Scenario } from '@mirrorwatch/simulation';
import { BASELINES, baselineAnnotations } from './baselines.js';
import { computeMetrics, type Metrics } from './metrics.js';
import { outcomesFromPairs } from './outcomes.js';
import { replay } from './replay.js';
import type { EvaluationReport } from './report.js';

export interface EvaluateOptions {
  scenario: Scenario;
  model: ScoringModel;
  registry: SignalRegistry;
  pseudonymizer: Pseudonymizer;
  onProgress?: (done: number, total: number) => void;
}

/** Best-F1 operating point of a score, so a baseline is shown at its best, not at a straw threshold. */
function atBestF1(metricsAt: (threshold: number) => Metrics, thresholds: readonly number[]): Metrics {
  let best: Metrics | undefined;
  for (const threshold of thresholds) {
    const metrics = metricsAt(threshold);
    if (!best || metrics.f1 > best.f1) best = metrics;
  }
  return best ?? metricsAt(1);
}

/**
 * Replays a labelled scenario through the engine exactly as the pipeline would (streaming order,
 * retro-hunt on bans, term frequencies learnt as it goes) and measures the engine and the
 * baselines on the same candidate pairs.
 */
export function evaluate({
  scenario,
  model,
  registry,
  pseudonymizer,
  onProgress,
}: EvaluateOptions): EvaluationReport {
  const started = performance.now();
  const result = replay(scenario.events, {
    registry,
    pseudonymizer,
    scorer: (frequencies) => createScorer(model, registry, frequencies),
    annotate: baselineAnnotations,
    ...(onProgress && { onProgress }),
  });
  const replaySeconds = (performance.now() - started) / 1000;

  // Ranked by log-odds: probabilities of strong pairs round to exactly 1 and would tie.
  const engineOutcomes = outcomesFromPairs(
    result.pairs,
    (pair) => pair.probability ?? 0,
    (pair) => pair.logit ?? Number.NEGATIVE_INFINITY,
  );
  const engine = computeMetrics(scenario.labels, engineOutcomes, model.reviewThreshold);

  const baselines: Record<string, Metrics> = {};
  for (const baseline of BASELINES) {
    const outcomes = outcomesFromPairs(result.pairs, (pair) => pair.annotations[baseline.annotation] ?? 0);
    baselines[baseline.name] = atBestF1(
      (threshold) => computeMetrics(scenario.labels, outcomes, threshold),
      baseline.thresholds,
    );
  }
  return {
    title: 'Mirrorwatch offline evaluation',
    scenario: { seed: scenario.options.seed, accounts: scenario.options.accounts, events: result.events },
    model: { version: model.version, reviewThreshold: model.reviewThreshold },
    engine,
    baselines,
    timings: { replaySeconds, totalSeconds: (performance.now() - started) / 1000 },
  };
}

/** The one-line summary `npm run eval` prints last. */
export function summarise(report: EvaluationReport) {
  const pick = (m: Metrics) => ({
    precision: round(m.precision),
    recall: round(m.recall),
    f1: round(m.f1),
    prAuc: round(m.prAuc),
    parentTop1: round(m.parentTop1),
    threshold: round(m.threshold),
  });
  return {
    seed: report.scenario.seed,
    accounts: report.scenario.accounts,
    model: report.model.version,
    ...pick(report.engine),
    baselines: Object.fromEntries(Object.entries(report.baselines).map(([name, m]) => [name, pick(m)])),
  };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
