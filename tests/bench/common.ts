// Helpers shared by the benches in this folder.

import { readFileSync } from 'node:fs';

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

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere
 * or once it has exited. Assumes the usual 100 clock ticks per second.
 */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The command name of a process ('java', 'redis-server'), from /proc; undefined elsewhere. */
export function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
