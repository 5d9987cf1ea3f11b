export interface StackLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

/** Library code may not use console.*; stderr keeps stdout free for machine-readable output (cli.ts). */
export const stderrLogger: StackLogger = {
  info: (msg) => {
    process.stderr.write(`[stack] ${msg}\n`);
  },
  warn: (msg) => {
    process.stderr.write(`[stack] WARN ${msg}\n`);
  },
};

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function elapsedSince(startedAt: number): string {
  return formatDuration(performance.now() - startedAt);
}
