import type { AccountLabel } from '@mirrorwatch/simulation';

/** One account's outcome: its best-scoring banned account, if any pair was scored. */
export interface AccountOutcome {
  account: string;
  score: number;
  top?: { banned: string; entity: string };
}

export interface PrPoint {
  threshold: number;
  precision: number;
  recall: number;
}

export interface Metrics {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  prAuc: number;
  /** Share of all mirrors whose best match is their own banned parent. */
  parentTop1: number;
  /** Share of all mirrors whose best match belongs to the right entity. */
  entityTop1: number;
  mirrors: number;
  benign: number;
  truePositives: number;
  falsePositives: number;
  recallByTactic: Record<string, { recall: number; mirrors: number }>;
  recallByTiming: Record<string, { recall: number; mirrors: number }>;
  falsePositiveRateByHardNegative: Record<string, { rate: number; accounts: number }>;
  falsePositiveRateOrdinary: number;
  curve: PrPoint[];
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);

/**
 * Account-level metrics: a mirror is found when its best score reaches the threshold; a benign
 * account alerted on is a false positive. Banned accounts themselves are not scored.
 */
export function computeMetrics(
  labels: readonly AccountLabel[],
  outcomes: ReadonlyMap<string, AccountOutcome>,
  threshold: number,
): Metrics {
  const scored = labels.filter((label) => label.kind !== 'banned');
  const mirrors = scored.filter((label) => label.kind === 'mirror');
  const benign = scored.filter((label) => label.kind === 'benign');
  const scoreOf = (label: AccountLabel) => outcomes.get(label.account)?.score ?? 0;
  const alerted = (label: AccountLabel) => scoreOf(label) >= threshold;

  const truePositives = mirrors.filter(alerted).length;
  const falsePositives = benign.filter(alerted).length;
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, mirrors.length);

  const parentTop1 = ratio(
    mirrors.filter((label) => alerted(label) && outcomes.get(label.account)?.top?.banned === label.parent)
      .length,
    mirrors.length,
  );
  const entityTop1 = ratio(
    mirrors.filter((label) => alerted(label) && outcomes.get(label.account)?.top?.entity === label.entity)
      .length,
    mirrors.length,
  );

  const group = <K extends string>(items: AccountLabel[], keysOf: (label: AccountLabel) => K[]) => {
    const groups = new Map<K, AccountLabel[]>();
    for (const item of items)
      for (const key of keysOf(item)) groups.set(key, [...(groups.get(key) ?? []), item]);
    return groups;
  };
  const recallOf = (groups: Map<string, AccountLabel[]>) =>
    Object.fromEntries(
      [...groups]
        .sort()
        .map(([key, members]) => [
          key,
          { recall: ratio(members.filter(alerted).length, members.length), mirrors: members.length },
        ]),
    );

  const hardNegatives = group(benign, (label) => (label.hardNegative ? [label.hardNegative] : []));
  const ordinary = benign.filter((label) => !label.hardNegative);

  const curve = precisionRecallCurve(
    scored.map((label) => ({ score: scoreOf(label), positive: label.kind === 'mirror' })),
  );

  return {
    threshold,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    prAuc: averagePrecision(curve),
    parentTop1,
    entityTop1,
    mirrors: mirrors.length,
    benign: benign.length,
    truePositives,
    falsePositives,
    recallByTactic: recallOf(group(mirrors, (label) => label.tactics)),
    recallByTiming: recallOf(group(mirrors, (label) => (label.timing ? [label.timing] : []))),
    falsePositiveRateByHardNegative: Object.fromEntries(
      [...hardNegatives]
        .sort()
        .map(([kind, members]) => [
          kind,
          { rate: ratio(members.filter(alerted).length, members.length), accounts: members.length },
        ]),
    ),
    falsePositiveRateOrdinary: ratio(ordinary.filter(alerted).length, ordinary.length),
    curve,
  };
}

/** Every distinct score as a threshold, highest first. */
export function precisionRecallCurve(items: ReadonlyArray<{ score: number; positive: boolean }>): PrPoint[] {
  const positives = items.filter((item) => item.positive).length;
  const sorted = [...items].filter((item) => item.score > 0).sort((a, b) => b.score - a.score);
  const curve: PrPoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let index = 0; index < sorted.length; index += 1) {
    const item = sorted[index];
    if (!item) continue;
    if (item.positive) tp += 1;
    else fp += 1;
    if (sorted[index + 1]?.score !== item.score) {
      curve.push({ threshold: item.score, precision: ratio(tp, tp + fp), recall: ratio(tp, positives) });
    }
  }
  return curve;
}

/** Area under the precision–recall curve as average precision (step-wise, no interpolation). */
export function averagePrecision(curve: readonly PrPoint[]): number {
  let area = 0;
  let previousRecall = 0;
  for (const point of curve) {
    area += (point.recall - previousRecall) * point.precision;
    previousRecall = point.recall;
  }
  return area;
}
