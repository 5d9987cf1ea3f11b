import type { Alert } from '@mirrorwatch/schemas';

export type Evidence = Alert['matches'][number]['evidence'][number];

export interface WaterfallStep {
  evidence: Evidence;
  /** Running total before and after this step, in bits (log2-odds). */
  from: number;
  to: number;
}

export interface Waterfall {
  /**
   * Where the sum starts. The engine's evidence adds up to the score's log-odds minus the model's
   * prior, which the alert does not carry; it is recovered from the score when the score is not
   * rounded to 0 or 1, else the waterfall starts at 0.
   */
  start: number;
  startKnown: boolean;
  steps: WaterfallStep[];
  total: number;
  /** The smallest and largest running total, 0 included: the bars' scale. */
  min: number;
  max: number;
}

export function waterfall(evidence: readonly Evidence[], score: number): Waterfall {
  const sum = evidence.reduce((total, item) => total + item.weight, 0);
  const logit = Math.log2(score / (1 - score));
  const startKnown = Number.isFinite(logit);
  const start = startKnown ? logit - sum : 0;
  const steps: WaterfallStep[] = [];
  let running = start;
  let min = Math.min(0, start);
  let max = Math.max(0, start);
  for (const item of evidence) {
    const from = running;
    running += item.weight;
    steps.push({ evidence: item, from, to: running });
    min = Math.min(min, running);
    max = Math.max(max, running);
  }
  return { start, startKnown, steps, total: running, min, max };
}

const IDENTIFIER_NOUNS: Record<string, string> = {
  email: 'email',
  phone: 'phone',
  device: 'device',
  ipPrefix: 'network',
  ip: 'network',
  network: 'network',
};

/**
 * The text shown beside a step. Identifier signals are shown only as the fact of agreement,
 * built here from signal and level rather than from the detail, so no value could ever appear.
 */
export function evidenceText(evidence: Evidence): string {
  const noun = IDENTIFIER_NOUNS[evidence.signal];
  if (noun) return evidence.level === 'same' ? `same ${noun} (hashed)` : `different ${noun}`;
  return evidence.detail;
}

const LABELS: Record<string, string> = {
  handle: 'Handle',
  displayName: 'Display name',
  bio: 'Bio',
  links: 'Links',
  avatar: 'Avatar',
  email: 'Email',
  phone: 'Phone',
  device: 'Device',
  ipPrefix: 'Network',
  followees: 'Follows',
  timing: 'Timing',
  platform: 'Platform',
};

export function signalLabel(signal: string): string {
  return LABELS[signal] ?? signal;
}

export function formatBits(weight: number): string {
  const rounded = Math.round(weight * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded).toFixed(1)}`;
}
