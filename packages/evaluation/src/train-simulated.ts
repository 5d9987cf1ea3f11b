import {
  buildModel,
  comparisonLevels,
  type LabelledPair,
  type ScoringModel,
  type SignalRegistry,
} from '@mirrorwatch/engine';
import type { Pseudonymizer } from '@mirrorwatch/identifiers';
import type { Scenario } from '@mirrorwatch/simulation';
import { replay } from './replay.js';

export interface TrainOptions {
  scenarios: Scenario[];
  registry: SignalRegistry;
  pseudonymizer: Pseudonymizer;
  version: string;
  reviewThreshold?: number;
  onProgress?: (message: string) => void;
}

/**
 * Labelled pairs from scenarios: every pair the pipeline would have scored, labelled a match when
 * the candidate belongs to the banned account's entity (a mirror, or another of its banned accounts).
 */
export function labelledPairs(
  scenario: Scenario,
  registry: SignalRegistry,
  pseudonymizer: Pseudonymizer,
): LabelledPair[] {
  const entityOf = new Map(scenario.labels.map((label) => [label.account, label.entity]));
  const { pairs } = replay(scenario.events, { registry, pseudonymizer });
  return pairs.map((pair) => ({
    levels: pair.levels,
    match: entityOf.get(pair.candidate) === pair.bannedEntity,
  }));
}

/** A model trained on simulated scenarios: m/u by counting, then calibrated. */
export function trainOnScenarios(options: TrainOptions): ScoringModel {
  const pairs: LabelledPair[] = [];
  for (const scenario of options.scenarios) {
    options.onProgress?.(`replaying seed ${scenario.options.seed} (${scenario.options.accounts} accounts)`);
    for (const pair of labelledPairs(scenario, options.registry, options.pseudonymizer)) pairs.push(pair);
  }
  const seeds = options.scenarios.map((scenario) => scenario.options.seed).join(', ');
  options.onProgress?.(`estimating m/u from ${pairs.length} labelled pairs`);
  return buildModel({
    pairs,
    levels: comparisonLevels(options.registry),
    version: options.version,
    trainedOn: `simulated scenarios (seeds ${seeds}), ${pairs.length} candidate pairs`,
    ...(options.reviewThreshold !== undefined && { reviewThreshold: options.reviewThreshold }),
  });
}
