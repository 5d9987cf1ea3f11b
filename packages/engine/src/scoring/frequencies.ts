/**
 * How common a value is among all accounts seen, keyed by prefixed shared key (the blocking keys
 * a comparison can name as shared: `SignalRegistry.sharedKeys`). Sharing a rare
 * value (one group's logo) is strong evidence; sharing a common one (the default avatar, a
 * carrier-grade NAT range, a popular link) is not.
 */
export interface TermFrequencies {
  /** Estimated share (0..1) of accounts having this value. */
  share(key: string): number;
}

export const NO_FREQUENCIES: TermFrequencies = { share: () => 0 };

/**
 * Counts in memory. Shares are smoothed towards zero while the population is small, so the first
 * accounts seen do not make every value look common.
 */
export class CountingFrequencies implements TermFrequencies {
  private readonly counts = new Map<string, number>();
  private population = 0;

  constructor(private readonly minPopulation = 1000) {}

  /** Records one account's shared keys (call once per distinct account profile). */
  observe(keys: Iterable<string>): void {
    this.population += 1;
    for (const key of new Set(keys)) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  share(key: string): number {
    const count = this.counts.get(key) ?? 0;
    return count / Math.max(this.population, this.minPopulation);
  }

  get size(): number {
    return this.population;
  }
}
