// Helpers shared by the benches in this folder.

/** The value after `--name` on the command line, or `fallback`. */
export function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Progress on stderr; stdout is kept for the JSON line each bench prints last. */
export function say(bench: string, line: string): void {
  process.stderr.write(`[${bench}] ${line}\n`);
}
