export { BASELINES, baselineAnnotations } from './baselines.js';
export { type EvaluateOptions, evaluate, summarise } from './evaluate.js';
export {
  type AccountOutcome,
  averagePrecision,
  computeMetrics,
  type Metrics,
  type PrPoint,
  precisionRecallCurve,
} from './metrics.js';
export { outcomesFromPairs } from './outcomes.js';
export {
  type ObservedPair,
  type ReplayEvent,
  type ReplayOptions,
  type ReplayResult,
  replay,
} from './replay.js';
export { type EvaluationReport, renderReportHtml } from './report.js';
export { labelledPairs, type TrainOptions, trainOnScenarios } from './train-simulated.js';
